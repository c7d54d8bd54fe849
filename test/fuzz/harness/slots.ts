/**
 * Slot kinds for plain arguments: arrays and matrices, shapes, axes, integers, numbers, booleans, strings, option
 * objects, callbacks, lists, trees and keys. Each kind builds a valid value and the bad values that belong in its
 * place; `SlotOptions` lets a signature re-mark, drop or add bad values where the function documents otherwise.
 * @module
 */
import fc from 'fast-check';
import { Tensor, random } from '@natgrad/core';
import { type TypeName, bad, badCallbacks, cyclic, deep, hostileObjects, throwingGetter, throwingProxy, wrongTypes } from './hostile.js';
import type { Bad, Expect, Slot } from './types.js';
import { invertible, lowerFactor, nested, show, spd, tensor, withValue } from './values.js';

/** Per-signature adjustments of a slot's bad values. */
export interface SlotOptions {
  /** `undefined` is valid (the argument has a default): not tried as a bad value, and left out of the valid call. */
  readonly optional?: boolean;
  /** Re-mark bad values by label, where the function documents that the value is fine (or must fail). */
  readonly expect?: Readonly<Record<string, Expect>>;
  /** Leave bad values out by label (values that are simply valid for this function). */
  readonly drop?: readonly string[];
  /** More bad values. */
  readonly extra?: readonly Bad[];
  /** Pass the valid value even though the slot is optional (e.g. an options object needed by the baseline). */
  readonly present?: boolean;
}

/** Applies {@link SlotOptions} and builds the slot. */
export function slot(name: string, valid: () => unknown, bads: readonly Bad[], o: SlotOptions = {}, random?: Slot['random']): Slot {
  const dropped = new Set(o.drop ?? []);
  if (o.optional) dropped.add('undefined');
  const list = [...bads, ...(o.extra ?? [])]
    .filter((b) => !dropped.has(b.label))
    .map((b) => (o.expect?.[b.label] === undefined ? b : { ...b, expect: o.expect[b.label] }));
  const seen = new Set<string>();
  const unique = list.filter((b) => (seen.has(b.label) ? false : (seen.add(b.label), true)));
  const adjust = random && (o.expect || dropped.size > 0)
    ? (seed: number) => random(seed).filter((b) => !dropped.has(b.label)).map((b) => ({ ...b, expect: o.expect?.[b.label] ?? b.expect }))
    : random;
  return { name, valid, bad: unique, omit: o.optional === true && o.present !== true, random: adjust };
}

/** A slot with a fixed valid value and no bad values (context other slots need, e.g. a matching tangent). */
export function fixed(name: string, valid: () => unknown, o: SlotOptions = {}): Slot {
  return slot(name, valid, [], o);
}

/** `n` fast-check samples from `seed`, as bad values. */
export function sampled<T>(arb: fc.Arbitrary<T>, seed: number, n: number, toBad: (v: T) => Bad): Bad[] {
  return fc.sample(arb, { seed, numRuns: n }).map((v) => ({ ...toBad(v), generated: true }));
}

/** Random bad values per generator and slot; `FUZZ_RANDOM` overrides. */
export const RANDOM_PER_SLOT = Number(process.env.FUZZ_RANDOM ?? 4);

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Options of an array argument. */
export interface ArrayOptions extends SlotOptions {
  readonly shape?: readonly number[];
  /** Range of the valid entries (keep them in the function's domain). */
  readonly range?: readonly [number, number];
  /** What NaN/±∞ in the data must give: IEEE propagation (elementwise maths) or a typed error. */
  readonly nan?: 'ieee' | 'reject';
  /** Shapes that cannot work with the other arguments: each must be rejected. */
  readonly badShapes?: readonly (readonly number[])[];
  /** Any shape works (elementwise unary maths): also try random shapes, which must work. */
  readonly anyShape?: boolean;
  /** Fewest dimensions: scalars must be rejected from 1 on, and the empty array `[]` (rank 1) from 2 on. */
  readonly minRank?: number;
  readonly seed?: number;
}

