/** JavaScript `getrs`: solves from LU factors. @module */
import { SLOT, scratch } from './scratch.js';
import { trsm } from './trsm.js';

/**
 * `X = A⁻¹·B` or `X = A⁻ᵀ·B` from the factors of `getrf` (see {@link DenseKernels.getrs}). With `P·A = L·U`:
 * `A⁻¹·B = U⁻¹·L⁻¹·(P·B)`, so the rows of B are permuted into X and two triangular solves run in place;
 * `A⁻ᵀ·B = Pᵀ·L⁻ᵀ·U⁻ᵀ·B`, so the solves run on a scratch copy of B whose rows are then scattered into X.
 */
export function getrs(
  trans: boolean, n: number, m: number, lu: Float64Array, luOff: number, ldlu: number, perm: Int32Array,
  b: Float64Array, bOff: number, ldb: number, x: Float64Array, xOff: number, ldx: number,
): void {
  if (!trans) {
    for (let i = 0; i < n; i++) {
      const src = bOff + perm[i] * ldb, dst = xOff + i * ldx;
      for (let j = 0; j < m; j++) x[dst + j] = b[src + j];
    }
    trsm(false, true, false, true, n, m, lu, luOff, ldlu, x, xOff, ldx);
    trsm(false, false, false, false, n, m, lu, luOff, ldlu, x, xOff, ldx);
    return;
  }
  const w = scratch(SLOT.getrs, n * m);
  for (let i = 0; i < n; i++) {
    const src = bOff + i * ldb, dst = i * m;
    for (let j = 0; j < m; j++) w[dst + j] = b[src + j];
  }
  trsm(false, false, true, false, n, m, lu, luOff, ldlu, w, 0, m);
  trsm(false, true, true, true, n, m, lu, luOff, ldlu, w, 0, m);
  for (let i = 0; i < n; i++) {
    const src = i * m, dst = xOff + perm[i] * ldx;
    for (let j = 0; j < m; j++) x[dst + j] = w[src + j];
  }
}
