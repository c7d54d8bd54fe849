/** JavaScript `potri`: the inverse of a matrix from its Cholesky factor. @module */
import { firstZeroDiagonal } from '../check.js';
import { SLOT, scratch } from './scratch.js';

/**
 * `C ← (L·Lᵀ)⁻¹` (see {@link DenseKernels.potri}). First `U = L⁻ᵀ` (upper) in reusable scratch, by rows of L:
 * `U[j][i] = −L[i][j:i]·U[j][j:i] / L[i][i]`, then `Y = U·Uᵀ`, `Y[i][j] = U[i][i:n]·U[j][i:n]` (j ≤ i), mirrored.
 * n³/3 multiply-adds, every inner loop a contiguous dot product, both phases register-blocked 2×2.
 */
export function potri(
  n: number, l: Float64Array, lOff: number, ldl: number, out: Float64Array, oOff: number, ldo: number,
): number {
  const bad = firstZeroDiagonal(l, lOff, ldl, n, false);
  if (bad >= 0) return bad;
  const u = scratch(SLOT.potri, n * n);
  u.fill(0, 0, n * n);
  // Columns i, i+1 of U against rows j, j+1: the sums over k < i share their loads; U[j+1][j] = 0 lets both rows
  // start at k = j. The k = i term of column i+1 is added once column i is known.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const l0 = lOff + i * ldl, l1 = l0 + ldl;
    const d0 = l[l0 + i], d1 = l[l1 + i + 1], c = l[l1 + i];
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
    const li = lOff + i * ldl;
    const d = l[li + i];
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
    const o0 = oOff + i * ldo, o1 = o0 + ldo;
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
    const p0 = i * n, o0 = oOff + i * ldo;
    for (let j = 0; j <= i; j++) {
      const q0 = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += u[p0 + k] * u[q0 + k];
      out[o0 + j] = s;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) out[oOff + c * ldo + r] = out[oOff + r * ldo + c];
  return -1;
}
