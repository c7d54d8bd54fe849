/** JavaScript `potrf`: Cholesky factorisation. @module */

/**
 * Lower Cholesky factor (see {@link DenseKernels.potrf}), row-oriented Cholesky–Crout: row i from the finished rows
 * 0..i−1, `L[i][j] = (A[i][j] − L[i][0:j]·L[j][0:j]) / L[j][j]`, so every inner loop is a dot product of two
 * contiguous row prefixes; A[i][j] is read once, just before L[i][j] is written (so L may be A). Register blocking: four rows
 * i..i+3 against two rows j, j+1 share one pass over k (6 loads feed 8 multiply-adds, 8 independent accumulators),
 * then the 4×4 diagonal block is finished row by row. No allocation.
 */
export function potrf(n: number, a: Float64Array, aOff: number, lda: number, l: Float64Array, off: number, ld: number): number {
  for (let i0 = 0; i0 < n; i0 += 4) {
    const i1 = Math.min(n, i0 + 4);
    if (i1 - i0 === 4) {
      const r0 = off + i0 * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      const a0 = aOff + i0 * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
      // i0 is a multiple of 4, so the columns 0..i0−1 come in pairs.
      for (let j = 0; j < i0; j += 2) {
        const q0 = off + j * ld, q1 = q0 + ld;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let k = 0; k < j; k++) {
          const y0 = l[q0 + k], y1 = l[q1 + k];
          const x0 = l[r0 + k], x1 = l[r1 + k], x2 = l[r2 + k], x3 = l[r3 + k];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s20 += x2 * y0;
          s21 += x2 * y1;
          s30 += x3 * y0;
          s31 += x3 * y1;
        }
        const d0 = l[q0 + j], c = l[q1 + j], d1 = l[q1 + j + 1];
        let v = (a[a0 + j] - s00) / d0;
        l[r0 + j] = v;
        l[r0 + j + 1] = (a[a0 + j + 1] - s01 - v * c) / d1;
        v = (a[a1 + j] - s10) / d0;
        l[r1 + j] = v;
        l[r1 + j + 1] = (a[a1 + j + 1] - s11 - v * c) / d1;
        v = (a[a2 + j] - s20) / d0;
        l[r2 + j] = v;
        l[r2 + j + 1] = (a[a2 + j + 1] - s21 - v * c) / d1;
        v = (a[a3 + j] - s30) / d0;
        l[r3 + j] = v;
        l[r3 + j + 1] = (a[a3 + j + 1] - s31 - v * c) / d1;
      }
    } else {
      // Last (partial) block of rows: plain dot products.
      for (let i = i0; i < i1; i++) {
        const ri = off + i * ld, ai = aOff + i * lda;
        for (let j = 0; j < i0; j++) l[ri + j] = (a[ai + j] - dot(l, ri, off + j * ld, j)) / l[off + j * ld + j];
      }
    }
    // Diagonal block: columns i0..i of rows i0..i1−1.
    for (let i = i0; i < i1; i++) {
      const ri = off + i * ld, ai = aOff + i * lda;
      for (let j = i0; j < i; j++) l[ri + j] = (a[ai + j] - dot(l, ri, off + j * ld, j)) / l[off + j * ld + j];
      const d = a[ai + i] - dot(l, ri, ri, i);
      if (!(d > 0)) {
        l[ri + i] = d;
        return i;
      }
      l[ri + i] = Math.sqrt(d);
    }
  }
  return -1;
}

/** `x[p : p+len] · x[q : q+len]` with two accumulators. */
function dot(x: Float64Array, p: number, q: number, len: number): number {
  let s0 = 0, s1 = 0;
  let k = 0;
  for (; k + 1 < len; k += 2) {
    s0 += x[p + k] * x[q + k];
    s1 += x[p + k + 1] * x[q + k + 1];
  }
  if (k < len) s0 += x[p + k] * x[q + k];
  return s0 + s1;
}
