/** JavaScript `trtri`: triangular inverse in place. @module */
import { firstZeroDiagonal } from '../check.js';

/**
 * `A ← A⁻¹` on the `lower` (or upper) triangle (see {@link DenseKernels.trtri}). Lower, rows top-down:
 * `M[i][j] = −(Σ_{j≤k<i} A[i][k]·M[k][j]) / A[i][i]` with rows < i already holding M; within a row j ascends, so an
 * entry is replaced only after its last read. Upper is the mirror image (rows bottom-up, j descending).
 */
export function trtri(lower: boolean, unit: boolean, n: number, a: Float64Array, off: number, ld: number): number {
  if (!unit) {
    const bad = firstZeroDiagonal(a, off, ld, n, false);
    if (bad >= 0) return bad;
  }
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    const ri = off + i * ld;
    const dii = unit ? 1 : a[ri + i];
    if (lower) {
      for (let j = 0; j < i; j++) {
        let acc = unit ? a[ri + j] : a[ri + j] * a[off + j * ld + j];
        for (let k = j + 1; k < i; k++) acc += a[ri + k] * a[off + k * ld + j];
        a[ri + j] = -acc / dii;
      }
    } else {
      for (let j = n - 1; j > i; j--) {
        let acc = unit ? a[ri + j] : a[ri + j] * a[off + j * ld + j];
        for (let k = i + 1; k < j; k++) acc += a[ri + k] * a[off + k * ld + j];
        a[ri + j] = -acc / dii;
      }
    }
    if (!unit) a[ri + i] = 1 / dii;
  }
  return -1;
}
