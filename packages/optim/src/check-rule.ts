/** Checking that a value handed to a composite or to `setup` is a rule, so a typo fails where it was made. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { AnyRule } from './rule.js';
import { shown } from './errors.js';

/** Why `x` is not a {@link Rule}, or undefined when it is one. */
function ruleProblem(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object') return `got ${x === null ? 'null' : typeof x === 'string' ? `the string ${JSON.stringify(x)} (call the factory: Adam(), not 'Adam')` : typeof x}`;
  const r = x as Partial<AnyRule>;
  if (typeof r.name !== 'string' || r.name === '') return 'it has no name';
  if (typeof r.init !== 'function' || typeof r.apply !== 'function') return `${r.name} has no init/apply functions`;
  if (r.hyperparams === null || typeof r.hyperparams !== 'object') return `${r.name} has no hyperparams object`;
  return undefined;
}

/**
 * Returns `x` if it is a rule (name, hyperparams, init, apply).
 * @param where the function and argument, e.g. `"chain: argument 2"`
 * @throws {InvalidArgumentError} saying what `x` is instead
 */
export function checkRule(where: string, x: unknown): AnyRule {
  const problem = ruleProblem(x);
  if (problem !== undefined) throw new InvalidArgumentError(`${where} must be an optimiser rule (e.g. Adam(1e-3)); ${problem}`);
  return x as AnyRule;
}

/**
 * Rejects option keys a function does not know (a typo would otherwise be silently ignored): `options` must be
 * `undefined` or a plain object (a `Date`, `Map` or boxed number is not one) whose own keys are all in `known`.
 * Values are not looked at: read them with their own checks.
 * @param where the function, for messages
 * @throws {InvalidArgumentError} naming `where` for anything else (a Proxy trap that throws included)
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (!Array.isArray(known)) throw new InvalidArgumentError(`checkOptions: known must be an array of option names, got ${shown(known)}`);
  for (let i = 0; i < known.length; i++) {
    if (typeof known[i] !== 'string') throw new InvalidArgumentError(`checkOptions: known[${i}] must be an option name (a string), got ${shown(known[i])}`);
  }
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(`${where}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  let keys: string[];
  try {
    const proto = Object.getPrototypeOf(options);
    if (proto !== Object.prototype && proto !== null) throw new InvalidArgumentError(`${where}: options must be a plain object, got ${shown(options)}`);
    keys = Object.keys(options);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(`${where}: options could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  for (const k of keys) {
    if (!known.includes(k)) throw new InvalidArgumentError(`${where}: unknown option ${JSON.stringify(k)} (known: ${known.join(', ') || 'none'})`);
  }
}

/** A boolean option: absent gives `fallback`; anything but `true`/`false` is an error (`'no'` is not false). @internal */
export function booleanOption(where: string, options: unknown, key: string, fallback: boolean): boolean {
  const v = options === undefined ? undefined : (options as Record<string, unknown>)[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new InvalidArgumentError(`${where}: option ${key} must be true or false, got ${shown(v)}`);
  return v;
}

/** An integer option in [min, max]: absent gives `fallback`; null, NaN, fractions and strings are errors. @internal */
export function integerOption(where: string, options: unknown, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = options === undefined ? undefined : (options as Record<string, unknown>)[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`${where}: option ${key} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? 'MAX_SAFE_INTEGER' : max}], got ${shown(v)}`);
  }
  return v;
}

/**
 * Returns `f` if it can be called as `f(…)`: a function that is not a class constructor (those are functions to
 * `typeof`, but throw a TypeError when called without `new`). @internal
 */
export function checkFunction<F>(where: string, f: F): F {
  if (typeof f !== 'function') throw new InvalidArgumentError(`${where} must be a function, got ${shown(f)}`);
  const d = Object.getOwnPropertyDescriptor(f, 'prototype');
  if (d !== undefined && d.writable === false && /^class\b/.test(Function.prototype.toString.call(f))) {
    throw new InvalidArgumentError(`${where} must be a function, got a class constructor (it cannot be called without new)`);
  }
  return f;
}