/** An array argument (`ArrayInput`: a tensor, a number or nested arrays of numbers). */
export function array(name: string, o: ArrayOptions = {}): Slot {
  const shape = o.shape ?? [2, 3];
  const [lo, hi] = o.range ?? [-2, 2];
  const seed = o.seed ?? 1;
  const valid = () => tensor(shape, lo, hi, seed);
  const nan = o.nan ?? 'ieee';
  const minRank = o.minRank ?? 0;
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan', 'array']),
    bad('scalar 7', () => 7, minRank >= 1 ? 'reject' : 'any', 'shape'),
    bad('empty array []', () => [], minRank >= 2 ? 'reject' : 'any', 'shape'),
    bad('scalar NaN', () => NaN, minRank >= 1 ? 'reject' : nan, 'nonfinite'),
    bad('nested-array form', () => nested(valid()), 'any', 'type'),
    bad('Float64Array', () => Float64Array.from(valid().data), 'any', 'type'),
    bad('ragged nested array', () => [[1, 2], [3]], 'reject', 'shape'),
    bad('ragged at depth 2', () => [[[1], [2, 3]], [[4], [5]]], 'reject', 'shape'),
    bad('array with a string', () => [1, 'a', 3], 'reject', 'type'),
    bad('array with holes', () => [1, , 3], 'reject', 'type'), // eslint-disable-line no-sparse-arrays
    bad('array-like object', () => ({ 0: 1, 1: 2, length: 2 }), 'reject', 'type'),
    bad('array of tensors', () => [valid(), valid()], 'any', 'type'),
    bad('tensor-like plain object', () => ({ data: valid().data, shape: [...shape] }), 'reject', 'type'),
    bad('nested 3000 deep', () => JSON.parse(`${'['.repeat(3000)}1${']'.repeat(3000)}`), 'any', 'hostile'),
    bad('NaN entry', () => withValue(valid(), 0, NaN), nan, 'nonfinite'),
    bad('+Infinity entry', () => withValue(valid(), size(shape) - 1, Infinity), nan, 'nonfinite'),
    bad('-Infinity entry', () => withValue(valid(), 1, -Infinity), nan, 'nonfinite'),
    bad('transparent Proxy of a tensor', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
    bad('array with a throwing getter', () => throwingGetter([1, 2, 3] as unknown as Record<string, unknown>, '0'), 'any', 'hostile'),
    ...(o.badShapes ?? []).map((s) => bad(`shape [${s.join(', ')}]`, () => tensor(s, lo, hi, seed), 'reject', 'shape')),
  ];
  const rand = (s: number): Bad[] => {
    const out = sampled(fc.tuple(fc.nat(size(shape) - 1), fc.constantFrom(NaN, Infinity, -Infinity)), s, RANDOM_PER_SLOT, ([i, v]) =>
      bad(`${v} at flat index ${i}`, () => withValue(valid(), i, v), nan, 'nonfinite'),
    );
    if (o.anyShape) {
      const shapes = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 });
      out.push(...sampled(shapes, s + 1, RANDOM_PER_SLOT, (sh) => bad(`random shape [${sh.join(', ')}]`, () => tensor(sh, lo, hi, seed), 'any', 'shape')));
    }
    const entry = fc.integer({ min: Math.ceil(lo * 100), max: Math.floor(hi * 100) }).map((v) => v / 100);
    const ragged = fc.array(fc.oneof(entry, fc.array(entry, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 });
    out.push(...sampled(ragged, s + 2, RANDOM_PER_SLOT, (v) => bad(`random nested ${show(v)}`, () => structuredClone(v), 'any', 'shape')));
    return out;
  };
  return slot(name, valid, bads, o, rand);
}

