/** Cholesky factorisation and inverse-from-factor kernels (row-major, one matrix at an offset). @module */

/**
 * Row-oriented Cholesky–Crout: writes the lower factor of the n×n matrix at `a[aOff]` into `l[lOff]` (which must be
 * zero above the diagonal on entry; it is left untouched there). Reads only the lower triangle of `a`.
 *
 * Row i is computed from the finished rows 0..i−1: `L[i][j] = (A[i][j] − L[i][0:j]·L[j][0:j]) / L[j][j]`, so every
 * inner loop is a dot product of two contiguous row prefixes. Register blocking: four rows i..i+3 against two rows
 * j, j+1 share one pass over k (6 loads feed 8 multiply-adds, 8 independent accumulators), then the 4×4 diagonal
 * block is finished row by row. No allocation.
 *
 * @returns −1 on success, otherwise the index of the first pivot that is not strictly positive (or NaN); its value is
 * left in `l[lOff + i·n + i]`.
 */
export function choleskyKernel(a: Float64Array, aOff: number, l: Float64Array, lOff: number, n: number): number {
  for (let i0 = 0; i0 < n; i0 += 4) {
    const i1 = Math.min(n, i0 + 4);
    if (i1 - i0 === 4) {
      const r0 = lOff + i0 * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      const a0 = aOff + i0 * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
      // i0 is a multiple of 4, so the columns 0..i0−1 come in pairs.
      for (let j = 0; j < i0; j += 2) {
        const q0 = lOff + j * n, q1 = q0 + n;
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
        const ri = lOff + i * n, ai = aOff + i * n;
        for (let j = 0; j < i0; j++) l[ri + j] = (a[ai + j] - dot(l, ri, lOff + j * n, j)) / l[lOff + j * n + j];
      }
    }
    // Diagonal block: columns i0..i of rows i0..i1−1.
    for (let i = i0; i < i1; i++) {
      const ri = lOff + i * n, ai = aOff + i * n;
      for (let j = i0; j < i; j++) l[ri + j] = (a[ai + j] - dot(l, ri, lOff + j * n, j)) / l[lOff + j * n + j];
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

/**
 * `(L Lᵀ)⁻¹` from the lower factor at `l[lOff]` (only its lower triangle is read), written (full, exactly symmetric)
 * into `out[oOff]` (every entry is written); `u` is n×n scratch. First `U = L⁻ᵀ` (upper), by rows of L:
 * `U[j][i] = −L[i][j:i]·U[j][j:i] / L[i][i]`, then `Y = U Uᵀ`, `Y[i][j] = U[i][i:n]·U[j][i:n]` (j ≤ i), mirrored.
 * n³/3 multiply-adds, every inner loop a contiguous dot product, both phases register-blocked 2×2.
 * @returns −1 on success, otherwise the index of the first zero diagonal entry.
 */
export function choleskyInverseKernel(
  l: Float64Array, lOff: number, out: Float64Array, oOff: number, u: Float64Array, n: number,
): number {
  u.fill(0, 0, n * n);
  // Columns i, i+1 of U against rows j, j+1: the sums over k < i share their loads; U[j+1][j] = 0 lets both rows
  // start at k = j. The k = i term of column i+1 is added once column i is known.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const l0 = lOff + i * n, l1 = l0 + n;
    const d0 = l[l0 + i], d1 = l[l1 + i + 1], c = l[l1 + i];
    if (d0 === 0) return i;
    if (d1 === 0) return i + 1;
    for (let j = 0; j < i; j += 2) {
      const q0 = j * n, q1 = q0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = j; k < i; k++) {
        const x0 = l[l0 + k], x1 = l[l1 + k], y0 = u[q0 + k], y1 = u[q1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const u0 = -s00 / d0, u1 = -s01 / d0;
      u[q0 + i] = u0;
      u[q1 + i] = u1;
      u[q0 + i + 1] = -(s10 + c * u0) / d1;
      u[q1 + i + 1] = -(s11 + c * u1) / d1;
    }
    const uii = 1 / d0;
    u[i * n + i] = uii;
    u[i * n + i + 1] = -(c * uii) / d1;
    u[(i + 1) * n + i + 1] = 1 / d1;
  }
  if (i < n) {
    const li = lOff + i * n;
    const d = l[li + i];
    if (d === 0) return i;
    for (let j = 0; j < i; j++) {
      const uj = j * n;
      let s = 0;
      for (let k = j; k < i; k++) s += l[li + k] * u[uj + k];
      u[uj + i] = -s / d;
    }
    u[i * n + i] = 1 / d;
  }
  // Y[i][j] for j ≤ i; U[i'][k] = 0 for k < i', so a 2×2 block may start every sum at its first row.
  for (i = 0; i + 1 < n; i += 2) {
    const p0 = i * n, p1 = p0 + n;
    const o0 = oOff + i * n, o1 = o0 + n;
    for (let j = 0; j <= i; j += 2) {
      const q0 = j * n, q1 = q0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = i; k < n; k++) {
        const x0 = u[p0 + k], x1 = u[p1 + k], y0 = u[q0 + k], y1 = u[q1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[o0 + j] = s00;
      out[o1 + j] = s10;
      out[o1 + j + 1] = s11;
      if (j + 1 <= i) out[o0 + j + 1] = s01;
    }
  }
  if (i < n) {
    const p0 = i * n, o0 = oOff + i * n;
    for (let j = 0; j <= i; j++) {
      const q0 = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += u[p0 + k] * u[q0 + k];
      out[o0 + j] = s;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) out[oOff + c * n + r] = out[oOff + r * n + c];
  return -1;
}
