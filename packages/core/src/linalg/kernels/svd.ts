/** The SVD of one matrix from the backend kernels (QR preconditioning, one-sided Jacobi), as the primitives need it. @module */
import { dense } from '../../backend/select.js';
import { signColumns } from '../signs.js';

/**
 * SVD of the m×n matrix at `a[aOff]` (row stride n), A = U·diag(s)·Vᵀ with k = min(m, n): s (k values, descending)
 * into `s[sOff]`, and with `vectors` U (m×k) into `u[uOff]` and V (n×k) into `v[vOff]`, both compact row-major,
 * each pair (uⱼ, vⱼ) signed so that uⱼ's entry of largest magnitude is positive.
 *
 * The Jacobi kernel orthogonalises rows, so a tall matrix (m ≥ n) is handled as the rows of Aᵀ, and a wide one by
 * the SVD of Aᵀ. When m ≥ 2n, a Householder QR first reduces the work to the n×n R (Jacobi sweeps cost O(n²·m)
 * each, the QR about two of them), and U = Q·U_R.
 * @returns −1, or the kernel's failure (sweeps done without convergence).
 */
export function svdMatrix(
  vectors: boolean, m: number, n: number, a: Float64Array, aOff: number, s: Float64Array, sOff: number,
  u: Float64Array, uOff: number, v: Float64Array, vOff: number,
): number {
  const k = Math.min(m, n);
  if (k === 0) return -1;
  let info: number;
  if (m >= n) info = tall(vectors, m, n, (i, j) => a[aOff + i * n + j], s, sOff, u, uOff, v, vOff);
  else info = tall(vectors, n, m, (i, j) => a[aOff + j * n + i], s, sOff, v, vOff, u, uOff); // Aᵀ = V Σ Uᵀ
  if (info < 0 && vectors) signColumns(u, uOff, m, k, { data: v, off: vOff, rows: n });
  return info;
}

/** SVD of the p×q X (p ≥ q), read through `x(i, j)`: s, U (p×q) and V (q×q). */
function tall(
  vectors: boolean, p: number, q: number, x: (i: number, j: number) => number, s: Float64Array, sOff: number,
  u: Float64Array, uOff: number, v: Float64Array, vOff: number,
): number {
  const w = vectors ? new Float64Array(q * q) : EMPTY;
  if (p >= 2 * q) {
    // X = Q R; Jacobi on the rows of R: R = Wᵀ Σ Y, so U = Q Wᵀ and V = Yᵀ.
    const qr = new Float64Array(p * q), tau = new Float64Array(q);
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) qr[i * q + j] = x(i, j);
    dense.geqrf(p, q, qr, 0, q, tau, 0);
    const g = new Float64Array(q * q);
    for (let i = 0; i < q; i++) for (let j = i; j < q; j++) g[i * q + j] = qr[i * q + j];
    const info = dense.gesvj(vectors, q, q, g, 0, q, s, sOff, w, 0, q);
    if (info >= 0 || !vectors) return info;
    dense.orgqr(p, q, q, qr, 0, q, tau, 0);
    dense.gemm(false, true, p, q, q, 1, qr, 0, q, w, 0, q, 0, u, uOff, q);
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) v[vOff + i * q + j] = g[j * q + i];
    return -1;
  }
  // Jacobi on the rows of Xᵀ: Xᵀ = Wᵀ Σ Y, so U = Yᵀ and V = Wᵀ.
  const g = new Float64Array(q * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) g[j * p + i] = x(i, j);
  const info = dense.gesvj(vectors, q, p, g, 0, p, s, sOff, w, 0, q);
  if (info >= 0 || !vectors) return info;
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) u[uOff + i * q + j] = g[j * p + i];
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) v[vOff + i * q + j] = w[j * q + i];
  return -1;
}

const EMPTY = new Float64Array(0);
