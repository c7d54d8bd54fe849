/**
 * Options objects: read as untrusted input. Only own data properties count (an inherited or accessor `validate` is
 * not an option), unknown keys are refused (a typo such as `{ sample: 64 }` must not be silently ignored), and every
 * value is type-checked (the string `'no'` is not `false`).
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { describeValue } from './describe.js';

/** The own options given, in a null-prototype record (a missing or `undefined` value is absent). */
export type OptionValues = Readonly<Record<string, unknown>>;

/**
 * Checks that `options` is `undefined` or a plain object (null prototype allowed) whose own keys are all in
 * `allowed` and are data properties, and returns them in a null-prototype record.
 */
export function readOptions(
  where: string,
  options: unknown,
  allowed: readonly string[],
  label = 'options',
  noun = 'option',
): OptionValues {
  const out: Record<string, unknown> = Object.create(null);
  if (options === undefined) return out;
  const proto: unknown = options !== null && typeof options === 'object' ? Object.getPrototypeOf(options) : undefined;
  if (Array.isArray(options) || (proto !== Object.prototype && proto !== null)) {
    throw new InvalidArgumentError(`${where}: ${label} must be a plain object, got ${describeValue(options)}`);
  }
  // Own names, then own symbols: Reflect.ownKeys's order, at a fraction of its cost on a plain object.
  const names: (string | symbol)[] = Object.getOwnPropertyNames(options);
  const symbols = Object.getOwnPropertySymbols(options);
  for (const k of symbols.length === 0 ? names : names.concat(symbols)) {
    if (typeof k !== 'string' || !allowed.includes(k)) {
      const name = typeof k === 'string' ? JSON.stringify(k) : 'a symbol key';
      throw new InvalidArgumentError(`${where}: ${label} has an unknown ${noun} ${name} (allowed: ${allowed.join(', ')})`);
    }
    const d = Object.getOwnPropertyDescriptor(options, k)!;
    if (!('value' in d)) throw new InvalidArgumentError(`${where}: ${label}.${k} must be a data property, not a getter or setter`);
    if (d.value !== undefined) out[k] = d.value;
  }
  return out;
}

/** A boolean option: `true`, `false` or absent (then `fallback`); anything else, even a truthy string, is refused. */
export function booleanOption(where: string, label: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${where}: ${label} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** One of a fixed set of strings, or absent (then `fallback`). */
export function enumOption<T extends string>(where: string, label: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      `${where}: ${label} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}
