/**
 * Triangular kernels whose result is itself triangular, blocked on the dense `trmm`/`trsm` so that only the triangle
 * is computed: a product of two triangular matrices (n³/3 flops where `trmm` on a full B costs n³) and the triangle
 * of a right solve (n³/3 instead of n³). Panels of {@link PANEL} columns or rows; at most two panels, one call. @module
 */
import { dense } from '../../backend/select.js';

/** Panel width: wide enough for the kernels' blocking, narrow enough that the diagonal panels waste little. */
export const PANEL = 64;

/**
 * `B ← op(A)·B` (`right` false) or `B ← B·op(A)` for n×n matrices where B has op(A)'s triangle and zeros in the
 * other (so the product has it too): left, columns are independent, and panel J of the result only needs op(A)'s
 * leading (upper) or trailing (lower) principal block; right, the same for rows.
 */
export function trmmTriangular(
  right: boolean, lowerA: boolean, transA: boolean, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): void {
  if (n <= 2 * PANEL) {
    dense.trmm(right, lowerA, transA, false, n, n, a, aOff, lda, b, bOff, ldb);
    return;
  }
  const upper = lowerA === transA; // op(A) is upper triangular
  for (let p0 = 0; p0 < n; p0 += PANEL) {
    const w = Math.min(PANEL, n - p0), p1 = p0 + w;
    if (!right) {
      if (upper) dense.trmm(false, lowerA, transA, false, p1, w, a, aOff, lda, b, bOff + p0, ldb);
      else dense.trmm(false, lowerA, transA, false, n - p0, w, a, aOff + p0 * lda + p0, lda, b, bOff + p0 * ldb + p0, ldb);
    } else if (upper) {
      dense.trmm(true, lowerA, transA, false, w, n - p0, a, aOff + p0 * lda + p0, lda, b, bOff + p0 * ldb + p0, ldb);
    } else {
      dense.trmm(true, lowerA, transA, false, w, p1, a, aOff, lda, b, bOff + p0 * ldb, ldb);
    }
  }
}

/**
 * The lower triangle (with the diagonal) of `B·L⁻ᵀ` in place of B's, for lower triangular n×n L: entry (i, j ≤ i)
 * depends only on row i's entries in columns ≤ j, so panel I of rows needs only L's leading block up to its last
 * row. Above the diagonal, inside the diagonal panels, B is left with partial values: callers mask it.
 * @returns −1, or the index of the first zero diagonal entry of L.
 */
export function lowerOfRightSolveTransposed(
  n: number, l: Float64Array, lOff: number, ldl: number, b: Float64Array, bOff: number, ldb: number,
): number {
  if (n <= 2 * PANEL) return dense.trsm(true, true, true, false, n, n, l, lOff, ldl, b, bOff, ldb);
  for (let p0 = 0; p0 < n; p0 += PANEL) {
    const p1 = Math.min(n, p0 + PANEL);
    const bad = dense.trsm(true, true, true, false, p1 - p0, p1, l, lOff, ldl, b, bOff + p0 * ldb, ldb);
    if (bad >= 0) return bad;
  }
  return -1;
}
