/**
 * The adjugate of n×n matrices from their LU factors, without dividing by det A (exact at singular matrices), and
 * the pivoting both the kernel and the differentiable expression of `linalg/adjugate.ts` use. @module
 */
import { dense } from '../../backend/select.js';
import { permutationSign } from './determinant.js';

/** How a matrix is pivoted for its adjugate: B = P·A·Q with a nonsingular, well-conditioned leading r×r block. */
export interface AdjugatePivots {
  /** Row i of B is row `rows[i]` of A. */
  readonly rows: Int32Array;
  /** Column j of B is column `cols[j]` of A (the identity for partial pivoting). */
  readonly cols: Int32Array;
  /** k = n − r ≥ 1, the order of the Schur complement (the rank deficiency up to round-off, at least 1). */
  readonly k: number;
  /** det(P)·det(Q). */
  readonly sign: number;
}

/**
 * The pivots of the adjugate formula for the n×n `a` (row-major at `off`), and the packed LU of B in `lu` (n×n,
 * offset 0). Partial pivoting (`getrf`, blocked, WebAssembly from the crossover up) when its first n − 1 pivots are
 * above √ε·max|aᵢⱼ| — then k = 1 and B = P·A; otherwise complete pivoting (`getc2`, rank-revealing) and k the number
 * of pivots below that. The threshold bounds the condition of M₁₁ by about 1/√ε: an exactly rank-deficient matrix
 * has pivots of round-off size (n·ε·‖A‖ and more), and treating them as nonzero would make M₁₁ so ill-conditioned
 * that derivatives of the adjugate lose every digit, while a larger k is exact (the formula holds for any k with M₁₁
 * nonsingular) at the cost of a larger Schur complement.
 */
export function adjugatePivots(a: Float64Array, off: number, n: number, lu: Float64Array, seen: Uint8Array): AdjugatePivots {
  const nn = n * n;
  let scale = 0;
  for (let q = 0; q < nn; q++) {
    lu[q] = a[off + q];
    scale = Math.max(scale, Math.abs(lu[q]));
  }
  const tol = 2 ** -26 * scale;
  const rows = new Int32Array(n), cols = new Int32Array(n);
  for (let j = 0; j < n; j++) cols[j] = j;
  dense.getrf(n, n, lu, 0, n, rows);
  let healthy = scale > 0;
  for (let i = 0; i + 1 < n && healthy; i++) if (!(Math.abs(lu[i * n + i]) > tol)) healthy = false;
  if (healthy || n === 1) return { rows, cols, k: 1, sign: permutationSign(rows, 0, n, seen) };
  for (let q = 0; q < nn; q++) lu[q] = a[off + q];
  const exact = dense.getc2(n, lu, 0, n, rows, cols);
  let r = exact < 0 ? n : exact;
  for (let i = 0; i < r; i++) {
    if (!(Math.abs(lu[i * n + i]) > tol)) {
      r = i;
      break;
    }
  }
  return { rows, cols, k: Math.max(1, n - r), sign: permutationSign(rows, 0, n, seen) * permutationSign(cols, 0, n, seen) };
}

/**
 * `out[oOff …] ← adj(A)` for the n×n A at `a[off]`. With B = P·A·Q = L·U, r = n − k and S the trailing k×k Schur
 * complement, adj(B) = adj(Ū)·L̄⁻¹ for the block factors L̄ = [[L₁₁, 0], [L₂₁, I]], Ū = [[U₁₁, U₁₂], [0, S]], and
 * adj(Ū) = det(U₁₁)·[[det(S)·U₁₁⁻¹, −U₁₁⁻¹U₁₂ adj(S)], [0, adj(S)]] — no division by anything that vanishes; then
 * adj(A) = det(P)det(Q)·Q·adj(B)·P. Cost about that of an inverse (getrf, trtri, one right trsm).
 */
export function adjugateMatrix(a: Float64Array, off: number, n: number, out: Float64Array, oOff: number, seen: Uint8Array): void {
  const nn = n * n;
  const lu = new Float64Array(nn);
  const { rows, cols, k, sign } = adjugatePivots(a, off, n, lu, seen);
  const r = n - k;
  // S = B₂₂ − L₂₁U₁₂ (recomputed: complete pivoting went on eliminating past r)
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let v = a[off + rows[r + i] * n + cols[r + j]];
      for (let p = 0; p < r; p++) v -= lu[(r + i) * n + p] * lu[p * n + r + j];
      s[i * k + j] = v;
    }
  }
  const { adj: adjS, det: detS } = faddeevLeVerrier(s, k);
  let d = 1;
  for (let i = 0; i < r; i++) d *= lu[i * n + i];
  // Z = adj(Ū), upper block triangular
  const z = new Float64Array(nn);
  for (let i = 0; i < r; i++) for (let j = i; j < r; j++) z[i * n + j] = lu[i * n + j];
  dense.trtri(false, false, r, z, 0, n);
  for (let i = 0; i < r; i++) {
    // row i of −U₁₁⁻¹ U₁₂ adj(S), before scaling by d
    for (let c = 0; c < k; c++) {
      let v = 0;
      for (let p = i; p < r; p++) {
        let w = 0;
        for (let q = 0; q < k; q++) w += lu[p * n + r + q] * adjS[q * k + c];
        v += z[i * n + p] * w;
      }
      z[i * n + r + c] = -d * v;
    }
    for (let j = i; j < r; j++) z[i * n + j] *= d * detS;
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) z[(r + i) * n + r + j] = d * adjS[i * k + j];
  // adj(B) = Z·L̄⁻¹: L̄ is L's first r columns and the identity in the trailing block
  const lbar = new Float64Array(nn);
  for (let i = 1; i < n; i++) for (let j = 0; j < Math.min(i, r); j++) lbar[i * n + j] = lu[i * n + j];
  dense.trsm(true, true, false, true, n, n, lbar, 0, n, z, 0, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[oOff + cols[i] * n + rows[j]] = sign * z[i * n + j];
}

/** adj(S) and det(S) of a small k×k matrix by the Faddeev–LeVerrier recurrence (polynomial in S; see adjugate.ts). */
function faddeevLeVerrier(s: Float64Array, k: number): { adj: Float64Array; det: number } {
  let m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) m[i * k + i] = 1;
  let c = 1;
  const sm = new Float64Array(k * k);
  for (let j = 1; j <= k; j++) {
    sm.fill(0);
    for (let i = 0; i < k; i++) for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) sm[i * k + q] += s[i * k + p] * m[p * k + q];
    let tr = 0;
    for (let i = 0; i < k; i++) tr += sm[i * k + i];
    c = -tr / j;
    if (j < k) {
      m = sm.slice();
      for (let i = 0; i < k; i++) m[i * k + i] += c;
    }
  }
  if (k % 2 === 0) for (let q = 0; q < m.length; q++) m[q] = -m[q];
  return { adj: m, det: k % 2 === 0 ? c : -c };
}
