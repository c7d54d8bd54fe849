/**
 * Register-blocked dot products between rows of two row-major D×D operands, the building block of the small-D
 * kernels: `C[i][j] = Σ_{k0 ≤ k < k1} X[i][k]·Y[j][k]`, four rows of X against two of Y per pass over k (six loads
 * feed eight multiply-adds, as in core's JavaScript gemm). Callers pick k0 and k1 per 4×2 tile from their
 * triangular structure; entries inside a tile's range but outside an entry's own range must be exact zeros in the
 * packed operands, so they change no sum.
 * @module
 */

type F = Float64Array;

/** One 4×2 tile: rows x0..x0+3 of X (row stride d) against rows y0, y0+1 of Y, into C at c0 (row stride d). */
export function tile4x2(x: F, x0: number, y: F, y0: number, d: number, k0: number, k1: number, c: F, c0: number): void {
  const a0 = x0 * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d, b0 = y0 * d, b1 = b0 + d;
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
  for (let k = k0; k < k1; k++) {
    const u = y[b0 + k], v = y[b1 + k];
    const p = x[a0 + k], q = x[a1 + k], r = x[a2 + k], s = x[a3 + k];
    s00 += p * u;
    s01 += p * v;
    s10 += q * u;
    s11 += q * v;
    s20 += r * u;
    s21 += r * v;
    s30 += s * u;
    s31 += s * v;
  }
  c[c0] = s00;
  c[c0 + 1] = s01;
  c[c0 + d] = s10;
  c[c0 + d + 1] = s11;
  c[c0 + 2 * d] = s20;
  c[c0 + 2 * d + 1] = s21;
  c[c0 + 3 * d] = s30;
  c[c0 + 3 * d + 1] = s31;
}

/** One entry: row i of X against row j of Y over [k0, k1). */
export function dot(x: F, i: number, y: F, j: number, d: number, k0: number, k1: number): number {
  const a = i * d, b = j * d;
  let s = 0;
  for (let k = k0; k < k1; k++) s += x[a + k] * y[b + k];
  return s;
}
