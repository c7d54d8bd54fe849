/** Triangular solves with many right-hand sides (row-major, one system at a time). @module */

/**
 * Solves `op(T) X = B` for the n×n triangular `T` at `t[tOff]` (only the `lower` or upper triangle is read; `op` is the
 * identity or, with `transpose`, the transpose; with `unit` the diagonal is taken as 1 and not read) and the n×m `B`
 * at `b[bOff]`, writing `X` into `x[xOff]`. `x` may alias `b` at the same offset (in-place solve).
 *
 * Substitution by rows of X: `X[i] = (B[i] − Σ_k op(T)[i][k] X[k]) / T[i][i]`, forward when `op(T)` is lower and
 * backward otherwise. The inner loop runs contiguously over the m right-hand sides and takes four rows `X[k]` per pass
 * (five loads and one store feed four multiply-adds). `op(T)[i][k]` is read along a row of `T` (or a column, for
 * `transpose`: O(n²) scalar loads against the O(n²m) arithmetic).
 * @returns −1 on success, otherwise the index of the first zero diagonal entry met.
 */
export function triangularSolveKernel(
  t: Float64Array, tOff: number, b: Float64Array, bOff: number, x: Float64Array, xOff: number,
  n: number, m: number, lower: boolean, transpose: boolean, unit = false,
): number {
  if (x !== b || xOff !== bOff) for (let i = 0; i < n * m; i++) x[xOff + i] = b[bOff + i];
  // op(T)[i][k] = t[tOff + i·rs + k·cs]
  const rs = transpose ? 1 : n, cs = transpose ? n : 1;
  const forward = lower !== transpose;
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step;
    const kHi = forward ? i : n;
    const ti = tOff + i * rs, xi = xOff + i * m;
    let k = forward ? 0 : i + 1;
    for (; k + 3 < kHi; k += 4) {
      const c0 = t[ti + k * cs], c1 = t[ti + (k + 1) * cs], c2 = t[ti + (k + 2) * cs], c3 = t[ti + (k + 3) * cs];
      const x0 = xOff + k * m, x1 = x0 + m, x2 = x1 + m, x3 = x2 + m;
      for (let j = 0; j < m; j++) x[xi + j] -= c0 * x[x0 + j] + c1 * x[x1 + j] + c2 * x[x2 + j] + c3 * x[x3 + j];
    }
    for (; k < kHi; k++) {
      const c = t[ti + k * cs];
      const xk = xOff + k * m;
      for (let j = 0; j < m; j++) x[xi + j] -= c * x[xk + j];
    }
    if (unit) continue;
    const d = t[tOff + i * n + i];
    if (d === 0) return i;
    for (let j = 0; j < m; j++) x[xi + j] /= d;
  }
  return -1;
}
