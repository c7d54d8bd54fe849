import { bind, primalValue } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { sizeOfRange } from '../shape.js';
import { type Tensor, tensorOf } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { block, upper } from './blocks.js';
import { triangle } from './helpers.js';
import { luPermutations, luPrim } from './lu-prim.js';
import { matrixRank } from './shapes.js';

/** The result of {@link luFactor}: the packed factors and the row exchanges (`jax.lax.linalg.lu`). */
export interface LuFactorResult<T> {
  /**
   * The factors of `P·A = L·U` packed as LAPACK does, [..., m, n]: L strictly below the diagonal (unit diagonal
   * implied), U on and above it. Differentiable.
   */
  readonly lu: T;
  /**
   * LAPACK's pivot indices (0-based), [..., min(m, n)]: row i was interchanged with row `pivots[i]` (≥ i), in order
   * (`scipy.linalg.lu_factor`'s `piv`). Integer-valued float64; constant (no derivative).
   */
  readonly pivots: Tensor;
  /** The same as a permutation, [..., m]: row i of `P·A` is row `permutation[i]` of A. Constant (no derivative). */
  readonly permutation: Tensor;
}

/** The result of {@link lu}: `A = P·L·U` (`jax.scipy.linalg.lu`). */
export interface LuResult<T> {
  /** The permutation matrix P, [..., m, m] (constant). */
  readonly p: Tensor;
  /** The unit lower-triangular (trapezoidal) factor L, [..., m, min(m, n)]. */
  readonly l: T;
  /** The upper-triangular (trapezoidal) factor U, [..., min(m, n), n]. */
  readonly u: T;
}

function factor(a: ArrayInput, where: string) {
  const v = toValue(a, where, 'a');
  matrixRank(v.shape, where);
  assertFinite(primalValue(v).data, where, v.shape);
  const packed = bind(luPrim, [v], undefined);
  const nd = v.shape.length;
  const m = v.shape[nd - 2], n = v.shape[nd - 1];
  return { packed, m, n, perms: luPermutations(primalValue(packed)) };
}

/**
 * LU factorisation with partial pivoting of each matrix of `a` ([..., m, n], any m and n), `P·A = L·U` (LAPACK
 * `getrf`, `jax.lax.linalg.lu`, `scipy.linalg.lu_factor`), packed for {@link luSolve}. Every finite matrix factors,
 * singular ones included (U then has a zero on its diagonal, and luSolve refuses it).
 *
 * Derivative (of `lu`; the pivots are piecewise constant): with X = P·dA and G = L⁻¹X, dL = L·tril(G U⁻¹, −1) and
 * dU = triu(G − tril(G U⁻¹, −1)·U), as JAX, written so that only the first min(m, n) − 1 pivots are divided by: a
 * square matrix whose last pivot is zero is differentiable. A zero among the other pivots makes the derivative
 * raise {@link SingularMatrixError} (L is not even continuous there).
 * @throws {NonFiniteError} on NaN/∞; {@link ShapeError} for rank < 2.
 */
export function luFactor<T extends ArrayInput>(a: T): LuFactorResult<Result<T>> {
  const { packed, m, n, perms } = factor(a, 'luFactor');
  const batch = packed.shape.slice(0, -2);
  return Object.freeze({
    lu: block(packed, 0, m, 0, n) as Result<T>,
    pivots: tensorOf(swapsOf(perms, m, Math.min(m, n)), Object.freeze([...batch, Math.min(m, n)])),
    permutation: tensorOf(Float64Array.from(perms), Object.freeze([...batch, m])),
  });
}

/**
 * LU factorisation with partial pivoting, `A = P·L·U`, of each matrix of `a` ([..., m, n]) as separate factors
 * (`jax.scipy.linalg.lu`): P a permutation matrix, L unit lower triangular (trapezoidal), U upper triangular
 * (trapezoidal). Derivatives as {@link luFactor}.
 * @throws {NonFiniteError} on NaN/∞; {@link ShapeError} for rank < 2.
 */
export function lu<T extends ArrayInput>(a: T): LuResult<Result<T>> {
  const { packed, m, n, perms } = factor(a, 'lu');
  const k = Math.min(m, n);
  const batch = packed.shape.slice(0, -2);
  const nb = sizeOfRange(packed.shape, 0, batch.length);
  const p = new Float64Array(nb * m * m);
  for (let t = 0; t < nb; t++) for (let i = 0; i < m; i++) p[t * m * m + perms[t * m + i] * m + i] = 1;
  const eye = new Float64Array(m * k);
  for (let i = 0; i < k; i++) eye[i * k + i] = 1;
  return Object.freeze({
    p: tensorOf(p, Object.freeze([...batch, m, m])),
    l: lax.add(triangle(block(packed, 0, m, 0, k), true, true), tensorOf(eye, Object.freeze([m, k]))) as Result<T>,
    u: upper(block(packed, 0, k, 0, n)) as Result<T>,
  });
}

/** LAPACK-style pivots (row i swapped with row `piv[i]`, in order) producing the permutations `perms`. */
function swapsOf(perms: Int32Array, m: number, k: number): Float64Array {
  const nb = m === 0 ? 0 : perms.length / m;
  const out = new Float64Array(nb * k);
  const row = new Int32Array(m), pos = new Int32Array(m);
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < m; i++) row[i] = pos[i] = i;
    for (let i = 0; i < k; i++) {
      const j = pos[perms[t * m + i]];
      out[t * k + i] = j;
      const ri = row[i], rj = row[j];
      row[i] = rj;
      row[j] = ri;
      pos[rj] = i;
      pos[ri] = j;
    }
  }
  return out;
}
