/** WebAssembly `potri`: L⁻¹ by trtri, then (L⁻¹)ᵀ·L⁻¹ tile by tile with gemm. @module */
import { firstZeroDiagonal } from '../check.js';
import { wasmHeap } from './instance.js';

/** `C ← (L·Lᵀ)⁻¹` (see {@link DenseKernels.potri}). */
export function potri(
  n: number, l: Float64Array, lOff: number, ldl: number, c: Float64Array, cOff: number, ldc: number,
): number {
  const bad = firstZeroDiagonal(l, lOff, ldl, n, false);
  if (bad >= 0) return bad;
  if (n === 0) return -1;
  const h = wasmHeap().begin();
  const pl = h.take(n * n), pc = h.take(n * n);
  h.commit();
  h.put(l, lOff, ldl, n, n, pl);
  h.x.potri(n, pl, n, pc, n);
  h.refresh();
  h.get(pc, n, n, c, cOff, ldc);
  return -1;
}
