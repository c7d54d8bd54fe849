/** JavaScript `trsm`: triangular solves with many right-hand sides, in place. @module */
import { firstZeroDiagonal, substitutesForward } from '../check.js';
import { SLOT, scratch } from './scratch.js';

/**
 * `B ← op(A)⁻¹·B` or `B ← B·op(A)⁻¹` (see {@link DenseKernels.trsm}). The left solve substitutes by rows of X:
 * `X[i] = (B[i] − Σ_k op(A)[i][k]·X[k]) / A[i][i]`, the inner loop running contiguously over the right-hand sides and
 * taking four rows X[k] per pass (five loads and one store feed four multiply-adds). The right solve is the left one
 * on Bᵀ (X·op(A) = B ⟺ op(A)ᵀ·Xᵀ = Bᵀ) through reusable scratch.
 */
export function trsm(
  right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): number {
  const order = right ? n : m;
  const trans = right ? !transA : transA;
  if (!unit) {
    const bad = firstZeroDiagonal(a, aOff, lda, order, !substitutesForward(lower, trans));
    if (bad >= 0) return bad;
  }
  if (m === 0 || n === 0) return -1;
  if (!right) {
    solveLeft(lower, transA, unit, m, n, a, aOff, lda, b, bOff, ldb);
    return -1;
  }
  const w = scratch(SLOT.trsm, m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = b[bOff + i * ldb + j];
  solveLeft(lower, trans, unit, n, m, a, aOff, lda, w, 0, m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) b[bOff + i * ldb + j] = w[j * m + i];
  return -1;
}

/** `X ← op(A)⁻¹·X` for the n×n A and n×m X (the diagonal is known to be nonzero). */
function solveLeft(
  lower: boolean, trans: boolean, unit: boolean, n: number, m: number,
  t: Float64Array, tOff: number, ldt: number, x: Float64Array, xOff: number, ldx: number,
): void {
  // op(A)[i][k] = t[tOff + i·rs + k·cs]
  const rs = trans ? 1 : ldt, cs = trans ? ldt : 1;
  const forward = substitutesForward(lower, trans);
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step;
    const kHi = forward ? i : n;
    const ti = tOff + i * rs, xi = xOff + i * ldx;
    let k = forward ? 0 : i + 1;
    for (; k + 3 < kHi; k += 4) {
      const c0 = t[ti + k * cs], c1 = t[ti + (k + 1) * cs], c2 = t[ti + (k + 2) * cs], c3 = t[ti + (k + 3) * cs];
      const x0 = xOff + k * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
      for (let j = 0; j < m; j++) x[xi + j] -= c0 * x[x0 + j] + c1 * x[x1 + j] + c2 * x[x2 + j] + c3 * x[x3 + j];
    }
    for (; k < kHi; k++) {
      const c = t[ti + k * cs];
      const xk = xOff + k * ldx;
      for (let j = 0; j < m; j++) x[xi + j] -= c * x[xk + j];
    }
    if (unit) continue;
    const d = t[tOff + i * ldt + i];
    for (let j = 0; j < m; j++) x[xi + j] /= d;
  }
}
