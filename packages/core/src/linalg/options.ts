/** Validation of the option objects of the decompositions. @module */
import { InvalidArgumentError } from '../errors.js';

type Kind = 'boolean' | 'number' | 'string';
type Parsed<S extends Record<string, Kind>> = {
  readonly [K in keyof S]?: S[K] extends 'boolean' ? boolean : S[K] extends 'number' ? number : string;
};

/**
 * The options of `where` as a null-prototype record holding only the keys of `spec`, each of its declared type.
 * Anything else is an {@link InvalidArgumentError} naming the option: an unknown key (a misspelt or unsupported
 * option must not be ignored), a value of the wrong type (`computeUv: 'no'`), a non-object.
 */
export function readOptions<S extends Record<string, Kind>>(where: string, options: unknown, spec: S): Parsed<S> {
  const out = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return out as Parsed<S>;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      const known = Object.keys(spec).map((k) => `'${k}'`).join(', ');
      throw new InvalidArgumentError(`${where}: unknown option '${key.slice(0, 40)}' (known: ${known})`);
    }
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
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
