/** WebAssembly `getrf`: blocked LU with partial pivoting (panel, trsm, gemm). @module */
import { wasmHeap } from './instance.js';

/** `P·A = L·U` in place for the m×n A (see {@link DenseKernels.getrf}). */
export function getrf(m: number, n: number, a: Float64Array, aOff: number, lda: number, perm: Int32Array): number {
  if (m === 0 || n === 0) {
    for (let i = 0; i < m; i++) perm[i] = i;
    return -1;
  }
  const h = wasmHeap().begin();
  const pa = h.take(m * n), pp = h.take(m, 4);
  h.commit();
  h.put(a, aOff, lda, m, n, pa);
  const bad = h.x.getrf(m, n, pa, n, pp);
  h.refresh();
  h.get(pa, m, n, a, aOff, lda);
  const q = h.i32, p0 = pp >> 2;
  for (let i = 0; i < m; i++) perm[i] = q[p0 + i];
  return bad;
}
