/** WebAssembly `trmm`: recursive triangular product (row products on diagonal blocks, gemm for the rest). @module */
import { wasmHeap } from './instance.js';

/** `B ← op(A)·B` or `B ← B·op(A)` (see {@link DenseKernels.trmm}). */
export function trmm(
  right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): void {
  if (m === 0 || n === 0) return;
  const order = right ? n : m;
  const h = wasmHeap().begin();
  const pa = h.take(order * order), pb = h.take(m * n);
  h.commit();
  h.putTriangle(a, aOff, lda, order, lower, pa); // the kernel reads only that triangle
  h.put(b, bOff, ldb, m, n, pb);
  h.x.trmm(+right, +lower, +transA, +unit, m, n, pa, order, pb, n);
  h.refresh();
  h.get(pb, m, n, b, bOff, ldb);
}
