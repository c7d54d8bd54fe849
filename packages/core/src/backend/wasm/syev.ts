/** WebAssembly `syev`: Householder tridiagonalisation and implicit QL with f64x2 row operations. @module */
import { wasmHeap } from './instance.js';

/** Eigenvalues, and optionally eigenvectors, of a symmetric matrix (see {@link DenseKernels.syev}). */
export function syev(vectors: boolean, n: number, a: Float64Array, aOff: number, lda: number, w: Float64Array, wOff: number): number {
  if (n === 0) return -1;
  const h = wasmHeap().begin();
  const pa = h.take(n * n), pw = h.take(n);
  h.commit();
  h.put(a, aOff, lda, n, n, pa);
  const bad = h.x.syev(+vectors, n, pa, n, pw);
  h.refresh();
  if (bad >= 0) return bad;
  h.get(pw, 1, n, w, wOff, n);
  if (vectors) h.get(pa, n, n, a, aOff, lda);
  return -1;
}