const RECEIVER_BADS = /entry|Proxy|^shape \[|flat index|random shape/;

/**
 * The tensor a method is called on: the tensor-valued bad values of {@link array} (non-finite entries, other shapes,
 * Proxies), since a method can only be called on an array value.
 */
export function receiver(name: string, o: ArrayOptions = {}): Slot {
  const a = array(name, o);
  const keep = (b: Bad) => RECEIVER_BADS.test(b.label) && !b.label.includes('getter');
  return { ...a, bad: a.bad.filter(keep), random: a.random && ((s) => a.random!(s).filter(keep)) };
}

/** Which square matrices are valid. */
export type MatrixKind = 'spd' | 'general' | 'invertible' | 'lower' | 'upper';

/** Options of a matrix argument. */
export interface MatrixOptions extends SlotOptions {
  readonly n?: number;
  readonly kind?: MatrixKind;
  readonly batch?: readonly number[];
  /** What NaN/±∞ entries must give (linear algebra rejects them; structural ops propagate). */
  readonly nan?: 'ieee' | 'reject';
  /** The matrix must be square (solves, factorisations); otherwise any rank-≥2 array. */
  readonly square?: boolean;
  /** What a singular (or, for `spd`, not positive-definite) matrix must give. */
  readonly singular?: Expect;
}

function makeMatrix(kind: MatrixKind, n: number, batch: readonly number[]): Tensor {
  switch (kind) {
    case 'spd':
      return spd(n, batch);
    case 'invertible':
      return invertible(n, batch);
    case 'lower':
      return lowerFactor(n, batch);
    case 'upper':
      return Tensor.from(lowerFactor(n, batch).mT as Tensor);
    case 'general':
      return tensor([...batch, n, n], -1, 1, 11);
  }
}

/** A (batch of) square matrices of some kind. */
export function matrix(name: string, o: MatrixOptions = {}): Slot {
  const n = o.n ?? 3;
  const kind = o.kind ?? 'general';
  const batch = o.batch ?? [];
  const valid = () => makeMatrix(kind, n, batch);
  const nan = o.nan ?? 'reject';
  const square: Expect = o.square === false ? 'any' : 'reject';
  const singular = o.singular ?? (kind === 'general' ? 'any' : 'reject');
  const zero = Tensor.zeros([...batch, n, n]);
  const bads: Bad[] = [
    ...wrongTypes(['nan']),
    bad('scalar NaN', () => NaN, 'reject', 'shape'),
    bad('vector [n]', () => tensor([n]), 'reject', 'shape'),
    bad('non-square [n, n+1]', () => tensor([...batch, n, n + 1]), square, 'shape'),
    bad('empty [0, 0]', () => Tensor.zeros([0, 0]), 'any', 'shape'),
    bad('batch of two', () => makeMatrix(kind, n, [2, ...batch]), 'any', 'shape'),
    bad('nested-array form', () => nested(valid()), 'any', 'type'),
    bad('ragged nested array', () => [[1, 2], [3]], 'reject', 'shape'),
    bad('NaN entry', () => withValue(valid(), 0, NaN), nan, 'nonfinite'),
    bad('+Infinity entry', () => withValue(valid(), n * n - 1, Infinity), nan, 'nonfinite'),
    bad('-Infinity on the diagonal', () => withValue(valid(), n + 1, -Infinity), nan, 'nonfinite'),
    bad('zero matrix', () => zero, singular, 'domain'),
    bad('entries of 1e300', () => new Tensor(valid().data.map((v) => v * 1e300), valid().shape), 'any', 'domain'),
    bad('entries of 1e-300', () => new Tensor(valid().data.map((v) => v * 1e-300), valid().shape), 'any', 'domain'),
    bad('transparent Proxy of a tensor', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
  ];
  if (kind === 'spd') {
    bads.push(
      bad('negative definite', () => new Tensor(valid().data.map((v) => -v), valid().shape), 'reject', 'domain'),
      bad('rank-deficient (ones)', () => Tensor.full([...batch, n, n], 1), 'reject', 'domain'),
      bad('asymmetric (upper triangle changed)', () => withValue(valid(), 1, 100), 'any', 'domain'),
    );
  }
  if (kind === 'invertible' || kind === 'general') {
    bads.push(bad('singular (two equal rows)', () => rowsEqual(valid(), n), singular, 'domain'));
  }
  if (kind === 'lower' || kind === 'upper') {
    bads.push(bad('zero on the diagonal', () => withValue(valid(), n + 1, 0), singular, 'domain'));
  }
  // Factorisations and triangular solves read one triangle only (documented): NaN goes where it is read.
  const read = Array.from({ length: n * n }, (_, i) => i).filter((i) => {
    const r = Math.floor(i / n), c = i % n;
    return kind === 'spd' || kind === 'lower' ? c <= r : kind === 'upper' ? c >= r : true;
  });
  const rand = (s: number): Bad[] =>
    sampled(fc.tuple(fc.constantFrom(...read), fc.constantFrom(NaN, Infinity, -Infinity)), s, RANDOM_PER_SLOT, ([i, v]) =>
      bad(`${v} at flat index ${i}`, () => withValue(valid(), i, v), nan, 'nonfinite'),
    );
  return slot(name, valid, bads, o, rand);
}

function rowsEqual(t: Tensor, n: number): Tensor {
  const d = t.data.slice();
  for (let b = 0; b < d.length; b += n * n) for (let j = 0; j < n; j++) d[b + n + j] = d[b + j];
  return new Tensor(d, t.shape);
}

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
  const big: Expect = o.size || o.max !== undefined ? 'reject' : 'any';
  const bounded = Number.isFinite(min);
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan']),
    bad('NaN', () => NaN, 'reject', 'nonfinite'),
    bad('Infinity', () => Infinity, o.max === undefined && !o.size ? 'any' : 'reject', 'nonfinite'),
    bad('-Infinity', () => -Infinity, bounded || o.size ? 'reject' : 'any', 'nonfinite'),
    bad(`${o.valid + 0.5} (fractional)`, () => o.valid + 0.5, 'reject', 'size'),
    ...(bounded ? [bad(`${min - 1} (below ${min})`, () => min - 1, 'reject', 'size')] : []),
    bad('2^31', () => 2 ** 31, big, 'size'),
    bad('1e9', () => 1e9, big, 'size'),
    bad('2^53 + 2', () => 2 ** 53 + 2, big, 'size'),
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

/** Options of an options-object argument. */
export interface OptionsOptions extends SlotOptions {
  /** Unknown keys must be rejected (a typo must not silently fall back to a default). Default true. */
  readonly strict?: boolean;
  /** The valid value (default: `{}`). */
  readonly valid?: () => Record<string, unknown>;
  /** Keys that must be present: leaving one out must be rejected. */
  readonly required?: readonly string[];
}

/** An options object: whole-object bad values, hostile keys, and every bad value of every option. */
export function options(name: string, keys: Readonly<Record<string, Slot>>, o: OptionsOptions = {}): Slot {
  const valid: () => Record<string, unknown> = o.valid ?? (() => ({}));
  const strict = o.strict ?? true;
  const first = Object.keys(keys)[0];
  const bads: Bad[] = [
    ...wrongTypes(['object']),
    bad('unknown key { fuzzTypo: 1 }', () => ({ ...valid(), fuzzTypo: 1 }), strict ? 'reject' : 'any', 'option'),
    ...(first ? [bad(`mis-cased key "${first.toUpperCase()}"`, () => ({ ...valid(), [first.toUpperCase()]: keys[first].valid() }), strict ? 'reject' : 'any', 'option')] : []),
    ...hostileObjects(valid, strict, first).filter((b) => first !== undefined || !b.label.startsWith('throwing getter')),
    ...(o.required ?? []).map((k) => bad(`missing "${k}"`, () => {
      const v = valid();
      delete v[k];
      return v;
    }, 'reject', 'shape')),
  ];
  for (const [k, s] of Object.entries(keys)) {
    for (const b of s.bad) {
      if (b.label === 'undefined') continue;
      bads.push({ ...b, label: `${k}: ${b.label}`, make: () => ({ ...valid(), [k]: b.make() }) });
    }
  }
  const rand = (seed: number): Bad[] =>
    Object.entries(keys).flatMap(([k, s], i) =>
      (s.random?.(seed + i) ?? []).map((b) => ({ ...b, label: `${k}: ${b.label}`, make: () => ({ ...valid(), [k]: b.make() }) })),
    );
  return slot(name, valid, bads, o, rand);
}

/** Options of a callback argument. */
export interface FnOptions extends SlotOptions {
  /** Results the callback may return, with what each must give (default: a typed error). */
  readonly garbage?: readonly (readonly [string, unknown, Expect?])[];
}

/** A user callback: non-functions, throwing callbacks and callbacks returning garbage. */
export function fn(name: string, valid: () => unknown, o: FnOptions = {}): Slot {
  const garbage = o.garbage ?? [
    ['a string', 'abc'],
    ['undefined', undefined],
    ['a symbol', Symbol('fuzz')],
  ];
  return slot(name, valid, badCallbacks(garbage), o);
}

/** An argument any value is fine for (a predicate's input, an error message): everything must work or fail typed. */
export function anything(name: string, valid: () => unknown, o: SlotOptions = {}): Slot {
  const all = [...wrongTypes(), ...hostileObjects(() => ({ a: 1 }), false)].map((b) => ({ ...b, expect: 'any' as const }));
  return slot(name, valid, all, o);
}

/** An array value that must already be a `Value` (a tensor or tracer): nested arrays and numbers must be rejected. */
export function value(name: string, o: ArrayOptions = {}): Slot {
  const a = array(name, { minRank: 1, ...o });
  const keep = (b: Bad) => RECEIVER_BADS.test(b.label) || b.family === 'type';
  const marked = a.bad.filter(keep).map((b) => (b.label === 'Float64Array' || b.label.includes('nested') || b.label === 'array of tensors' ? { ...b, expect: 'reject' as const } : b));
  return { ...a, bad: marked, random: a.random && ((s) => a.random!(s).filter(keep)) };
}

/** A random key. */
export function key(name: string, o: SlotOptions = {}): Slot {
  const valid = () => random.key(0);
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('key data [0, 1]', () => [0, 1], 'reject', 'type'),
    bad('plain object { k0, k1 }', () => ({ k0: 0, k1: 1 }), 'reject', 'type'),
    bad('transparent Proxy of a key', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
  ];
  return slot(name, valid, bads, o);
}

/** Options of a tree argument. */
export interface TreeOptions extends SlotOptions {
  /** What a NaN leaf must give. */
  readonly nan?: 'ieee' | 'reject';
  /** Leaves must be Tensors (optimiser trees), not any array input. */
  readonly tensorLeaves?: boolean;
  /** A leaf that is not an array must be rejected. Default true. */
  readonly leaves?: Expect;
}

/** A tree of arrays (arguments of transforms, parameters of optimisers), given as a valid `{ key: tensor }` object. */
export function tree(name: string, valid: () => Record<string, unknown>, o: TreeOptions = {}): Slot {
  const nan = o.nan ?? 'ieee';
  const first = Object.keys(valid())[0];
  const leaf = (v: unknown) => () => ({ ...valid(), [first]: v });
  const firstLeaf = () => valid()[first] as Tensor;
  const leaves = o.leaves ?? 'reject';
  const bads: Bad[] = [
    ...wrongTypes(['object', 'array', 'undefined', 'null']),
    bad('undefined (an empty tree)', () => undefined, 'any', 'shape'),
    bad('null (an empty tree)', () => null, 'any', 'shape'),
    bad('leaf "abc"', leaf('abc'), leaves, 'type'),
    bad('leaf true', leaf(true), leaves, 'type'),
    bad('leaf function', leaf(() => 1), leaves, 'type'),
    bad('leaf null', leaf(null), 'any', 'type'),
    bad('leaf as nested array', () => ({ ...valid(), [first]: nested(firstLeaf()) }), o.tensorLeaves ? 'reject' : 'any', 'type'),
    bad('leaf with NaN', () => ({ ...valid(), [first]: withValue(firstLeaf(), 0, NaN) }), nan, 'nonfinite'),
    bad('leaf with Infinity', () => ({ ...valid(), [first]: withValue(firstLeaf(), 0, Infinity) }), nan, 'nonfinite'),
    bad('extra leaf', () => ({ ...valid(), fuzzExtra: Tensor.zeros([2]) }), 'any', 'shape'),
    bad('cyclic tree', () => cyclic(valid()), 'reject', 'hostile'),
    bad('nested 20000 deep', () => deep(valid(), 20_000), 'any', 'hostile'),
    ...hostileObjects(valid, false, first),
    bad('toctou getter (NaN on the second read)', () => flipLeaf(valid(), first), 'any', 'hostile'),
  ];
  return slot(name, valid, bads, o);
}

/** `base` whose key `k` reads as given once, then as a NaN tensor of the same shape. */
export function flipLeaf(base: Record<string, unknown>, k: string): Record<string, unknown> {
  const t = base[k] as Tensor;
  let reads = 0;
  const o = { ...base };
  Object.defineProperty(o, k, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? t : Tensor.full(t.shape, NaN)) });
  return o;
}

/** Options of a list argument. */
export interface ListOptions extends SlotOptions {
  /** Fewest elements. */
  readonly min?: number;
}

/** A list whose elements are values of the slot `element` (every bad element is tried at index 0). */
export function list(name: string, element: Slot, n: number, o: ListOptions = {}): Slot {
  const valid = () => Array.from({ length: n }, () => element.valid());
  const bads: Bad[] = [
    ...wrongTypes(['array']),
    ...((o.min ?? 1) > 0 ? [bad('empty list', () => [], 'reject', 'shape')] : [bad('empty list', () => [], 'any', 'shape')]),
    bad('list with holes', () => [element.valid(), , element.valid()], 'reject', 'type'), // eslint-disable-line no-sparse-arrays
    bad('transparent Proxy', () => new Proxy(valid(), {}), 'any', 'hostile'),
    ...element.bad.map((b) => ({ ...b, label: `[0]: ${b.label}`, make: () => [b.make(), ...valid().slice(1)] })),
  ];
  return slot(name, valid, bads, o);
}

/** A throwing-getter variant of an object (re-exported for the domain slot kinds). */
export { throwingGetter, hostileObjects, type TypeName };
