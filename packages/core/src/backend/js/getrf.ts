/** JavaScript `getrf`: LU factorisation with partial pivoting in place. @module */

/**
 * `P·A = L·U` in place (see {@link DenseKernels.getrf}). Right-looking Doolittle: for each column pick the largest
 * pivot (the first on ties), swap whole rows (contiguous), then each row below gets a contiguous axpy of the pivot
 * row. No product is skipped when the multiplier is zero (0·NaN stays NaN).
 */
export function getrf(n: number, a: Float64Array, off: number, ld: number, perm: Int32Array): number {
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    const rk = off + k * ld;
    let p = k;
    let best = Math.abs(a[rk + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[off + i * ld + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return k;
    if (p !== k) {
      const rp = off + p * ld;
      for (let j = 0; j < n; j++) {
        const tmp = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = tmp;
      }
      const tp = perm[k];
      perm[k] = perm[p];
      perm[p] = tp;
    }
    const piv = a[rk + k];
    for (let i = k + 1; i < n; i++) {
      const ri = off + i * ld;
      const c = a[ri + k] / piv;
      a[ri + k] = c;
      for (let j = k + 1; j < n; j++) a[ri + j] -= c * a[rk + j];
    }
  }
  return -1;
}
