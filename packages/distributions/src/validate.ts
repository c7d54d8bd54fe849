/**
 * Structural and constraint checks on concrete Gaussian coordinates, shared by every parametrisation. Checks run on
 * primal values (tracers are unwrapped), so validating inside a transform never records anything.
 * @module
 */
import {
  ArrayValue,
  InvalidArgumentError,
  NonFiniteError,
  NotPositiveDefiniteError,
  ShapeError,
  type Tensor,
  type Value,
  cholesky,
  isTreeNode,
  primalValue,
} from '@natgrad/core';
import { InvalidParameterError, NotSymmetricError } from './errors.js';
import type { CoordinateKind } from './types.js';

/**
 * Relative tolerance of the symmetry check: `|A[i, j] − A[j, i]| ≤ SYMMETRY_TOLERANCE · max |A|`. Matrices built by
 * products or solves in float64 are symmetric to a few ulps of their largest entry (≈ D·1e-16); even an inverse of a
 * matrix with condition number 1e8 keeps its asymmetry near 1e-8 relative, so this only rejects genuine asymmetry.
 */
export const SYMMETRY_TOLERANCE = 1e-8;

/** Concrete coordinates with the batch shape and dimension they agree on. */
export interface CheckedGaussian {
  readonly values: Readonly<Record<string, Tensor>>;
  readonly batch: readonly number[];
  readonly dim: number;
}

