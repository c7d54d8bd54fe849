/**
 * Value checks on concrete Gaussian coordinates (finiteness, symmetry, triangularity, signs, positive definiteness),
 * shared by every parametrisation; the structure is read by `structure.ts` first. Checks run on primal values
 * (tracers are unwrapped), so validating inside a transform never records anything.
 * @module
 */
import { NonFiniteError, NotPositiveDefiniteError, type Tensor, cholesky } from '@natgrad/core';
import { checkFinite, firstNonFinite } from './arguments.js';
import { InvalidParameterError, NotSymmetricError } from './errors.js';
import { type CheckedGaussian, coordinateKeys, readTree } from './structure.js';
import type { CoordinateKind } from './types.js';

export type { CheckedGaussian } from './structure.js';

/**
 * Relative tolerance of the symmetry check: `|A[i, j] − A[j, i]| ≤ SYMMETRY_TOLERANCE · max |A|`. Matrices built by
 * products or solves in float64 are symmetric to a few ulps of their largest entry (≈ D·1e-16); even an inverse of a
 * matrix with condition number 1e8 keeps its asymmetry near 1e-8 relative, so this only rejects genuine asymmetry.
 */
export const SYMMETRY_TOLERANCE = 1e-8;

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
 * @param label what `q` is called in messages, e.g. `"q"` or `"theta"`.
 */
export function checkGaussian(
  where: string,
  q: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  label = 'q',
): CheckedGaussian {
  const c = checkShapes(where, q, coordinates, label);
  for (const k of coordinateKeys(coordinates)) checkKind(where, `${label}.${k}`, c.values[k], coordinates[k]);
  return c;
}

/** Keys, shapes and finiteness only (no kind constraints): what a gradient or direction must satisfy. */
export function checkShapes(
  where: string,
  q: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  label = 'q',
): CheckedGaussian {
  const c = readTree(where, q, coordinates, label);
  for (const k of coordinateKeys(coordinates)) {
    // The message is built only on failure: this runs on every call of every entry point.
    const data = c.values[k].data, i = firstNonFinite(data);
    if (i >= 0) throw new NonFiniteError(`${where}: ${label}.${k}`, i, data[i]);
  }
  return c;
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
  // A derived matrix (η₂ − η₁η₁ᵀ, a user's Σ) can overflow although its inputs are finite: name it, not `cholesky`.
  checkFinite(`${where}: ${what}`, t);
  try {
    cholesky(t);
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(e.pivot, e.pivotValue, e.batchIndex, `${where}: ${what}`);
    }
    throw e;
  }
}
