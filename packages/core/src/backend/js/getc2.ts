/** JavaScript `getc2`: LU factorisation with complete pivoting in place. @module */

/**
 * `P·A·Q = L·U` in place for the n×n A (see {@link DenseKernels.getc2}). At step k the entry of largest magnitude in
 * the trailing block (the first in row-major order on ties) is moved to (k, k) by swapping whole rows and whole
 * columns, then the rows below get a contiguous axpy of the pivot row. When the trailing block is exactly zero the
 * factorisation stops: the rank is k, and every remaining pivot is zero.
 */
export function getc2(n: number, a: Float64Array, off: number, ld: number, rowPerm: Int32Array, colPerm: Int32Array): number {
  for (let i = 0; i < n; i++) {
    rowPerm[i] = i;
    colPerm[i] = i;
  }
  for (let k = 0; k < n; k++) {
    let best = 0, p = k, q = k;
    for (let i = k; i < n; i++) {
      const ri = off + i * ld;
      for (let j = k; j < n; j++) {
        const v = Math.abs(a[ri + j]);
        if (v > best) {
          best = v;
          p = i;
          q = j;
        }
      }
    }
    if (best === 0) return k;
    const rk = off + k * ld;
    if (p !== k) {
      const rp = off + p * ld;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = t;
      }
      const t = rowPerm[k];
      rowPerm[k] = rowPerm[p];
      rowPerm[p] = t;
    }
    if (q !== k) {
      for (let i = 0; i < n; i++) {
        const ri = off + i * ld;
        const t = a[ri + k];
        a[ri + k] = a[ri + q];
        a[ri + q] = t;
      }
      const t = colPerm[k];
      colPerm[k] = colPerm[q];
      colPerm[q] = t;
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
