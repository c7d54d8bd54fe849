/** WebAssembly `trsm`: blocked triangular solve (substitution on diagonal blocks, gemm for the rest). @module */
import { firstZeroDiagonal, substitutesForward } from '../check.js';
import { wasmHeap } from './instance.js';

/** `B ← op(A)⁻¹·B` or `B ← B·op(A)⁻¹` (see {@link DenseKernels.trsm}). */
export function trsm(
  right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): number {
  const order = right ? n : m;
  if (!unit) {
    const bad = firstZeroDiagonal(a, aOff, lda, order, !substitutesForward(lower, right ? !transA : transA));
    if (bad >= 0) return bad;
  }
  if (m === 0 || n === 0) return -1;
  const h = wasmHeap().begin();
  const pa = h.take(order * order), pb = h.take(m * n);
  h.commit();
  h.putTriangle(a, aOff, lda, order, lower, pa); // the kernel reads only that triangle
  h.put(b, bOff, ldb, m, n, pb);
  h.x.trsm(+right, +lower, +transA, +unit, m, n, pa, order, pb, n);
  h.refresh();
  h.get(pb, m, n, b, bOff, ldb);
  return -1;
}
