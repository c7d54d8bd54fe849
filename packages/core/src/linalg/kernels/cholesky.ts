/** Cholesky factorisation and inverse-from-factor kernels (row-major, one matrix at an offset). @module */

/**
 * Row-oriented Cholesky–Crout: writes the lower factor of the n×n matrix at `a[aOff]` into `l[lOff]` (which must be
 * zero above the diagonal on entry; it is left untouched there). Reads only the lower triangle of `a`.
 *
 * Row i is computed from the finished rows 0..i−1: `L[i][j] = (A[i][j] − L[i][0:j]·L[j][0:j]) / L[j][j]`, so every
 * inner loop is a dot product of two contiguous row prefixes. Two rows j, j+1 are handled per pass so each load of
 * `L[i][k]` feeds two products, and four accumulators break the add dependency chain.
 *
 * @returns −1 on success, otherwise the index of the first pivot that is not strictly positive (or NaN); its value is
 * left in `l[lOff + i·n + i]`.
 */
export function choleskyKernel(a: Float64Array, aOff: number, l: Float64Array, lOff: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const ri = lOff + i * n;
    const ai = aOff + i * n;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const rj = lOff + j * n, rj1 = rj + n;
      let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const x0 = l[ri + k], x1 = l[ri + k + 1];
        s0 += x0 * l[rj + k];
        s1 += x1 * l[rj + k + 1];
        t0 += x0 * l[rj1 + k];
        t1 += x1 * l[rj1 + k + 1];
      }
      if (k < j) {
        const x0 = l[ri + k];
        s0 += x0 * l[rj + k];
        t0 += x0 * l[rj1 + k];
      }
      const lij = (a[ai + j] - (s0 + s1)) / l[rj + j];
      l[ri + j] = lij;
      l[ri + j + 1] = (a[ai + j + 1] - (t0 + t1 + lij * l[rj1 + j])) / l[rj1 + j + 1];
    }
    if (j < i) {
      const rj = lOff + j * n;
      let s0 = 0, s1 = 0;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        s0 += l[ri + k] * l[rj + k];
        s1 += l[ri + k + 1] * l[rj + k + 1];
      }
      if (k < j) s0 += l[ri + k] * l[rj + k];
      l[ri + j] = (a[ai + j] - (s0 + s1)) / l[rj + j];
    }
    let s0 = 0, s1 = 0;
    let k = 0;
    for (; k + 1 < i; k += 2) {
      const x0 = l[ri + k], x1 = l[ri + k + 1];
      s0 += x0 * x0;
      s1 += x1 * x1;
    }
    if (k < i) s0 += l[ri + k] * l[ri + k];
    const d = a[ai + i] - (s0 + s1);
    if (!(d > 0)) {
      l[ri + i] = d;
      return i;
    }
    l[ri + i] = Math.sqrt(d);
  }
  return -1;
}

/**
 * `(L Lᵀ)⁻¹` from the lower factor at `l[lOff]` (only its lower triangle is read), written (full, exactly symmetric)
 * into `out[oOff]`. `m` is n×n scratch. First `M = L⁻¹` row by row (`M[i][0:i] = −Σ_k L[i][k] M[k][0:i] / L[i][i]`),
 * then `Mᵀ M` as a sum of row outer products on the lower triangle, then mirrored: n³/3 multiply-adds in all, every
 * inner loop contiguous.
 * @returns −1 on success, otherwise the index of the first zero diagonal entry.
 */
export function choleskyInverseKernel(
  l: Float64Array, lOff: number, out: Float64Array, oOff: number, m: Float64Array, n: number,
): number {
  m.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const li = lOff + i * n;
    const d = l[li + i];
    if (d === 0) return i;
    const mi = i * n;
    for (let k = 0; k < i; k++) {
      const c = l[li + k];
      if (c === 0) continue;
      const mk = k * n;
      for (let j = 0; j <= k; j++) m[mi + j] -= c * m[mk + j];
    }
    for (let j = 0; j < i; j++) m[mi + j] /= d;
    m[mi + i] = 1 / d;
  }
  for (let k = 0; k < n; k++) {
    const mk = k * n;
    for (let i = 0; i <= k; i++) {
      const c = m[mk + i];
      if (c === 0) continue;
      const oi = oOff + i * n;
      for (let j = 0; j <= i; j++) out[oi + j] += c * m[mk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[oOff + j * n + i] = out[oOff + i * n + j];
  return -1;
}
