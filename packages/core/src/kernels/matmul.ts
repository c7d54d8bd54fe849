/** Dense matrix product kernels, row-major. @module */

/**
 * `C = A·B` for row-major `A` (n×k at offset aOff) and `B` (k×m at offset bOff), written into `c` at cOff.
 * i-k-j loop order: the inner loop streams a row of B and a row of C, which is cache-friendly for row-major data.
 */
export function gemm(
  a: Float64Array, aOff: number, b: Float64Array, bOff: number, c: Float64Array, cOff: number,
  n: number, k: number, m: number,
): void {
  for (let i = 0; i < n; i++) {
    const ci = cOff + i * m;
    const ai = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p]; // no skip on zero: 0 · NaN must stay NaN (IEEE policy)
      const bp = bOff + p * m;
      for (let j = 0; j < m; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}
