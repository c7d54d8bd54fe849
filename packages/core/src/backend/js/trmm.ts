/** JavaScript `trmm`: triangular matrix products, in place. @module */
import { SLOT, scratch } from './scratch.js';

/**
 * `B ← op(A)·B` or `B ← B·op(A)` (see {@link DenseKernels.trmm}). The left product works by rows of B in the order
 * that reads every row before it is overwritten: bottom-up when op(A) is lower triangular (row i needs rows k ≤ i),
 * top-down when it is upper; the inner loop runs contiguously over the columns and takes four rows per pass. The
 * right product is the left one on Bᵀ (B·op(A) = (op(A)ᵀ·Bᵀ)ᵀ) through reusable scratch.
 */
export function trmm(
  right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): void {
  if (m === 0 || n === 0) return;
  if (!right) {
    multiplyLeft(lower, transA, unit, m, n, a, aOff, lda, b, bOff, ldb);
    return;
  }
  const w = scratch(SLOT.trmm, m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = b[bOff + i * ldb + j];
  multiplyLeft(lower, !transA, unit, n, m, a, aOff, lda, w, 0, m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) b[bOff + i * ldb + j] = w[j * m + i];
}

/** `X ← op(A)·X` for the n×n A and n×m X. */
function multiplyLeft(
  lower: boolean, trans: boolean, unit: boolean, n: number, m: number,
  t: Float64Array, tOff: number, ldt: number, x: Float64Array, xOff: number, ldx: number,
): void {
  // op(A)[i][k] = t[tOff + i·rs + k·cs]
  const rs = trans ? 1 : ldt, cs = trans ? ldt : 1;
  const opLower = lower !== trans;
  for (let step = 0; step < n; step++) {
    const i = opLower ? n - 1 - step : step;
    const kHi = opLower ? i : n;
    const ti = tOff + i * rs, xi = xOff + i * ldx;
    if (!unit) {
      const d = t[tOff + i * ldt + i];
      for (let j = 0; j < m; j++) x[xi + j] *= d;
    }
    let k = opLower ? 0 : i + 1;
    for (; k + 3 < kHi; k += 4) {
      const c0 = t[ti + k * cs], c1 = t[ti + (k + 1) * cs], c2 = t[ti + (k + 2) * cs], c3 = t[ti + (k + 3) * cs];
      const x0 = xOff + k * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
      for (let j = 0; j < m; j++) x[xi + j] += c0 * x[x0 + j] + c1 * x[x1 + j] + c2 * x[x2 + j] + c3 * x[x3 + j];
    }
    for (; k < kHi; k++) {
      const c = t[ti + k * cs];
      const xk = xOff + k * ldx;
      for (let j = 0; j < m; j++) x[xi + j] += c * x[xk + j];
    }
  }
}
