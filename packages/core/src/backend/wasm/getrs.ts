/** WebAssembly `getrs`: rows permuted on the way in, then two blocked triangular solves. @module */
import { wasmHeap } from './instance.js';

/** `X = A⁻¹·B` from LU factors (see {@link DenseKernels.getrs}). */
export function getrs(
  n: number, m: number, lu: Float64Array, luOff: number, ldlu: number, perm: Int32Array,
  b: Float64Array, bOff: number, ldb: number, x: Float64Array, xOff: number, ldx: number,
): void {
  if (n === 0 || m === 0) return;
  const h = wasmHeap().begin();
  const pl = h.take(n * n), px = h.take(n * m);
  h.commit();
  h.put(lu, luOff, ldlu, n, n, pl);
  for (let i = 0; i < n; i++) h.put(b, bOff + perm[i] * ldb, ldb, 1, m, px + i * m * 8);
  h.x.getrs(n, m, pl, n, px, m);
  h.refresh();
  h.get(px, n, m, x, xOff, ldx);
}
