/**
 * Validation of scalar arguments and options objects at public entry points. Every check throws an
 * {@link InvalidArgumentError} whose message names the function (`where`) and the argument; kernels and derivative
 * rules never call these (they run on arguments already checked once).
 * @module
 */
import { describeValue } from './describe.js';
import { InvalidArgumentError, NatgradError } from './errors.js';

/** An integer in `[min, max]` (NaN, ±∞, fractions, non-numbers rejected). */
export function checkInteger(x: unknown, where: string, arg: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) {
    throw new InvalidArgumentError(`${where}: ${arg} must be an integer, got ${describeValue(x)}`);
  }
  if (x < min || x > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError(`${where}: ${arg} must be an integer ${range}, got ${x}`);
  }
  return x;
}

/** Any number, NaN and ±∞ included (for values that follow IEEE semantics, e.g. a fill value). */
export function checkNumber(x: unknown, where: string, arg: string): number {
  if (typeof x !== 'number') throw new InvalidArgumentError(`${where}: ${arg} must be a number, got ${describeValue(x)}`);
  return x;
}

/** A finite number. */
export function checkFiniteNumber(x: unknown, where: string, arg: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new InvalidArgumentError(`${where}: ${arg} must be a finite number, got ${describeValue(x)}`);
  }
  return x;
}

/**
 * A function that can be called (`f(...)`): a class constructor is a function to `typeof` but throws when called
 * without `new`, so it is refused here rather than as a `TypeError` from deep inside the caller.
 */
export function checkCallable(f: unknown, where: string, arg: string): void {
  if (typeof f !== 'function') throw new InvalidArgumentError(`${where}: ${arg} must be a function, got ${describeValue(f)}`);
  if (isClassConstructor(f)) {
    throw new InvalidArgumentError(`${where}: ${arg} must be a function, got a class constructor (it cannot be called without new)`);
  }
}

/**
 * True for `class` constructors. Their `prototype` is read-only, unlike that of a plain `function` (arrows, methods
 * and async functions have none), so the source text is looked at only in that rare case.
 */
export function isClassConstructor(f: object): boolean {
  const d = Object.getOwnPropertyDescriptor(f, 'prototype');
  return d !== undefined && d.writable === false && /^class\b/.test(Function.prototype.toString.call(f as () => unknown));
}

/** A string (a label or path for messages). */
export function checkString(x: unknown, where: string, arg: string): string {
  if (typeof x !== 'string') throw new InvalidArgumentError(`${where}: ${arg} must be a string, got ${describeValue(x)}`);
  return x;
}

/** A boolean: `true` or `false`, nothing truthy or falsy in their place (`'no'` is not false). */
export function checkBoolean(x: unknown, where: string, arg: string): boolean {
  if (typeof x !== 'boolean') throw new InvalidArgumentError(`${where}: ${arg} must be true or false, got ${describeValue(x)}`);
  return x;
}

/**
 * Reads an options object: `undefined` (no options) or a plain object whose own enumerable keys are all in
 * `allowed`. Returns a null-prototype record of the given options, read from own properties only, so nothing comes
 * from the prototype chain and unknown keys (typos such as `transposed`) are errors instead of being ignored. Cheap
 * enough for derivative rules that pass options to public linear-algebra ops on every step.
 * `label` and `noun` name the argument and its members in messages (`def`, `member`).
 * @throws {InvalidArgumentError} naming `where` for anything else (a getter or Proxy trap that throws included).
 */
export function readOptions<K extends string>(
  options: unknown,
  where: string,
  allowed: readonly K[],
  label = 'options',
  noun = 'option',
): { readonly [P in K]?: unknown } {
  const out = Object.create(null) as Record<K, unknown>;
  if (options === undefined) return out;
  try {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidArgumentError(`${where}: ${label} must be an object, got ${describeValue(options)}`);
    }
    const proto = Object.getPrototypeOf(options);
    if (proto !== Object.prototype && proto !== null) {
      throw new InvalidArgumentError(`${where}: ${label} must be a plain object, got ${describeValue(options)}`);
    }
    const keys = Object.keys(options);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!(allowed as readonly string[]).includes(key)) {
        const known = allowed.length > 0 ? ` (known ${noun}s: ${allowed.join(', ')})` : ' (it takes none)';
        throw new InvalidArgumentError(`${where}: unknown ${noun} '${key.slice(0, 40)}'${known}`);
      }
      // read once into the null-prototype record: a getter cannot answer differently later
      const v = (options as Record<string, unknown>)[key];
      if (v !== undefined) out[key as K] = v;
    }
  } catch (e) {
    if (e instanceof NatgradError) throw e;
    // A getter or a Proxy trap that throws: still a bad argument, reported as one.
    throw new InvalidArgumentError(`${where}: ${label} could not be read (${e instanceof Error ? e.message : describeValue(e)})`);
  }
  return out;
}

/** A boolean option with a default; anything but `true`, `false` or absent is an error. */
export function booleanOption(options: { readonly [key: string]: unknown }, key: string, fallback: boolean, where: string): boolean {
  const v = options[key];
  return v === undefined ? fallback : checkBoolean(v, where, `option ${key}`);
}
