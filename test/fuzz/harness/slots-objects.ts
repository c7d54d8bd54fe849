/**
 * Slot kinds for structured arguments: option objects, callbacks, arguments any value is fine for, random keys,
 * trees and lists.
 * @module
 */
import { Tensor, random } from '@natgrad/core';
import { bad, badCallbacks, cyclic, deep, flippingGetter, hostileObjects, throwingProxy, wrongTypes } from './hostile.js';
import { type SlotOptions, slot } from './slot.js';
import type { Bad, Expect, Slot } from './types.js';
import { nested, withValue } from './values.js';

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
      bads.push({ ...b, label: `${k}: ${b.label}`, sub: b.sub === undefined ? k : `${k}.${b.sub}`, make: () => ({ ...valid(), [k]: b.make() }) });
    }
  }
  const rand = (seed: number): Bad[] =>
    Object.entries(keys).flatMap(([k, s], i) =>
      (s.random?.(seed + i) ?? []).map((b) => ({ ...b, label: `${k}: ${b.label}`, sub: k, make: () => ({ ...valid(), [k]: b.make() }) })),
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

/**
 * A field of an error object (message, code, index): any value, except those that JavaScript itself cannot turn into
 * a string — a symbol, a null-prototype object — which throw a TypeError in `new Error(x)` as well.
 */
export function field(name: string, valid: () => unknown, o: SlotOptions = {}): Slot {
  return slot(name, valid, anything(name, valid).bad, { ...o, drop: [...(o.drop ?? []), 'symbol', 'null-prototype copy'] });
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
    bad('toctou getter (NaN on the second read)', () => flippingGetter(valid(), first, () => Tensor.full((valid()[first] as Tensor).shape, NaN)), 'any', 'hostile'),
  ];
  return slot(name, valid, bads, o);
}

/** Options of a list argument. */
export interface ListOptions extends SlotOptions {
  /** Fewest elements. */
  readonly min?: number;
  /** What a sparse list (holes read as `undefined`) must give. Default: a typed error. */
  readonly holes?: Expect;
}

/** A list whose elements are values of the slot `element` (every bad element is tried at index 0). */
export function list(name: string, element: Slot, n: number, o: ListOptions = {}): Slot {
  const valid = () => Array.from({ length: n }, () => element.valid());
  const bads: Bad[] = [
    ...wrongTypes(['array']),
    ...((o.min ?? 1) > 0 ? [bad('empty list', () => [], 'reject', 'shape')] : [bad('empty list', () => [], 'any', 'shape')]),
    bad('list with holes', () => [element.valid(), , element.valid()], o.holes ?? 'reject', 'type'), // eslint-disable-line no-sparse-arrays
    bad('transparent Proxy', () => new Proxy(valid(), {}), 'any', 'hostile'),
    ...element.bad.map((b) => ({ ...b, label: `[0]: ${b.label}`, make: () => [b.make(), ...valid().slice(1)] })),
  ];
  return slot(name, valid, bads, o);
}
