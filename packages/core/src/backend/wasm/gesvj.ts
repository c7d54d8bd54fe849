/** WebAssembly `gesvj`: one-sided Jacobi SVD with f64x2 row dot products and rotations. @module */
import { wasmHeap } from './instance.js';

/** `G = Wᵀ·diag(s)·Y` by rotations of rows (see {@link DenseKernels.gesvj}). */
export function gesvj(
  vectors: boolean, r: number, c: number, g: Float64Array, gOff: number, ldg: number, s: Float64Array, sOff: number,
  w: Float64Array, wOff: number, ldw: number,
): number {
  if (r === 0) return -1;
  const h = wasmHeap().begin();
  const pg = h.take(r * c), ps = h.take(r), pw = h.take(vectors ? r * r : 0);
  h.commit();
  h.put(g, gOff, ldg, r, c, pg);
  const bad = h.x.gesvj(+vectors, r, c, pg, c, ps, pw, r);
  h.refresh();
  if (bad >= 0) return bad;
  h.get(ps, 1, r, s, sOff, r);
  if (vectors) {
    h.get(pg, r, c, g, gOff, ldg);
    h.get(pw, r, r, w, wOff, ldw);
  }
  return -1;
}
