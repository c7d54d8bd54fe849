/**
 * The (μ, L) natural-gradient step of L, `Y = L·Φ(Lᵀ·A)`, for large D: the three products as calls of core's `gemm`
 * (WebAssembly SIMD from moderate sizes up) on b×b blocks, skipping the blocks that the triangular factors make zero.
 * Flops, expectation form (A = S·L, S = G + Gᵀ): S·L needs only L's lower block triangle (D³), Lᵀ·A only the lower
 * block triangle of the symmetric result (D³/3), L·Φ only the blocks between two lower block triangles (D³/3):
 * 5D³/3 against 6D³ for three dense products, up to the diagonal blocks, which are computed in full.
 * @module
 */
import { dense } from '@natgrad/core';
import { SLOT, scratch } from './scratch.js';

/** Block size of the products: large enough for gemm to run near its peak, small enough to skip most zero flops. */
export const STEP_BLOCK = 64;

/** `dst ← tril(src)` with zeros above the diagonal (the blocked products read whole diagonal blocks). */
function copyLower(d: number, src: Float64Array, so: number, dst: Float64Array): void {
  for (let i = 0; i < d; i++) {
    const s = so + i * d, t = i * d;
    for (let j = 0; j <= i; j++) dst[t + j] = src[s + j];
    for (let j = i + 1; j < d; j++) dst[t + j] = 0;
  }
}

/** `dst ← G + Gᵀ`, exactly symmetric. */
function symmetricSum(d: number, g: Float64Array, go: number, dst: Float64Array): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) dst[i * d + j] = dst[j * d + i] = g[go + i * d + j] + g[go + j * d + i];
  }
}

/**
 * `Y ← L·Φ(Lᵀ·A)` for one D×D matrix, A = (G + Gᵀ)·L (`euclidean` false) or tril(G) (`euclidean` true). Y must be
 * zero on entry; its strict upper triangle stays zero.
 */
export function choleskyStepBlocked(
  euclidean: boolean, d: number, l: Float64Array, lo: number, g: Float64Array, go: number, y: Float64Array, yo: number,
  b = STEP_BLOCK,
): void {
  const dd = d * d;
  const lz = scratch(SLOT.lower, dd), a = scratch(SLOT.a, dd), x = scratch(SLOT.x, dd);
  copyLower(d, l, lo, lz);
  if (euclidean) {
    copyLower(d, g, go, a);
  } else {
    const s = scratch(SLOT.rhs, dd);
    symmetricSum(d, g, go, s);
    // A[:, J] = S[:, J:]·L[J:, J]: L's rows above block J are zero in those columns
    for (let j0 = 0; j0 < d; j0 += b) {
      const bj = Math.min(b, d - j0);
      dense.gemm(false, false, d, bj, d - j0, 1, s, j0, d, lz, j0 * d + j0, d, 0, a, j0, d);
    }
  }
  // X[I, :I+1] = L[I:, I]ᵀ·A[I:, :I+1]: the lower block triangle of Lᵀ·A (rows of Lᵀ start at the diagonal)
  for (let i0 = 0; i0 < d; i0 += b) {
    const bi = Math.min(b, d - i0);
    dense.gemm(true, false, bi, i0 + bi, d - i0, 1, lz, i0 * d + i0, d, a, i0 * d, d, 0, x, i0 * d, d);
  }
  // Φ in place on the lower triangle; the strict upper triangle of the diagonal blocks is read below, so zero it
  for (let i = 0; i < d; i++) {
    const xi = i * d;
    x[xi + i] *= 0.5;
    const end = Math.min(d, (Math.floor(i / b) + 1) * b);
    for (let j = i + 1; j < end; j++) x[xi + j] = 0;
  }
  // Y[I, J] = L[I, J..I]·Φ[J..I, J] for J ≤ I: both factors lower block triangular
  for (let i0 = 0; i0 < d; i0 += b) {
    const bi = Math.min(b, d - i0);
    for (let j0 = 0; j0 <= i0; j0 += b) {
      const bj = Math.min(b, d - j0);
      dense.gemm(false, false, bi, bj, i0 + bi - j0, 1, lz, i0 * d + j0, d, x, j0 * d + j0, d, 0, y, yo + i0 * d + j0, d);
    }
  }
  // The diagonal blocks of Y are products of lower triangles: exact zeros above the diagonal, up to their sign.
  for (let i = 0; i < d; i++) {
    const end = Math.min(d, (Math.floor(i / b) + 1) * b);
    for (let j = i + 1; j < end; j++) y[yo + i * d + j] = 0;
  }
}
