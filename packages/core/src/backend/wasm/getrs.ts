/** WebAssembly `getrs`: rows permuted on the way in (or out, transposed), then two blocked triangular solves. @module */
import { wasmHeap } from './instance.js';

/** `X = A⁻¹·B` or `X = A⁻ᵀ·B` from LU factors (see {@link DenseKernels.getrs}). */
export function getrs(
  trans: boolean, n: number, m: number, lu: Float64Array, luOff: number, ldlu: number, perm: Int32Array,
  b: Float64Array, bOff: number, ldb: number, x: Float64Array, xOff: number, ldx: number,
): void {
  if (n === 0 || m === 0) return;
  const h = wasmHeap().begin();
  const pl = h.take(n * n), px = h.take(n * m);
  h.commit();
  h.put(lu, luOff, ldlu, n, n, pl);
  if (trans) h.put(b, bOff, ldb, n, m, px);
  else for (let i = 0; i < n; i++) h.put(b, bOff + perm[i] * ldb, ldb, 1, m, px + i * m * 8);
  h.x.getrs(+trans, n, m, pl, n, px, m);
  h.refresh();
  if (!trans) h.get(px, n, m, x, xOff, ldx);
  else for (let i = 0; i < n; i++) h.get(px + i * m * 8, 1, m, x, xOff + perm[i] * ldx, ldx);
}