/** Returns `x` if it is a plain object (`{…}` or a null-prototype record), for records of user definitions. @internal */
export function checkPlainObject(where: string, x: unknown): Record<string, unknown> {
  const proto = x !== null && typeof x === 'object' ? Object.getPrototypeOf(x) : undefined;
  if (proto !== Object.prototype && proto !== null) throw new InvalidArgumentError(`${where} must be a plain object, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  return x as Record<string, unknown>;
}

/** A string argument (a path, a name). @internal */
export function checkStringArg(where: string, x: unknown): string {
  if (typeof x !== 'string') throw new InvalidArgumentError(`${where} must be a string, got ${shown(x)}`);
  return x;
}

/**
 * Returns `x` if it looks like an optimiser state from `setup`, `update` or `load` (a rule, a state, a step count).
 * @throws {InvalidArgumentError} naming `where`
 */
export function checkOptimiserState<T extends { readonly rule: unknown; readonly step: number }>(where: string, x: T): T {
  if (x === null || typeof x !== 'object' || !('rule' in x) || !('state' in x)) {
    throw new InvalidArgumentError(`${where} must be an optimiser state (from setup, update or load), got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  checkRule(`${where}.rule`, x.rule);
  if (!Number.isInteger(x.step) || x.step < 0) throw new InvalidArgumentError(`${where}.step must be an integer ≥ 0, got ${shown(x.step)}`);
  const { state, frozen } = x as unknown as { state: unknown; frozen?: unknown };
  if (state === null || state === undefined) throw new InvalidArgumentError(`${where}.state is ${state}: pass the state setup, update or load returned`);
  if (frozen !== undefined && (!Array.isArray(frozen) || frozen.some((p) => typeof p !== 'string'))) {
    throw new InvalidArgumentError(`${where}.frozen must be an array of paths (strings), got ${shown(frozen)}`);
  }
  return x;
}

/**
 * Returns `state` if it looks like a training state (an object with an integer `step` ≥ 0, and a numeric `loss` and
 * an `events` array when `full`), for the operators that read what a stream emits. @internal
 */
export function checkEmitted<T>(where: string, state: T, full = false): T {
  const s = state as { step?: unknown; loss?: unknown; events?: unknown } | null;
  if (s === null || typeof s !== 'object' || typeof s.step !== 'number' || !Number.isInteger(s.step) || s.step < 0) {
    throw new InvalidArgumentError(`${where}: the stream emitted ${shown(state)}${s !== null && typeof s === 'object' ? ` with step ${shown(s.step)}` : ''}, not a training state (from train)`);
  }
  if (full && (typeof s.loss !== 'number' || !Array.isArray(s.events))) {
    throw new InvalidArgumentError(`${where}: the stream emitted a state without a numeric loss and an events array, not a training state (from train)`);
  }
  return state;
}

/**
 * Returns `r` if it is what a rule's `apply` returns, `[state, step]`: a composite checks its children's results here,
 * so a misbehaving user rule is named instead of failing deep inside a tree walk. @internal
 */
export function checkApplied<T extends readonly [unknown, unknown]>(where: string, r: T): T {
  if (!Array.isArray(r) || r.length !== 2) throw new InvalidArgumentError(`${where}: a rule's apply must return [state, step], got ${shown(r)}`);
  return r;
}

/** Throws unless `x` can be subscribed to (an rxjs Observable or anything with `subscribe`). */
export function checkObservable<T>(where: string, x: T): T {
  if (x === null || typeof x !== 'object' || typeof (x as { subscribe?: unknown }).subscribe !== 'function') {
    throw new InvalidArgumentError(`${where}: expected an Observable (e.g. train(…)), got ${x === null ? 'null' : typeof x}`);
  }
  return x;
}
