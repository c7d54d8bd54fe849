/** Dense matrix product kernel, row-major. @module */

/**
 * `C += A·B` for row-major `A` (n×k at aOff), `B` (k×m at bOff) and `C` (n×m at cOff).
 *
 * i-k-j order so the inner loop streams a row of B and rows of C; four rows of A are processed together so each
 * loaded element of B feeds four multiply-adds (measured 2.7 vs 1.3 GFLOP/s for the plain loop at n = 256–512).
 * No skipping of zeros: 0 · NaN must stay NaN (IEEE policy).
 */
export function gemm(
  a: Float64Array, aOff: number, b: Float64Array, bOff: number, c: Float64Array, cOff: number,
  n: number, k: number, m: number,
): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const c0 = cOff + i * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
      const bp = bOff + p * m;
      for (let j = 0; j < m; j++) {
        const y = b[bp + j];
        c[c0 + j] += x0 * y;
        c[c1 + j] += x1 * y;
        c[c2 + j] += x2 * y;
        c[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < n; i++) {
    const ci = cOff + i * m, ai = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ai + p];
      const bp = bOff + p * m;
      for (let j = 0; j < m; j++) c[ci + j] += x * b[bp + j];
    }
  }
}
