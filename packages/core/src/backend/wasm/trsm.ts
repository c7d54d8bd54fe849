/** WebAssembly `trsm`: blocked triangular solve (substitution on diagonal blocks, gemm for the rest). @module */
import { firstZeroDiagonal, substitutesForward } from '../check.js';
import { type KernelExports, onTriangleAndMatrix } from './instance.js';

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
  const kernel = (x: KernelExports, pa: number, ld: number, pb: number) => x.trsm(+right, +lower, +transA, +unit, m, n, pa, ld, pb, n);
  onTriangleAndMatrix(kernel, right, lower, m, n, a, aOff, lda, b, bOff, ldb);
  return -1;
}
