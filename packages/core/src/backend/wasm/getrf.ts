/** WebAssembly `getrf`: blocked LU with partial pivoting (panel, trsm, gemm). @module */
import { wasmHeap } from './instance.js';

/** `P·A = L·U` in place (see {@link DenseKernels.getrf}). */
export function getrf(n: number, a: Float64Array, aOff: number, lda: number, perm: Int32Array): number {
  if (n === 0) return -1;
  const h = wasmHeap().begin();
  const pa = h.take(n * n), pp = h.take(n, 4);
  h.commit();
  h.put(a, aOff, lda, n, n, pa);
  const bad = h.x.getrf(n, pa, n, pp);
  h.refresh();
  h.get(pa, n, n, a, aOff, lda);
  const q = h.i32, p0 = pp >> 2;
  for (let i = 0; i < n; i++) perm[i] = q[p0 + i];
  return bad;
}
