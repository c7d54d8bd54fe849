/** Triangular solves with many right-hand sides (row-major, one system at a time). @module */

/**
 * Solves `op(T) X = B` for the n×n triangular `T` at `t[tOff]` (only the `lower` or upper triangle is read; `op` is the
 * identity or, with `transpose`, the transpose) and the n×m `B` at `b[bOff]`, writing `X` into `x[xOff]`.
 *
 * All four cases read `T` by rows and update whole rows of `X`, so the inner loop always runs contiguously over the m
 * right-hand sides: `op(T)` lower → forward substitution, upper → backward; for `op = ᵀ` the row of `T` is applied as an
 * axpy to the rows it eliminates (right-looking). `x` may alias `b` (same offset).
 * @returns −1 on success, otherwise the index of the first zero diagonal entry met.
 */
export function triangularSolveKernel(
  t: Float64Array, tOff: number, b: Float64Array, bOff: number, x: Float64Array, xOff: number,
  n: number, m: number, lower: boolean, transpose: boolean,
): number {
  if (x !== b || xOff !== bOff) for (let i = 0; i < n * m; i++) x[xOff + i] = b[bOff + i];
  if (lower && !transpose) {
    // L X = B, forward: X[i] = (B[i] − Σ_{k<i} L[i][k] X[k]) / L[i][i].
    for (let i = 0; i < n; i++) {
      const ti = tOff + i * n, xi = xOff + i * m;
      for (let k = 0; k < i; k++) {
        const c = t[ti + k];
        if (c === 0) continue;
        const xk = xOff + k * m;
        for (let j = 0; j < m; j++) x[xi + j] -= c * x[xk + j];
      }
      const d = t[ti + i];
      if (d === 0) return i;
      for (let j = 0; j < m; j++) x[xi + j] /= d;
    }
  } else if (!lower && !transpose) {
    // U X = B, backward: X[i] = (B[i] − Σ_{k>i} U[i][k] X[k]) / U[i][i].
    for (let i = n - 1; i >= 0; i--) {
      const ti = tOff + i * n, xi = xOff + i * m;
      for (let k = i + 1; k < n; k++) {
        const c = t[ti + k];
        if (c === 0) continue;
        const xk = xOff + k * m;
        for (let j = 0; j < m; j++) x[xi + j] -= c * x[xk + j];
      }
      const d = t[ti + i];
      if (d === 0) return i;
      for (let j = 0; j < m; j++) x[xi + j] /= d;
    }
  } else if (lower) {
    // Lᵀ X = B (upper system), backward and right-looking: finish X[i], then remove L[i][k] X[i] from rows k < i.
    for (let i = n - 1; i >= 0; i--) {
      const ti = tOff + i * n, xi = xOff + i * m;
      const d = t[ti + i];
      if (d === 0) return i;
      for (let j = 0; j < m; j++) x[xi + j] /= d;
      for (let k = 0; k < i; k++) {
        const c = t[ti + k];
        if (c === 0) continue;
        const xk = xOff + k * m;
        for (let j = 0; j < m; j++) x[xk + j] -= c * x[xi + j];
      }
    }
  } else {
    // Uᵀ X = B (lower system), forward and right-looking: finish X[i], then remove U[i][k] X[i] from rows k > i.
    for (let i = 0; i < n; i++) {
      const ti = tOff + i * n, xi = xOff + i * m;
      const d = t[ti + i];
      if (d === 0) return i;
      for (let j = 0; j < m; j++) x[xi + j] /= d;
      for (let k = i + 1; k < n; k++) {
        const c = t[ti + k];
        if (c === 0) continue;
        const xk = xOff + k * m;
        for (let j = 0; j < m; j++) x[xk + j] -= c * x[xi + j];
      }
    }
  }
  return -1;
}
