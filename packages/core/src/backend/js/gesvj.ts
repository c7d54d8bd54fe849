/** JavaScript `gesvj`: singular value decomposition by one-sided Jacobi rotations on rows. @module */
import { SLOT, scratch } from './scratch.js';
import { powerOfTwoScale } from './syev.js';

const EPS = 2 ** -52;
/** Sweeps before giving up (LAPACK `dgesvj` allows 30; random matrices need 6–10, graded ones fewer). */
export const MAX_SWEEPS = 60;
/** Rows with a norm below this (after scaling to ≈ 1) are treated as zero and completed to an orthonormal set. */
const TINY = 2 ** -900;

/**
 * SVD of the r×c matrix G (r ≤ c), `G = Wᵀ·diag(s)·Y` (see {@link DenseKernels.gesvj}), by Hestenes' one-sided
 * Jacobi method on rows: plane rotations from the left make the rows of G mutually orthogonal (a pair is rotated
 * while |g_p·g_q| > √c·ε·‖g_p‖‖g_q‖, the test of LAPACK `dgesvj`), and are accumulated in W. De Rijk's pivoting
 * (row p takes the largest remaining norm before its pairs are visited) speeds convergence and leaves the rows
 * nearly sorted. Rotations use Rutishauser's stable formulas and update the squared norms in O(1); the norms are
 * recomputed at every sweep. Jacobi is chosen over bidiagonalisation + QR for its accuracy: small singular values
 * come out with small relative error, and the rows of Y are orthogonal to √c·ε whatever their norm, which pinv,
 * lstsq and rank decisions rely on.
 * @returns −1, or {@link MAX_SWEEPS} if the rows were not orthogonal after that many sweeps.
 */
export function gesvj(
  vectors: boolean, r: number, c: number, g: Float64Array, gOff: number, ldg: number, s: Float64Array, sOff: number,
  w: Float64Array, wOff: number, ldw: number,
): number {
  if (r === 0) return -1;
  let big = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) big = Math.max(big, Math.abs(g[gOff + i * ldg + j]));
  const scale = powerOfTwoScale(big);
  if (scale !== 1) for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) g[gOff + i * ldg + j] *= scale;
  if (vectors) for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) w[wOff + i * ldw + j] = i === j ? 1 : 0;
  const norms = scratch(SLOT.gesvjNorms, r);
  const tol = Math.sqrt(c) * EPS;
  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    for (let i = 0; i < r; i++) norms[i] = dot(g, gOff + i * ldg, gOff + i * ldg, c);
    converged = true;
    for (let p = 0; p < r - 1; p++) {
      let best = p;
      for (let q = p + 1; q < r; q++) if (norms[q] > norms[best]) best = q;
      if (best !== p) {
        swapRows(g, gOff + p * ldg, gOff + best * ldg, c);
        if (vectors) swapRows(w, wOff + p * ldw, wOff + best * ldw, r);
        const t = norms[p];
        norms[p] = norms[best];
        norms[best] = t;
      }
      const gp = gOff + p * ldg;
      for (let q = p + 1; q < r; q++) {
        const alpha = norms[p], beta = norms[q];
        if (alpha === 0 || beta === 0) continue;
        const gq = gOff + q * ldg;
        const gamma = dot(g, gp, gq, c);
        if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
        rotate(g, gp, gq, c, cs, sn);
        if (vectors) rotate(w, wOff + p * ldw, wOff + q * ldw, r, cs, sn);
        norms[p] = Math.max(0, alpha - t * gamma);
        norms[q] = beta + t * gamma;
      }
    }
  }
  if (!converged) return MAX_SWEEPS;
  for (let i = 0; i < r; i++) norms[i] = Math.sqrt(dot(g, gOff + i * ldg, gOff + i * ldg, c));
  sortDescending(vectors, r, c, g, gOff, ldg, w, wOff, ldw, norms);
  if (vectors) normaliseRows(r, c, g, gOff, ldg, norms);
  for (let i = 0; i < r; i++) s[sOff + i] = norms[i] / scale;
  return -1;
}

function dot(x: Float64Array, p: number, q: number, len: number): number {
  let s0 = 0, s1 = 0, k = 0;
  for (; k + 1 < len; k += 2) {
    s0 += x[p + k] * x[q + k];
    s1 += x[p + k + 1] * x[q + k + 1];
  }
  if (k < len) s0 += x[p + k] * x[q + k];
  return s0 + s1;
}

/** (row p, row q) ← (c·p − s·q, s·p + c·q). */
function rotate(x: Float64Array, p: number, q: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const xp = x[p + k], xq = x[q + k];
    x[p + k] = c * xp - s * xq;
    x[q + k] = s * xp + c * xq;
  }
}

function swapRows(x: Float64Array, p: number, q: number, len: number): void {
  for (let k = 0; k < len; k++) {
    const t = x[p + k];
    x[p + k] = x[q + k];
    x[q + k] = t;
  }
}

/** Selection sort of the norms descending, carrying the rows of G and W. */
function sortDescending(
  vectors: boolean, r: number, c: number, g: Float64Array, gOff: number, ldg: number, w: Float64Array, wOff: number,
  ldw: number, norms: Float64Array,
): void {
  for (let i = 0; i < r - 1; i++) {
    let k = i;
    for (let j = i + 1; j < r; j++) if (norms[j] > norms[k]) k = j;
    if (k === i) continue;
    const t = norms[i];
    norms[i] = norms[k];
    norms[k] = t;
    swapRows(g, gOff + i * ldg, gOff + k * ldg, c);
    if (vectors) swapRows(w, wOff + i * ldw, wOff + k * ldw, r);
  }
}

/**
 * Divides every row by its norm; rows of (numerically) zero norm, which sorting put last, are replaced by unit vectors
 * orthogonal to all rows before them: the coordinate vector e_j least covered by those rows (largest 1 − Σ yₗⱼ²,
 * at least 1/c), orthogonalised twice (classical Gram–Schmidt with reorthogonalisation) and normalised.
 */
function normaliseRows(r: number, c: number, g: Float64Array, gOff: number, ldg: number, norms: Float64Array): void {
  let rank = 0;
  while (rank < r && norms[rank] > TINY) {
    const row = gOff + rank * ldg, inv = 1 / norms[rank];
    for (let k = 0; k < c; k++) g[row + k] *= inv;
    rank++;
  }
  if (rank === r) return;
  const covered = scratch(SLOT.householder, c);
  covered.fill(0, 0, c);
  for (let i = 0; i < rank; i++) for (let k = 0; k < c; k++) covered[k] += g[gOff + i * ldg + k] ** 2;
  for (let i = rank; i < r; i++) {
    let j = 0;
    for (let k = 1; k < c; k++) if (covered[k] < covered[j]) j = k;
    const row = gOff + i * ldg;
    for (let k = 0; k < c; k++) g[row + k] = k === j ? 1 : 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < i; l++) {
        const other = gOff + l * ldg;
        const proj = dot(g, row, other, c);
        for (let k = 0; k < c; k++) g[row + k] -= proj * g[other + k];
      }
    }
    const inv = 1 / Math.sqrt(dot(g, row, row, c));
    for (let k = 0; k < c; k++) {
      g[row + k] *= inv;
      covered[k] += g[row + k] ** 2;
    }
  }
}
