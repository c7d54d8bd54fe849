/**
 * Slot kinds for scalar arguments: shapes, axes, integers (counts, indices), real numbers (hyperparameters, bounds),
 * booleans and strings.
 * @module
 */
import fc from 'fast-check';
import { bad, wrongTypes } from './hostile.js';
import { RANDOM_PER_SLOT, type SlotOptions, sampled, slot } from './slot.js';
import type { Bad, Expect, Slot } from './types.js';

/** Extents that are not sizes: each must be rejected (before anything is allocated, for the huge ones). */
function badExtents(valid: readonly number[]): Bad[] {
  const rest = valid.slice(1);
  const at = (v: unknown) => () => [v, ...rest];
  return [
    bad('extent -1', at(-1), 'reject', 'size'),
    bad('extent 1.5', at(1.5), 'reject', 'size'),
    bad('extent NaN', at(NaN), 'reject', 'nonfinite'),
    bad('extent Infinity', at(Infinity), 'reject', 'nonfinite'),
    bad('extent "2"', at('2'), 'reject', 'type'),
    bad('extent null', at(null), 'reject', 'type'),
    bad('extent 2n', at(2n), 'reject', 'type'),
    bad('nested [[2]]', () => [[2]], 'reject', 'type'),
    bad('shape with holes', () => [, 2], 'reject', 'type'), // eslint-disable-line no-sparse-arrays
    bad('array-like { 0: 2, length: 1 }', () => ({ 0: 2, length: 1 }), 'reject', 'type'),
    bad('huge [2^31]', () => [2 ** 31], 'reject', 'size'),
    bad('huge [1e9]', () => [1e9], 'reject', 'size'),
    bad('huge [2^53]', () => [2 ** 53], 'reject', 'size'),
    bad('huge [65536, 65536]', () => [65536, 65536], 'reject', 'size'),
    bad('huge [100000, 100000, 100000]', () => [1e5, 1e5, 1e5], 'reject', 'size'),
    bad('huge with a zero [1e12, 0]', () => [1e12, 0], 'any', 'size'),
  ];
}

/** Options of a shape argument. */
export interface ShapeOptions extends SlotOptions {
  readonly valid?: readonly number[];
  /** A bare number is accepted as a one-dimensional shape (`zeros(3)`). */
  readonly number?: boolean;
}

/** A shape argument: a list of non-negative integer extents. */
export function shape(name: string, o: ShapeOptions = {}): Slot {
  const v = o.valid ?? [2, 3];
  const bads: Bad[] = [
    ...wrongTypes(o.number ? ['array', 'number'] : ['array']),
    ...(o.number ? [bad('number -1', () => -1, 'reject', 'size'), bad('number 1e9', () => 1e9, 'reject', 'size'), bad('number NaN', () => NaN, 'reject', 'nonfinite')] : []),
    bad('scalar shape []', () => [], 'any', 'shape'),
    bad('empty [0]', () => [0], 'any', 'shape'),
    bad('rank 8 of ones', () => [1, 1, 1, 1, 1, 1, 1, 1], 'any', 'shape'),
    bad('transparent Proxy', () => new Proxy([...v], {}), 'any', 'hostile'),
    ...badExtents(v),
  ];
  const rand = (s: number): Bad[] => {
    const badExtent = fc.oneof(fc.integer({ min: -1e6, max: -1 }), fc.double({ min: 0.01, max: 9.99, noInteger: true }), fc.integer({ min: 2 ** 31, max: 2 ** 52 }));
    return sampled(fc.tuple(fc.array(fc.nat(3), { maxLength: 3 }), badExtent), s, RANDOM_PER_SLOT, ([sh, e]) => {
      const empty = Number.isInteger(e) && e > 0 && sh.includes(0); // a valid, empty shape
      return bad(`random shape [${[...sh, e].join(', ')}]`, () => [...sh, e], empty ? 'any' : 'reject', 'size');
    });
  };
  return slot(name, () => [...v], bads, o, rand);
}

/** Options of an axis argument. */
export interface AxisOptions extends SlotOptions {
  readonly valid?: number | readonly number[];
  /** Rank of the array the axis refers to. */
  readonly rank: number;
  /** A list of axes is accepted too. */
  readonly list?: boolean;
}

