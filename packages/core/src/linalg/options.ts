/** Validation of the option objects of the decompositions. @module */
import { readOptions as readPlainOptions } from '../args.js';
import { InvalidArgumentError } from '../errors.js';

type Kind = 'boolean' | 'number' | 'string';
type Parsed<S extends Record<string, Kind>> = {
  readonly [K in keyof S]?: S[K] extends 'boolean' ? boolean : S[K] extends 'number' ? number : string;
};

/**
 * The options of `where` as a null-prototype record holding only the keys of `spec`, each of its declared type.
 * The object itself is read by core's shared {@link readPlainOptions} (a plain object, own keys only, getters and
 * Proxy traps that throw reported as a bad argument); anything else is an {@link InvalidArgumentError} naming the
 * option: an unknown key (a misspelt or unsupported option must not be ignored), a value of the wrong type
 * (`computeUv: 'no'`), a non-finite number.
 */
export function readOptions<S extends Record<string, Kind>>(where: string, options: unknown, spec: S): Parsed<S> {
  const read = readPlainOptions(options, where, Object.keys(spec));
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(read)) {
    const value = read[key];
    if (typeof value !== spec[key]) {
      throw new InvalidArgumentError(`${where}: option '${key}' must be a ${spec[key]}, got ${describe(value)}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${where}: option '${key}' must be finite, got ${value}`);
    }
    out[key] = value;
  }
  return out as Parsed<S>;
}

/** A short description of a value for error messages (never its full content). */
export function describe(x: unknown): string {
  if (typeof x === 'string') return `'${x.slice(0, 40)}'`;
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  return Array.isArray(x) ? 'an array' : typeof x;
}
