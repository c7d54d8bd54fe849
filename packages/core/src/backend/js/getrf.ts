/** JavaScript `getrf`: LU factorisation with partial pivoting in place. @module */

/**
 * `P·A = L·U` in place for the m×n A (see {@link DenseKernels.getrf}). Right-looking Doolittle: for each of the
 * min(m, n) columns pick the largest pivot (the first on ties), swap whole rows (contiguous), then each row below gets
 * a contiguous axpy of the pivot row. A column whose candidates are all zero has nothing to eliminate: it is recorded
 * (the first one is returned, as LAPACK's `info`) and the factorisation goes on. No product is skipped when the
 * multiplier is zero (0·NaN stays NaN).
 */
export function getrf(m: number, n: number, a: Float64Array, off: number, ld: number, perm: Int32Array): number {
  for (let i = 0; i < m; i++) perm[i] = i;
  const steps = Math.min(m, n);
  let info = -1;
  for (let k = 0; k < steps; k++) {
    const rk = off + k * ld;
    let p = k;
    let best = Math.abs(a[rk + k]);
    for (let i = k + 1; i < m; i++) {
      const v = Math.abs(a[off + i * ld + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) {
      if (info < 0) info = k;
      continue;
    }
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
    for (let i = k + 1; i < m; i++) {
      const ri = off + i * ld;
      const c = a[ri + k] / piv;
      a[ri + k] = c;
      for (let j = k + 1; j < n; j++) a[ri + j] -= c * a[rk + j];
    }
  }
  return info;
}
