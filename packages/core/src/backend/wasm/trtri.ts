/** WebAssembly `trtri`: recursive triangular inverse (two triangular solves per level). @module */
import { firstZeroDiagonal } from '../check.js';
import { wasmHeap } from './instance.js';

/** `A ← A⁻¹` on one triangle (see {@link DenseKernels.trtri}). */
export function trtri(lower: boolean, unit: boolean, n: number, a: Float64Array, aOff: number, lda: number): number {
  if (!unit) {
    const bad = firstZeroDiagonal(a, aOff, lda, n, false);
    if (bad >= 0) return bad;
  }
  if (n === 0) return -1;
  const h = wasmHeap().begin();
  const pa = h.take(n * n);
  h.commit();
  h.putTriangle(a, aOff, lda, n, lower, pa); // the kernel reads only that triangle
  h.x.trtri(+lower, +unit, n, pa, n);
  h.refresh();
  h.getTriangle(pa, n, lower, unit, a, aOff, lda);
  return -1;
}
