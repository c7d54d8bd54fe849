/**
 * The structure of a Gaussian-shaped tree (a Gaussian, θ, η, moments or a gradient of one): a plain object with
 * exactly the expected keys as own data properties, each a tensor, with shapes that agree on one batch and one D.
 * O(number of keys): no pass over the data, so it runs on every call, even where value checks are switched off.
 * @module
 */
import { ArrayValue, InvalidArgumentError, ShapeError, type Tensor, type Value, primalValue } from '@natgrad/core';
import { describeValue } from './describe.js';
import type { CoordinateKind } from './types.js';

/** Concrete (primal) coordinates with the batch shape and dimension they agree on. */
export interface CheckedGaussian {
  /** Primal tensors by key (a null-prototype record). */
  readonly values: Readonly<Record<string, Tensor>>;
  /** Batch axes shared by all coordinates. */
  readonly batch: readonly number[];
  /** The dimension D. */
  readonly dim: number;
}

const KEYS = new WeakMap<object, readonly string[]>();

/**
 * `Object.keys(coordinates)`, remembered for frozen records (descriptors' coordinates and the θ/η records): the
 * coordinate records are null-prototype objects, on which `Object.keys` costs ≈ 0.2 µs, and it is asked for several
 * times per entry-point call.
 */
export function coordinateKeys(coordinates: Readonly<Record<string, CoordinateKind>>): readonly string[] {
  let keys = KEYS.get(coordinates);
  if (keys === undefined) {
    keys = Object.freeze(Object.keys(coordinates));
    if (Object.isFrozen(coordinates)) KEYS.set(coordinates, keys);
  }
  return keys;
}

/** Matrix coordinates are [..., D, D]; the others [..., D]. */
export const isMatrixKind = (k: CoordinateKind): boolean => k === 'symmetric' || k === 'lower' || k === 'cholesky';

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** True for objects whose prototype is `Object.prototype` or `null` (not arrays, class instances, functions). */
export function isPlainObject(x: unknown): x is object {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads `q` as a tree with exactly the keys of `coordinates` (own data properties; `constructor`, `__proto__` or
 * any other extra own key is an unknown coordinate, inherited properties count for nothing) and checks its shapes.
 * @param label what `q` is called in messages, e.g. `"q"`, `"theta"` or `"dLdEta"`.
 */
export function readTree(
  where: string,
  q: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  label = 'q',
): CheckedGaussian {
  const keys = coordinateKeys(coordinates);
  if (!isPlainObject(q)) throw new ShapeError(`${where}: ${label} must be a plain object {${keys.join(', ')}}, got ${describeValue(q)}`);
  // Every coordinate is checked to be an own property below, so equal counts mean there is no other own key. (Own
  // names and symbols counted apart: together an order of magnitude cheaper than Reflect.ownKeys on a plain object.)
  if (Object.getOwnPropertyNames(q).length + Object.getOwnPropertySymbols(q).length !== keys.length) {
    unknownKey(where, label, Reflect.ownKeys(q), coordinates, keys);
  }
  const values: Record<string, Tensor> = Object.create(null);
  let batch: readonly number[] = [];
  let dim = -1;
  let first = '';
  for (const k of keys) {
    const d = Object.getOwnPropertyDescriptor(q, k);
    if (d === undefined || ('value' in d && d.value === undefined)) {
      // A missing coordinate next to an extra key: the count matched, so name the extra key if there is one.
      if (d === undefined) unknownKey(where, label, Reflect.ownKeys(q), coordinates, keys);
      throw new ShapeError(`${where}: ${label} is missing the coordinate "${k}" (expected {${keys.join(', ')}})`);
    }
    if (!('value' in d)) throw new InvalidArgumentError(`${where}: ${label}.${k} must be a data property, not a getter or setter`);
    const v: unknown = d.value;
    if (!(v instanceof ArrayValue)) {
      throw new InvalidArgumentError(`${where}: ${label}.${k} must be a tensor, got ${describeValue(v)}`);
    }
    const t = primalValue(v as Value);
    const matrix = isMatrixKind(coordinates[k]);
    const s = t.shape;
    const r = s.length;
    const ok = matrix ? r >= 2 && s[r - 1] === s[r - 2] : r >= 1;
    if (!ok || s[r - 1] === 0) {
      throw new ShapeError(`${where}: ${label}.${k} must have shape ${matrix ? '[..., D, D]' : '[..., D]'} with D ≥ 1, got ${fmt(s)}`);
    }
    const nb = matrix ? r - 2 : r - 1;
    if (dim < 0) {
      batch = leadingAxes(s, nb);
      dim = s[r - 1];
      first = k;
    } else if (s[r - 1] !== dim || !sameBatch(batch, s, nb)) {
      throw new ShapeError(
        `${where}: ${label}.${first} has shape ${fmt(values[first].shape)} but ${label}.${k} has shape ${fmt(s)}: vectors ` +
          'must be [..., D] and matrices [..., D, D] with the same D and the same batch axes',
      );
    }
    values[k] = t;
  }
  return { values, batch, dim };
}

/** The first `n` extents of a shape, copied by hand (shapes are frozen: `slice` takes a slow path on them). */
function leadingAxes(s: readonly number[], n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = s[i];
  return out;
}

/** `batch` equals the first `n` extents of `s` (and has length n). */
export function sameBatch(batch: readonly number[], s: readonly number[], n = batch.length): boolean {
  if (batch.length !== n) return false;
  for (let i = 0; i < n; i++) if (batch[i] !== s[i]) return false;
  return true;
}

function unknownKey(
  where: string,
  label: string,
  own: readonly (string | symbol)[],
  coordinates: Readonly<Record<string, CoordinateKind>>,
  keys: readonly string[],
): void {
  for (const k of own) {
    if (typeof k !== 'string' || !Object.hasOwn(coordinates, k)) {
      const name = typeof k === 'string' ? `"${k}"` : 'with a symbol key';
      throw new ShapeError(`${where}: ${label} has an unknown coordinate ${name} (expected {${keys.join(', ')}})`);
    }
  }
}
