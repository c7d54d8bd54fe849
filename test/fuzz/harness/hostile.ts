/**
 * The catalogue of hostile values that do not depend on the slot: wrong JavaScript types, objects with hostile keys,
 * throwing getters and Proxies, user callbacks that throw. Slot kinds (slots.ts) pick from it and add their own.
 * @module
 */
import type { Bad, BadFamily, Expect } from './types.js';

/**
 * The exception hostile user code throws (getters, Proxy traps, callbacks). When it reaches the caller unchanged the
 * library did the right thing: it is the user's own error, like an exception thrown by a callback.
 */
export class HostileError extends Error {
  constructor(where: string) {
    super(`hostile user code threw (${where})`);
    this.name = 'HostileError';
  }
}

/** A bad value. */
export function bad(label: string, make: () => unknown, expect: Expect, family: BadFamily): Bad {
  return { label, make, expect, family };
}

/** Type names of {@link wrongTypes}, to leave out those a slot accepts. */
export type TypeName =
  | 'undefined'
  | 'null'
  | 'string'
  | 'numeric-string'
  | 'empty-string'
  | 'boolean'
  | 'number'
  | 'nan'
  | 'object'
  | 'array'
  | 'string-array'
  | 'function'
  | 'symbol'
  | 'bigint'
  | 'date'
  | 'map'
  | 'boxed-number';

const TYPES: readonly [TypeName, string, () => unknown][] = [
  ['undefined', 'undefined', () => undefined],
  ['null', 'null', () => null],
  ['string', 'string "abc"', () => 'abc'],
  ['numeric-string', 'numeric string "2"', () => '2'],
  ['empty-string', 'empty string', () => ''],
  ['boolean', 'true', () => true],
  ['boolean', 'false', () => false],
  ['number', 'number 7', () => 7],
  ['nan', 'number NaN', () => NaN],
  ['object', 'object {}', () => ({})],
  ['object', 'object { a: 1 }', () => ({ a: 1 })],
  ['array', 'empty array', () => []],
  ['string-array', 'array of strings', () => ['a', 'b']],
  ['function', 'function', () => () => 1],
  ['symbol', 'symbol', () => Symbol('fuzz')],
  ['bigint', 'bigint 2n', () => 2n],
  ['date', 'Date', () => new Date(0)],
  ['map', 'Map', () => new Map([['a', 1]])],
  ['boxed-number', 'boxed Number(2)', () => new Number(2)],
];

/** Values of the wrong JavaScript type, each to be rejected, except the types listed in `accepts`. */
export function wrongTypes(accepts: readonly TypeName[] = []): Bad[] {
  return TYPES.filter(([t]) => !accepts.includes(t)).map(([t, label, make]) => bad(label, make, 'reject', t === 'nan' ? 'nonfinite' : 'type'));
}

/** An object with the keys of `base` whose property `key` is a getter that throws. */
export function throwingGetter(base: Record<string, unknown>, key: string): Record<string, unknown> {
  const o: Record<string, unknown> = { ...base };
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      throw new HostileError(`getter of "${key}"`);
    },
  });
  return o;
}

/**
 * An object whose property `key` reads `first` once and `later` afterwards: a validator that reads the value and a
 * computation that reads it again see different things (time-of-check to time-of-use).
 */
export function flippingGetter(base: Record<string, unknown>, key: string, later: () => unknown): Record<string, unknown> {
  const o: Record<string, unknown> = { ...base };
  let reads = 0;
  const first = base[key];
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      return reads++ === 0 ? first : later();
    },
  });
  return o;
}

/** A Proxy whose every trap throws {@link HostileError}. */
export function throwingProxy(target: object): object {
  const fail = (trap: string) => () => {
    throw new HostileError(`Proxy trap ${trap}`);
  };
  return new Proxy(target, {
    get: fail('get'),
    has: fail('has'),
    ownKeys: fail('ownKeys'),
    getOwnPropertyDescriptor: fail('getOwnPropertyDescriptor'),
    getPrototypeOf: fail('getPrototypeOf'),
  });
}

/** `base` plus an own `__proto__` key, as `JSON.parse` makes it (not a prototype change). */
export function withProtoKey(base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, ...(JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>) };
}

/** A cyclic object: `{ ...base, self: <itself> }`. */
export function cyclic(base: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = { ...base };
  o.self = o;
  return o;
}

/** A value nested `depth` levels deep in single-key objects. */
export function deep(leaf: unknown, depth: number): unknown {
  let x = leaf;
  for (let i = 0; i < depth; i++) x = { a: x };
  return x;
}

/**
 * Hostile variants of a plain-object argument with a fixed key set (options, Gaussians): extra hostile keys must be
 * rejected, a throwing getter or Proxy must let the user's error through, harmless variants must work.
 * @param strict the key set is closed, so unknown keys must be rejected (`reject`), not ignored
 */
export function hostileObjects(valid: () => Record<string, unknown>, strict: boolean, firstKey?: string): Bad[] {
  const extra: Expect = strict ? 'reject' : 'any';
  const key = firstKey ?? Object.keys(valid())[0];
  const out: Bad[] = [
    bad('own "__proto__" key (JSON.parse)', () => withProtoKey(valid()), extra, 'hostile'),
    bad('"constructor" key', () => ({ ...valid(), constructor: { prototype: { polluted: 'yes' } } }), extra, 'hostile'),
    bad('"prototype" key', () => ({ ...valid(), prototype: { polluted: 'yes' } }), extra, 'hostile'),
    bad('null-prototype copy', () => Object.assign(Object.create(null), valid()), 'any', 'hostile'),
    bad('frozen copy', () => Object.freeze({ ...valid() }), 'any', 'hostile'),
    bad('transparent Proxy', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
    bad('keys inherited, not own', () => Object.create(valid()), 'any', 'hostile'),
  ];
  if (key !== undefined) {
    out.push(bad(`throwing getter on "${key}"`, () => throwingGetter(valid(), key), 'any', 'hostile'));
  }
  return out;
}

/** Functions that are not what a callback slot wants, and callbacks that misbehave. */
export function badCallbacks(returnsGarbage: readonly (readonly [string, unknown, Expect?])[]): Bad[] {
  return [
    ...wrongTypes(['function']),
    bad('callback that throws', () => () => {
      throw new HostileError('callback');
    }, 'any', 'callback'),
    bad('async callback (returns a Promise)', () => async () => 1, 'reject', 'callback'),
    bad('class constructor', () => class Fuzz {}, 'reject', 'callback'),
    ...returnsGarbage.map(([label, value, expect]) => bad(`callback returning ${label}`, () => () => value, expect ?? 'reject', 'callback')),
  ];
}