/** An axis (or list of axes) of an array of rank `rank`; negative axes count from the end. */
export function axis(name: string, o: AxisOptions): Slot {
  const r = o.rank;
  const v = o.valid ?? 0;
  const bads: Bad[] = [
    ...wrongTypes(o.list ? ['number', 'array'] : ['number']),
    bad(`axis ${r} (out of range)`, () => r, 'reject', 'domain'),
    bad(`axis ${-r - 1} (out of range)`, () => -r - 1, 'reject', 'domain'),
    bad('axis 0.5', () => 0.5, 'reject', 'size'),
    bad('axis NaN', () => NaN, 'reject', 'nonfinite'),
    bad('axis Infinity', () => Infinity, 'reject', 'nonfinite'),
    bad('axis 2^53', () => 2 ** 53, 'reject', 'size'),
    bad('axis -0', () => -0, 'any', 'size'),
  ];
  if (o.list) {
    bads.push(
      bad('repeated axes [0, 0]', () => [0, 0], 'reject', 'domain'),
      bad(`axes [0, ${r}]`, () => [0, r], 'reject', 'domain'),
      bad('axes ["0"]', () => ['0'], 'reject', 'type'),
      bad('axes [0.5]', () => [0.5], 'reject', 'size'),
      bad('no axes []', () => [], 'any', 'shape'),
    );
  }
  const rand = (s: number): Bad[] =>
    sampled(fc.oneof(fc.integer({ min: r, max: 1e9 }), fc.integer({ min: -1e9, max: -r - 1 })), s, RANDOM_PER_SLOT, (a) =>
      bad(`random axis ${a}`, () => a, 'reject', 'domain'),
    );
  return slot(name, () => (Array.isArray(v) ? [...v] : v), bads, o, rand);
}

/** Options of an integer argument. */
export interface IntOptions extends SlotOptions {
  readonly valid: number;
  readonly min?: number;
  readonly max?: number;
  /** The integer is a size or count: huge values must be rejected before allocating. */
  readonly size?: boolean;
}

/** An integer argument (a count, an index, a step). `min: -Infinity` for any integer. */
export function int(name: string, o: IntOptions): Slot {
  const min = o.min ?? 0;
  // A huge value must be rejected when it is a size (allocation) or above the maximum; otherwise it may be fine.
  const big = (v: number): Expect => (o.size || (o.max !== undefined && v > o.max) ? 'reject' : 'any');
  const bounded = Number.isFinite(min);
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan']),
    bad('NaN', () => NaN, 'reject', 'nonfinite'),
    bad('Infinity', () => Infinity, o.max === undefined && !o.size ? 'any' : 'reject', 'nonfinite'),
    bad('-Infinity', () => -Infinity, bounded || o.size ? 'reject' : 'any', 'nonfinite'),
    bad(`${o.valid + 0.5} (fractional)`, () => o.valid + 0.5, 'reject', 'size'),
    ...(bounded ? [bad(`${min - 1} (below ${min})`, () => min - 1, 'reject', 'size')] : []),
    bad('2^31', () => 2 ** 31, big(2 ** 31), 'size'),
    bad('1e9', () => 1e9, big(1e9), 'size'),
    bad('2^53 + 2', () => 2 ** 53 + 2, big(2 ** 53 + 2), 'size'),
    ...(o.max !== undefined ? [bad(`${o.max + 1} (above ${o.max})`, () => o.max! + 1, 'reject', 'size')] : []),
    ...(min <= 0 ? [bad('-0', () => -0, 'any', 'size')] : []),
  ];
  const below = bounded ? [fc.integer({ min: min - 1e6, max: min - 1 })] : [];
  const rand = (s: number): Bad[] =>
    sampled(fc.oneof(...below, fc.double({ min: Math.max(min, -1e6), max: Math.max(min, -1e6) + 50, noInteger: true })), s, RANDOM_PER_SLOT, (x) =>
      bad(`random ${x}`, () => x, 'reject', 'size'),
    );
  return slot(name, () => o.valid, bads, o, rand);
}

