/** LU factorisation with partial pivoting and the solves built on it (row-major, one matrix at a time). @module */
import { triangularSolveKernel } from './triangular.js';

/**
 * Factors the n×n matrix held in `lu` (overwritten; copy the input there first) as `P A = L U`: unit lower `L` below
 * the diagonal, `U` on and above it. Right-looking Doolittle: for each column pick the largest pivot, swap whole rows
 * (contiguous), then each row below gets a contiguous axpy of the pivot row. `perm[i]` is the row of `A` that ends up
 * in row i.
 * @returns −1 on success, otherwise the first column whose pivot is exactly zero (the matrix is singular).
 */
export function luFactor(lu: Float64Array, perm: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return k;
    if (p !== k) {
      const rk = k * n, rp = p * n;
      for (let j = 0; j < n; j++) {
        const tmp = lu[rk + j];
        lu[rk + j] = lu[rp + j];
        lu[rp + j] = tmp;
      }
      const tp = perm[k];
      perm[k] = perm[p];
      perm[p] = tp;
    }
    const rk = k * n;
    const piv = lu[rk + k];
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const c = lu[ri + k] / piv;
      lu[ri + k] = c;
      if (c === 0) continue;
      for (let j = k + 1; j < n; j++) lu[ri + j] -= c * lu[rk + j];
    }
  }
  return -1;
}

/**
 * Solves `A X = B` given the factors of {@link luFactor}; `B` is n×m at `b[bOff]`, `X` goes to `x[xOff]` (must not
 * alias `b`): rows of `B` permuted into `X`, then in-place unit-lower and upper triangular solves.
 */
export function luSolve(
  lu: Float64Array, perm: Int32Array, b: Float64Array, bOff: number, x: Float64Array, xOff: number, n: number, m: number,
): void {
  for (let i = 0; i < n; i++) {
    const src = bOff + perm[i] * m, dst = xOff + i * m;
    for (let j = 0; j < m; j++) x[dst + j] = b[src + j];
  }
  triangularSolveKernel(lu, 0, x, xOff, x, xOff, n, m, true, false, true);
  triangularSolveKernel(lu, 0, x, xOff, x, xOff, n, m, false, false);
}

/** `log |det A|` from the factors of {@link luFactor} (the permutation only changes the sign). */
export function luLogAbsDet(lu: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(lu[i * n + i]));
  return s;
}
