/** JavaScript `getrs`: solves from LU factors. @module */
import { trsm } from './trsm.js';

/**
 * `X = A⁻¹·B` from the factors of `getrf` (see {@link DenseKernels.getrs}): the rows of B permuted into X, then
 * in-place unit-lower and upper triangular solves.
 */
export function getrs(
  n: number, m: number, lu: Float64Array, luOff: number, ldlu: number, perm: Int32Array,
  b: Float64Array, bOff: number, ldb: number, x: Float64Array, xOff: number, ldx: number,
): void {
  for (let i = 0; i < n; i++) {
    const src = bOff + perm[i] * ldb, dst = xOff + i * ldx;
    for (let j = 0; j < m; j++) x[dst + j] = b[src + j];
  }
  trsm(false, true, false, true, n, m, lu, luOff, ldlu, x, xOff, ldx);
  trsm(false, false, false, false, n, m, lu, luOff, ldlu, x, xOff, ldx);
}
