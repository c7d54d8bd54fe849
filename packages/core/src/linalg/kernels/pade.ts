/**
 * Padé approximants of the exponential for scaling and squaring (Higham 2005; Al-Mohy & Higham 2009): coefficients,
 * the degree/scaling choice, and the numerators/denominators built with the dense kernels. Matrices are n×n
 * row-major scratch arrays (offset 0, row stride n). @module
 */
import { dense } from '../../backend/select.js';

/** Coefficients b₀ … b_m of the [m/m] Padé approximant p(x)/p(−x) of eˣ, scaled so that b_m = 1 (as scipy's). */
export const PADE: Readonly<Record<3 | 5 | 7 | 9 | 13, readonly number[]>> = Object.freeze({
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
    670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
});

export type Degree = 3 | 5 | 7 | 9 | 13;

/** θ_m of Higham (2005), Table 2.3: ‖2⁻ˢA‖ ≤ θ_m bounds the backward error of the degree-m approximant by 2⁻⁵³. */
export const THETA: Readonly<Record<Degree, number>> = Object.freeze({
  3: 1.495585217958292e-2, 5: 2.539398330063230e-1, 7: 9.504178996162932e-1, 9: 2.097847961257068, 13: 4.25,
});

/** θ_m for the Fréchet derivative (Al-Mohy & Higham 2009b, Table 6.1; scipy's `ell_table_61`). */
export const THETA_FRECHET: Readonly<Record<Degree, number>> = Object.freeze({ 3: 1.08e-2, 5: 2.00e-1, 7: 7.83e-1, 9: 1.78, 13: 4.74 });

/** |c_{2m+1}|⁻¹ of the leading term of the backward-error series (Al-Mohy & Higham 2009, §3; scipy's `_ell`). */
const ELL_C: Readonly<Record<Degree, number>> = Object.freeze({
  3: 100800, 5: 10059033600, 7: 4487938430976000, 9: 5914384781877411840000, 13: 113250775606021113483283660800000000,
});

/** ‖A‖₁, the largest absolute column sum. */
export function norm1(a: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Al-Mohy & Higham's correction ℓ(A, m): how many extra squarings keep the backward error below 2⁻⁵³ given the
 * actual ‖|A|^{2m+1}‖₁, computed exactly as the largest entry of 1ᵀ|A|^{2m+1} (2m + 1 vector–matrix products: a
 * non-negative matrix's 1-norm is that of its column sums).
 */
export function ell(a: Float64Array, n: number, scale: number, m: Degree, v: Float64Array, w: Float64Array): number {
  const normA = norm1(a, n) * scale;
  if (normA === 0) return 0;
  v.fill(1, 0, n);
  for (let p = 0; p < 2 * m + 1; p++) {
    w.fill(0, 0, n);
    for (let i = 0; i < n; i++) {
      const vi = v[i], row = i * n;
      for (let j = 0; j < n; j++) w[j] += vi * Math.abs(a[row + j]) * scale;
    }
    v.set(w.subarray(0, n));
  }
  let powNorm = 0;
  for (let j = 0; j < n; j++) if (v[j] > powNorm) powNorm = v[j];
  if (powNorm === 0) return 0;
  const alpha = powNorm / (normA * ELL_C[m]);
  return Math.max(0, Math.ceil(Math.log2(alpha / 2 ** -53) / (2 * m)));
}

/** C ← X·Y for n×n scratch matrices (through the dense kernels, so WebAssembly from the crossover up). */
export function mm(x: Float64Array, y: Float64Array, c: Float64Array, n: number): void {
  dense.gemm(false, false, n, n, n, 1, x, 0, n, y, 0, n, 0, c, 0, n);
}

/** out ← Σ cᵢ·Mᵢ (+ c₀·I when `identity` is given), the matrices n×n. */
export function combine(out: Float64Array, n: number, identity: number, terms: readonly (readonly [number, Float64Array])[]): void {
  const nn = n * n;
  out.fill(0, 0, nn);
  for (const [c, m] of terms) for (let q = 0; q < nn; q++) out[q] += c * m[q];
  for (let i = 0; i < n; i++) out[i * n + i] += identity;
}
