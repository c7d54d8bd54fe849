/** WebAssembly `trmm`: recursive triangular product (row products on diagonal blocks, gemm for the rest). @module */
import { type KernelExports, onTriangleAndMatrix } from './instance.js';

/** `B ← op(A)·B` or `B ← B·op(A)` (see {@link DenseKernels.trmm}). */
export function trmm(
  right: boolean, lower: boolean, transA: boolean, unit: boolean, m: number, n: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): void {
  if (m === 0 || n === 0) return;
  const kernel = (x: KernelExports, pa: number, ld: number, pb: number) => x.trmm(+right, +lower, +transA, +unit, m, n, pa, ld, pb, n);
  onTriangleAndMatrix(kernel, right, lower, m, n, a, aOff, lda, b, bOff, ldb);
}