/** Options of a real-number argument. */
export interface NumOptions extends SlotOptions {
  readonly valid: number;
  /** Smallest valid value; `open` excludes it. */
  readonly min?: number;
  readonly max?: number;
  readonly open?: 'min' | 'max' | 'both';
  /** NaN/±∞ are valid (e.g. a fill value): do not require their rejection. */
  readonly nonFinite?: Expect;
}

/** A real-number argument (a hyperparameter, a bound, a probability). */
export function num(name: string, o: NumOptions): Slot {
  const nf = o.nonFinite ?? 'reject';
  const openMin = o.open === 'min' || o.open === 'both';
  const openMax = o.open === 'max' || o.open === 'both';
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan']),
    bad('NaN', () => NaN, nf, 'nonfinite'),
    bad('Infinity', () => Infinity, nf, 'nonfinite'),
    bad('-Infinity', () => -Infinity, nf, 'nonfinite'),
    bad('1e308', () => 1e308, o.max === undefined ? 'any' : 'reject', 'domain'),
    bad('-1e308', () => -1e308, o.min === undefined ? 'any' : 'reject', 'domain'),
  ];
  if (o.min !== undefined) {
    bads.push(bad(`${o.min} (the lower bound)`, () => o.min, openMin ? 'reject' : 'any', 'domain'));
    bads.push(bad(`${o.min - 1} (below the lower bound)`, () => o.min! - 1, 'reject', 'domain'));
  }
  if (o.max !== undefined) {
    bads.push(bad(`${o.max} (the upper bound)`, () => o.max, openMax ? 'reject' : 'any', 'domain'));
    bads.push(bad(`${o.max + 1} (above the upper bound)`, () => o.max! + 1, 'reject', 'domain'));
  }
  const rand = (s: number): Bad[] =>
    o.min === undefined
      ? []
      : sampled(fc.double({ min: -1e12, max: o.min, maxExcluded: !openMin, noNaN: true }), s, RANDOM_PER_SLOT, (x) =>
          bad(`random ${x}`, () => x, x === o.min && !openMin ? 'any' : 'reject', 'domain'),
        );
  return slot(name, () => o.valid, bads, o, rand);
}

/** A boolean argument or option: truthy strings like `'no'` must not be read as true. */
export function bool(name: string, o: SlotOptions & { readonly valid?: boolean } = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(['boolean']),
    bad('string "no"', () => 'no', 'reject', 'option'),
    bad('string "false"', () => 'false', 'reject', 'option'),
    bad('number 1', () => 1, 'reject', 'option'),
    bad('number 0', () => 0, 'reject', 'option'),
  ];
  return slot(name, () => o.valid ?? true, bads, o);
}

/** Options of a string argument. */
export interface StrOptions extends SlotOptions {
  readonly valid: string;
  /** The accepted values, when the string is an enumeration. */
  readonly oneOf?: readonly string[];
}

/** A string argument: a name, a path, or one of a few values. */
export function str(name: string, o: StrOptions): Slot {
  const bads: Bad[] = [...wrongTypes(['string', 'numeric-string', 'empty-string'])];
  if (o.oneOf) {
    bads.push(
      bad('empty string', () => '', 'reject', 'domain'),
      bad('upper-case variant', () => o.valid.toUpperCase(), o.valid.toUpperCase() === o.valid ? 'any' : 'reject', 'domain'),
      bad('with a trailing space', () => `${o.valid} `, 'reject', 'domain'),
      bad('"__proto__"', () => '__proto__', 'reject', 'hostile'),
      bad('"toString"', () => 'toString', 'reject', 'hostile'),
    );
  } else {
    bads.push(
      bad('"__proto__"', () => '__proto__', 'any', 'hostile'),
      bad('"constructor"', () => 'constructor', 'any', 'hostile'),
      bad('100 000 characters', () => 'x'.repeat(100_000), 'any', 'size'),
    );
  }
  const rand = (s: number): Bad[] =>
    o.oneOf ? sampled(fc.string({ maxLength: 8 }), s, RANDOM_PER_SLOT, (x) => bad(`random string ${JSON.stringify(x)}`, () => x, o.oneOf!.includes(x) ? 'any' : 'reject', 'domain')) : [];
  return slot(name, () => o.valid, bads, o, rand);
}
