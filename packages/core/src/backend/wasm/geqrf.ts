/** WebAssembly `geqrf`: Householder QR with f64x2 reflector updates. @module */
import { wasmHeap } from './instance.js';

/** `A = Q·R` in place (see {@link DenseKernels.geqrf}). */
export function geqrf(m: number, n: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number): void {
  const k = Math.min(m, n);
  if (k === 0) return;
  const h = wasmHeap().begin();
  const pa = h.take(m * n), pt = h.take(k);
  h.commit();
  h.put(a, aOff, lda, m, n, pa);
  h.x.geqrf(m, n, pa, n, pt);
  h.refresh();
  h.get(pa, m, n, a, aOff, lda);
  h.get(pt, 1, k, tau, tauOff, k);
}
