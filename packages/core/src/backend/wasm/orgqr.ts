/** WebAssembly `orgqr`: Q from the reflectors of geqrf, with f64x2 reflector updates. @module */
import { wasmHeap } from './instance.js';

/** The first n columns of Q, in place (see {@link DenseKernels.orgqr}). */
export function orgqr(
  m: number, n: number, k: number, a: Float64Array, aOff: number, lda: number, tau: Float64Array, tauOff: number,
): void {
  if (n === 0) return;
  const h = wasmHeap().begin();
  const pa = h.take(m * n), pt = h.take(Math.max(k, 1));
  h.commit();
  h.put(a, aOff, lda, m, n, pa);
  h.put(tau, tauOff, k, 1, k, pt);
  h.x.orgqr(m, n, k, pa, n, pt);
  h.refresh();
  h.get(pa, m, n, a, aOff, lda);
}
