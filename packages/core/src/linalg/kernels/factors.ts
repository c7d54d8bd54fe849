/**
 * Factorisations of concrete matrices that a solve keeps for its derivatives (as `jax.lax.custom_linear_solve`
 * closes over them): computed once from the primal value, then reused by every solve with the same matrix, the
 * transposed solves of reverse mode included. @module
 */
import { dense } from '../../backend/select.js';
import { NonFiniteError, NotPositiveDefiniteError, SingularMatrixError, assertFinite } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { assertFiniteMatrices, copyRun, firstNonFiniteDiagonal } from './batch.js';
import { transposeTriangle } from './triangle.js';

/** LU factors with partial pivoting of a batch of n×n matrices: `P·A = L·U` packed per matrix, and each P. */
export interface LuFactors {
  /** The packed factors (unit lower L strictly below the diagonal, U on and above), matrix t at t·n². */
  readonly lu: Float64Array;
  /** Per matrix, `perm[i]` = the row of A in row i of the factors. */
  readonly perms: readonly Int32Array[];
}

/**
 * The LU factors of every matrix of `a` ([..., n, n]), after checking them all for NaN/∞.
 * @throws {SingularMatrixError} naming `where`, the zero pivot and the batch index; {@link NonFiniteError}.
 */
export function factorLu(a: Tensor, n: number, where: string): LuFactors {
  assertFinite(a.data, `${where} (matrix)`, a.shape);
  const nn = n * n;
  const nb = nn === 0 ? 0 : a.data.length / nn;
  const lu = new Float64Array(a.data.length);
  const perms: Int32Array[] = [];
  for (let t = 0; t < nb; t++) {
    copyRun(a.data, t * nn, lu, t * nn, nn);
    const perm = new Int32Array(n);
    const bad = dense.getrf(n, n, lu, t * nn, n, perm);
    if (bad >= 0) throw new SingularMatrixError(bad, t, where);
    perms.push(perm);
  }
  return { lu, perms };
}

/**
 * The lower Cholesky factor of the symmetric matrix each matrix of `a` ([..., n, n]) defines by its lower (or, when
 * `lower` is false, upper) triangle; matrix t at t·n². `input` names the matrix in a {@link NonFiniteError}.
 *
 * Neither the triangle read nor the factor is scanned for NaN/∞ unless the factorisation fails: pivot i is
 * A[i][i] − Σₖ L[i][k]² over every entry left of the diagonal in row i, on either backend and at every level of the
 * blocked factorisation (its syrk updates subtract squares too). A NaN/∞ in row i of the input, or one produced in L,
 * makes that sum +∞ or NaN, so pivot i is −∞ or NaN and fails — unless A[i][i] = +∞ itself, which leaves
 * L[i][i] = +∞. So a factorisation that succeeds with a finite diagonal read finite input and wrote finite output
 * (the scans cost more than the factorisation's copies in and out of WebAssembly at n = 512).
 * @throws {NotPositiveDefiniteError} naming `where`, the failing pivot and the batch index; {@link NonFiniteError}
 * naming `input` for a NaN/∞ anywhere in the triangles read (checked across the whole batch before either error).
 */
export function factorCholesky(a: Tensor, n: number, lower: boolean, where: string, input: string): Float64Array {
  const part = lower ? 'lower' : 'upper';
  const nn = n * n;
  const nb = nn === 0 ? 0 : a.data.length / nn;
  const l = new Float64Array(a.data.length);
  for (let t = 0; t < nb; t++) {
    const o = t * nn;
    // potrf reads A's lower triangle and writes L's, leaving the (zero) strict upper triangle of `l` alone
    if (!lower) transposeTriangle(a.data, o, l, o, n, false);
    const bad = lower ? dense.potrf(n, a.data, o, n, l, o, n) : dense.potrf(n, l, o, n, l, o, n);
    if (bad >= 0) {
      assertFiniteMatrices(a.data, n, part, input, a.shape); // a NaN/∞ explains the failure better than its pivot
      throw new NotPositiveDefiniteError(bad, l[o + bad * n + bad], t, where);
    }
    const inf = firstNonFiniteDiagonal(l, o, n);
    if (inf >= 0) {
      assertFiniteMatrices(a.data, n, part, input, a.shape);
      throw new NonFiniteError(`${where}: the factor is not finite although the input is`, inf, l[inf], a.shape); // not reached
    }
  }
  return l;
}
