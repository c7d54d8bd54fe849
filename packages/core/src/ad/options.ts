/**
 * Options shared by the transforms: `argnums` (JAX semantics), `hasAux`, `chunkSize`, validated once when a
 * transform is created (types, unknown keys) and, for `argnums`, again per call (range, which needs the call).
 * @module
 */
import { isClassConstructor } from '../args.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { type TreeDef, flattenTree, unflatten } from '../tree.js';
import { ArrayValue, type Value } from '../value.js';
import { flattenValues } from './leaves.js';
import { checkNotEscaped, lowerInnermost } from './trace.js';

/** Which positional argument(s) a transform differentiates with respect to: an index, or an array of distinct ones. */
export type Argnums = number | readonly number[];

/** Throws unless `f` is a function that can be called (not a class constructor). */
export function checkFunction(f: unknown, where: string, arg = 'f'): void {
  if (typeof f !== 'function') throw new InvalidArgumentError(`${where}: ${arg} must be a function, got ${typeof f}`);
  if (isClassConstructor(f)) {
    throw new InvalidArgumentError(`${where}: ${arg} must be a function, got a class constructor (it cannot be called without new)`);
  }
}

/**
 * Reads an options object: `undefined` is `{}`; anything else must be a plain object (a `Date`, `Map` or boxed number
 * is not) whose keys are all in `allowed` (a misspelt option is an error, not silently ignored).
 */
export function readOptions(options: unknown, where: string, allowed: readonly string[]): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(`${where}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const proto = Object.getPrototypeOf(options);
  if (proto !== Object.prototype && proto !== null) {
    throw new InvalidArgumentError(`${where}: options must be a plain object, got ${describeValue(options)}`);
  }
  // Own keys only, copied into a null-prototype record: an inherited or prototype-polluted key is never read.
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) {
      throw new InvalidArgumentError(`${where}: unknown option '${k}' (allowed: ${allowed.join(', ')})`);
    }
    out[k] = (options as Record<string, unknown>)[k];
  }
  return out;
}

/** A boolean option: `undefined` gives `fallback`; anything but `true`/`false` is an error (no truthy strings). */
export function booleanOption(value: unknown, where: string, name: string, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${where}: option ${name} must be a boolean, got ${show(value)}`);
  return value;
}

/** A positive-integer option (e.g. `chunkSize`); `undefined` gives `fallback`. */
export function positiveIntegerOption(value: unknown, where: string, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${where}: ${name} must be a positive integer, got ${show(value)}`);
  }
  return value;
}

/** Checks the type of an `argnums` option (an integer, or a non-empty array of integers); `undefined` gives 0. */
export function argnumsOption(value: unknown, where: string): Argnums {
  if (value === undefined) return 0;
  const bad = (): never => {
    throw new InvalidArgumentError(`${where}: argnums must be an integer or a non-empty array of integers, got ${show(value)}`);
  };
  if (typeof value === 'number') return Number.isInteger(value) ? value : bad();
  if (!Array.isArray(value) || value.length === 0) return bad();
  for (const a of value) if (typeof a !== 'number' || !Number.isInteger(a)) bad();
  return Object.freeze(value.slice()) as readonly number[];
}

/**
 * Resolves `argnums` for a call with `nargs` arguments, as JAX does: −1 is the last argument; an index outside
 * [−nargs, nargs) and an argument named twice (after resolving negatives) are errors.
 */
export function resolveArgnums(argnums: Argnums, nargs: number, where: string): number[] {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  const out: number[] = [];
  for (const a of list) {
    if (a < -nargs || a >= nargs) {
      throw new InvalidArgumentError(
        `${where}: argnums ${a} is out of range for a call with ${nargs} argument(s) (valid: ${-nargs} to ${nargs - 1})`,
      );
    }
    const r = a < 0 ? a + nargs : a;
    if (out.includes(r)) {
      throw new InvalidArgumentError(`${where}: argnums [${list.join(', ')}] name argument ${r} more than once`);
    }
    out.push(r);
  }
  return out;
}

/** Splits the `[out, aux]` pair a function with `hasAux` returns. */
export function splitAux(result: unknown, where: string): [unknown, unknown] {
  if (!Array.isArray(result) || result.length !== 2) {
    throw new ShapeError(`${where}: with hasAux, f must return a pair [output, aux], got ${Array.isArray(result) ? `an array of length ${result.length}` : typeof result}`);
  }
  return [result[0], result[1]];
}

/**
 * Lowers the leaves of an auxiliary output out of the innermost (running) transform: aux is returned undifferentiated
 * by this transform and stays traced by enclosing ones. Call it while the transform's main is on top of the stack.
 */
export function lowerAux(aux: unknown, where: string): unknown {
  const [leaves, def] = flattenTree(aux, where, 'the aux output of f');
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (leaf instanceof ArrayValue) checkNotEscaped(leaf, where);
    leaves[i] = lowerInnermost(leaf);
  }
  return unflatten(def, leaves, where);
}

function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  return String(x);
}

/**
 * The arguments a transform differentiates, flattened (leaf rule of `leaves.ts`, messages naming `argument i`), and
 * `f` as a function of just those: the other arguments are passed through unchanged.
 */
export function selectArgs(
  f: (...args: any[]) => unknown,
  args: readonly unknown[],
  argnums: readonly number[],
  where: string,
): { leaves: Value[]; def: TreeDef; g: (...selected: unknown[]) => unknown } {
  const leaves: Value[] = [];
  const children = argnums.map((a) => {
    const [l, d] = flattenValues(args[a], { where, what: `argument ${a}` });
    for (const v of l) leaves.push(v);
    return d;
  });
  const g = (...selected: unknown[]) => {
    const full = args.slice();
    argnums.forEach((a, i) => {
      full[a] = selected[i];
    });
    return f(...full);
  };
  return { leaves, def: { kind: 'array', children }, g };
}
