/** WebAssembly `gemm`: operands packed into linear memory, the product by the f64x2 4×4 micro-kernel. @module */
import { wasmHeap } from './instance.js';

/** `C ← α·op(A)·op(B) + β·C` (see {@link DenseKernels.gemm}). */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  beta: number, c: Float64Array, cOff: number, ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  const h = wasmHeap().begin();
  const ar = transA ? k : m, ac = transA ? m : k, br = transB ? n : k, bc = transB ? k : n;
  const pa = h.take(ar * ac), pb = h.take(br * bc), pc = h.take(m * n);
  h.commit();
  h.put(a, aOff, lda, ar, ac, pa);
  h.put(b, bOff, ldb, br, bc, pb);
  if (beta !== 0) h.put(c, cOff, ldc, m, n, pc);
  h.x.gemm(+transA, +transB, m, n, k, alpha, pa, ac, pb, bc, beta, pc, n);
  h.refresh();
  h.get(pc, m, n, c, cOff, ldc);
}
