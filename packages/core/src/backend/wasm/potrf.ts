/** WebAssembly `potrf`: recursive Cholesky on the packed gemm. @module */
import { wasmHeap } from './instance.js';

/** Lower Cholesky factor (see {@link DenseKernels.potrf}); only the lower triangle is copied back, into L. */
export function potrf(n: number, a: Float64Array, aOff: number, lda: number, l: Float64Array, lOff: number, ldl: number): number {
  if (n === 0) return -1;
  const h = wasmHeap().begin();
  const pa = h.take(n * n);
  h.commit();
  h.putTriangle(a, aOff, lda, n, true, pa); // the strict upper triangle is the kernel's scratch
  const bad = h.x.potrf(n, pa, n);
  h.refresh();
  h.getTriangle(pa, n, true, false, l, lOff, ldl);
  return bad;
}