const isMatrixKind = (k: CoordinateKind): boolean => k === 'symmetric' || k === 'lower' || k === 'cholesky';

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Multi-index of flat index `i` in a row-major array of `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    out[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return out;
}

/**
 * Checks that `q` is a plain object with exactly `keys`, whose arrays have consistent shapes (vectors [..., D],
 * matrices [..., D, D], one batch shape) and finite entries, and that each satisfies its {@link CoordinateKind}.
 * @param label what `q` is called in messages, e.g. `"q"` or `"dLdEta"`.
 */
export function checkGaussian(
  where: string,
  q: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  label = 'q',
): CheckedGaussian {
  const keys = Object.keys(coordinates);
  const shaped = checkShapes(where, q, coordinates, label);
  for (const k of keys) checkKind(where, `${label}.${k}`, shaped.values[k], coordinates[k]);
  return shaped;
}

/** Keys, shapes and finiteness only (no kind constraints): what a gradient or direction must satisfy. */
export function checkShapes(
  where: string,
  q: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  label = 'q',
): CheckedGaussian {
  const keys = Object.keys(coordinates);
  const expected = `{${keys.join(', ')}}`;
  if (!isTreeNode(q) || Array.isArray(q)) {
    throw new ShapeError(`${where}: ${label} must be a plain object ${expected}, got ${describe(q)}`);
  }
  const obj = q as Record<string, unknown>;
  for (const k of keys) {
    if (!(k in obj) || obj[k] === undefined) {
      throw new ShapeError(`${where}: ${label} is missing the coordinate "${k}" (expected ${expected})`);
    }
  }
  for (const k of Object.keys(obj)) {
    if (!(k in coordinates)) throw new ShapeError(`${where}: ${label} has an unknown coordinate "${k}" (expected ${expected})`);
  }
  const values: Record<string, Tensor> = {};
  let batch: readonly number[] | undefined;
  let dim = -1;
  let first = '';
  for (const k of keys) {
    const v = obj[k];
    if (!(v instanceof ArrayValue)) {
      throw new InvalidArgumentError(`${where}: ${label}.${k} must be a tensor, got ${describe(v)}`);
    }
    const t = primalValue(v as Value);
    const matrix = isMatrixKind(coordinates[k]);
    const s = t.shape;
    const ok = matrix ? s.length >= 2 && s[s.length - 1] === s[s.length - 2] : s.length >= 1;
    if (!ok || s[s.length - 1] === 0) {
      throw new ShapeError(
        `${where}: ${label}.${k} must have shape ${matrix ? '[..., D, D]' : '[..., D]'} with D ≥ 1, got ${fmt(s)}`,
      );
    }
    const b = s.slice(0, matrix ? -2 : -1);
    const d = s[s.length - 1];
    if (batch === undefined) {
      batch = b;
      dim = d;
      first = k;
    } else if (d !== dim || b.length !== batch.length || b.some((x, i) => x !== batch![i])) {
      throw new ShapeError(
        `${where}: ${label}.${first} has shape ${fmt(obj[first] instanceof ArrayValue ? (obj[first] as Value).shape : [])} ` +
          `but ${label}.${k} has shape ${fmt(s)}: vectors must be [..., D] and matrices [..., D, D] with the same D ` +
          'and the same batch axes',
      );
    }
    checkFinite(`${where}: ${label}.${k}`, t);
    values[k] = t;
  }
  return { values, batch: batch ?? [], dim };
}

/** Throws {@link NonFiniteError} naming `where` and the flat index of the first NaN or infinity. */
export function checkFinite(where: string, t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v - v !== 0) throw new NonFiniteError(where, i, v);
  }
}

function checkKind(where: string, key: string, t: Tensor, kind: CoordinateKind): void {
  switch (kind) {
    case 'vector':
      return;
    case 'positive':
    case 'negative':
      return checkSign(where, key, t, kind === 'positive' ? 1 : -1);
    case 'symmetric':
      return checkSymmetric(where, key, t);
    case 'lower':
    case 'cholesky':
      return checkLower(where, key, t, kind === 'cholesky');
  }
}

/** Every entry strictly positive (`sign` 1) or strictly negative (`sign` −1). */
export function checkSign(where: string, key: string, t: Tensor, sign: 1 | -1, requirement?: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] * sign > 0)) {
      const req = requirement ?? (sign > 0 ? 'must be positive' : 'must be negative');
      throw new InvalidParameterError(where, key, unravel(i, t.shape), d[i], req);
    }
  }
}

/** Symmetric to {@link SYMMETRY_TOLERANCE} relative to each matrix's largest entry. */
export function checkSymmetric(where: string, key: string, t: Tensor): void {
  const n = t.shape[t.shape.length - 1];
  const nn = n * n;
  const d = t.data;
  for (let b = 0; b * nn < d.length; b++) {
    const o = b * nn;
    let scale = 0;
    for (let i = 0; i < nn; i++) scale = Math.max(scale, Math.abs(d[o + i]));
    const tol = SYMMETRY_TOLERANCE * scale;
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const a = d[o + i * n + j], c = d[o + j * n + i];
        if (Math.abs(a - c) > tol) throw new NotSymmetricError(where, key, i, j, [a, c], b, tol);
      }
    }
  }
}

/** Zero above the diagonal (exactly: triangular factors are produced by `tril`, `cholesky` or tril-masked steps). */
export function checkLower(where: string, key: string, t: Tensor, positiveDiagonal: boolean): void {
  const n = t.shape[t.shape.length - 1];
  const nn = n * n;
  const d = t.data;
  for (let b = 0; b * nn < d.length; b++) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = d[b * nn + i * n + j];
        if (v !== 0) throw new InvalidParameterError(where, key, unravel(b * nn + i * n + j, t.shape), v, 'must be lower triangular (zero above the diagonal)');
      }
      const v = d[b * nn + i * n + i];
      if (positiveDiagonal && !(v > 0)) {
        throw new InvalidParameterError(where, key, unravel(b * nn + i * n + i, t.shape), v, 'must have a positive diagonal');
      }
    }
  }
}

/** Positive definiteness by a Cholesky factorisation; the error names `what` and keeps core's pivot and batch index. */
export function checkPositiveDefinite(where: string, what: string, t: Tensor): void {
  try {
    cholesky(t);
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(e.pivot, e.pivotValue, e.batchIndex, `${where}: ${what}`);
    }
    throw e;
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}
