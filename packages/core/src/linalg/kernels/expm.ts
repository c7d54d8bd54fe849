/**
 * The matrix exponential and its Fréchet derivative by scaling and squaring with Padé approximants, on n×n matrices:
 * `expm` as Al-Mohy & Higham (2009), "A new scaling and squaring algorithm for the matrix exponential", Algorithm 5.1
 * (scipy's `expm`), and `expmFrechet` as Al-Mohy & Higham (2009), "Computing the Fréchet derivative of the matrix
 * exponential", Algorithm 6.4 (scipy's `expm_frechet`); `expm` treats upper-triangular input in its squaring phase
 * as scipy does (Code Fragment 2.1). The products and the LU solve go through the dense kernels,
 * so they run on WebAssembly from the backend's crossover up. @module
 */
import { dense } from '../../backend/select.js';
import { SingularMatrixError } from '../../errors.js';
import { type Degree, PADE, THETA, THETA_FRECHET, combine, ell, mm, norm1 } from './pade.js';

/** Scratch for one size: every matrix the algorithms need, allocated once per batch. */
export class ExpmWorkspace {
  readonly n: number;
  private readonly pool: Float64Array[] = [];
  private next = 0;
  readonly perm: Int32Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  constructor(n: number) {
    this.n = n;
    this.perm = new Int32Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
  }
  /** Starts a matrix: every array handed out before is free again. */
  reset(): void {
    this.next = 0;
  }
  /** An n×n array (contents undefined). */
  take(): Float64Array {
    if (this.next === this.pool.length) this.pool.push(new Float64Array(this.n * this.n));
    return this.pool[this.next++];
  }
}

/** `out[oOff …] ← expm(A)` for the n×n A at `src[sOff]` (row-major, row stride n). */
export function expmMatrix(src: Float64Array, sOff: number, out: Float64Array, oOff: number, ws: ExpmWorkspace, t: number): void {
  const n = ws.n, nn = n * n;
  ws.reset();
  const a = ws.take();
  for (let q = 0; q < nn; q++) a[q] = src[sOff + q];
  if (norm1(a, n) === 0) {
    out.fill(0, oOff, oOff + nn);
    for (let i = 0; i < n; i++) out[oOff + i * n + i] = 1;
    return;
  }
  const a2 = ws.take();
  mm(a, a, a2, n);
  const n2 = norm1(a2, n);
  // d_k = ‖A^k‖^{1/k}: exact where the power is at hand, otherwise an upper bound from the powers computed (never
  // smaller than the true value, so a degree is only chosen when it is accurate enough)
  let d4 = Math.sqrt(n2), d6 = d4;
  if (Math.max(d4, d6) <= THETA[3] && ell(a, n, 1, 3, ws.v, ws.w) === 0) return finish(3, a, [a2], 1, 0, out, oOff, ws, t);
  const a4 = ws.take();
  mm(a2, a2, a4, n);
  const n4 = norm1(a4, n);
  d4 = n4 ** (1 / 4);
  d6 = (n4 * n2) ** (1 / 6);
  if (Math.max(d4, d6) <= THETA[5] && ell(a, n, 1, 5, ws.v, ws.w) === 0) return finish(5, a, [a2, a4], 1, 0, out, oOff, ws, t);
  const a6 = ws.take();
  mm(a4, a2, a6, n);
  const n6 = norm1(a6, n);
  d6 = n6 ** (1 / 6);
  const d8 = Math.min(d4, (n6 * n2) ** (1 / 8));
  const eta3 = Math.max(d6, d8);
  if (eta3 <= THETA[7] && ell(a, n, 1, 7, ws.v, ws.w) === 0) return finish(7, a, [a2, a4, a6], 1, 0, out, oOff, ws, t);
  if (eta3 <= THETA[9] && ell(a, n, 1, 9, ws.v, ws.w) === 0) {
    const a8 = ws.take();
    mm(a4, a4, a8, n);
    return finish(9, a, [a2, a4, a6, a8], 1, 0, out, oOff, ws, t);
  }
  const d10 = Math.min((n6 * n4) ** (1 / 10), (n4 * n4 * n2) ** (1 / 10));
  const eta5 = Math.min(eta3, Math.max(d8, d10));
  let s = eta5 === 0 ? 0 : Math.max(0, Math.ceil(Math.log2(eta5 / THETA[13])));
  s += ell(a, n, 2 ** -s, 13, ws.v, ws.w);
  finish(13, a, [a2, a4, a6], 2 ** -s, s, out, oOff, ws, t, isUpperTriangular(a, n));
}

function isUpperTriangular(a: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (a[i * n + j] !== 0) return false;
  return true;
}

/**
 * Al-Mohy & Higham's Code Fragment 2.1 for an upper-triangular A (scipy does the same): after each squaring the
 * diagonal of R is replaced by exp(2^{j−s}·aᵢᵢ) and its first superdiagonal by the exact value for each 2×2 block
 * (Higham 2008, eq. 10.42), so the errors of the squarings do not accumulate there.
 */
function triangularFixup(r: Float64Array, a: Float64Array, n: number, scale: number, superdiagonal: boolean): void {
  for (let i = 0; i < n; i++) r[i * n + i] = Math.exp(scale * a[i * n + i]);
  if (!superdiagonal) return;
  for (let i = 0; i + 1 < n; i++) {
    const l1 = scale * a[i * n + i], l2 = scale * a[(i + 1) * n + i + 1], t12 = scale * a[i * n + i + 1];
    r[i * n + i + 1] = t12 * Math.exp(0.5 * (l1 + l2)) * sinch(0.5 * (l1 - l2));
  }
}

/** sinh(x)/x, by its Taylor series near 0 where the quotient cancels. */
function sinch(x: number): number {
  const x2 = x * x;
  if (Math.abs(x) < 0.0135) return 1 + (x2 / 6) * (1 + (x2 / 20) * (1 + x2 / 42));
  return Math.sinh(x) / x;
}

/**
 * R = q(A)⁻¹ p(A) for the degree-m approximant of the scaled matrix c·A (powers A², A⁴, … given unscaled), then s
 * squarings, into `out`.
 */
function finish(
  m: Degree, a: Float64Array, powers: readonly Float64Array[], c: number, s: number,
  out: Float64Array, oOff: number, ws: ExpmWorkspace, t: number, upper = false,
): void {
  const n = ws.n;
  const u = ws.take(), v = ws.take();
  padeUV(m, a, powers, c, u, v, ws);
  let r = ws.take();
  solvePQ(u, v, r, ws, t);
  if (upper) triangularFixup(r, a, n, c, false);
  let r2 = ws.take();
  for (let k = 0; k < s; k++) {
    mm(r, r, r2, n);
    [r, r2] = [r2, r];
    if (upper) triangularFixup(r, a, n, c * 2 ** (k + 1), true);
  }
  for (let q = 0; q < n * n; q++) out[oOff + q] = r[q];
}

/**
 * U = p_odd and V = p_even of the degree-m approximant at c·A: U = cA·Σ b_{2i+1} (cA)^{2i}, V = Σ b_{2i} (cA)^{2i};
 * degree 13 as Higham's (2005) 6-product evaluation.
 */
function padeUV(m: Degree, a: Float64Array, powers: readonly Float64Array[], c: number, u: Float64Array, v: Float64Array, ws: ExpmWorkspace): void {
  const n = ws.n, b = PADE[m];
  const tmp = ws.take();
  if (m !== 13) {
    const odd: [number, Float64Array][] = [], even: [number, Float64Array][] = [];
    for (let i = 1; 2 * i <= m; i++) {
      const ci = c ** (2 * i);
      odd.push([b[2 * i + 1] * ci, powers[i - 1]]);
      even.push([b[2 * i] * ci, powers[i - 1]]);
    }
    combine(tmp, n, b[1], odd);
    mm(a, tmp, u, n);
    scale(u, c, n);
    combine(v, n, b[0], even);
    return;
  }
  const [a2, a4, a6] = powers;
  const c2 = c * c, c4 = c2 * c2, c6 = c4 * c2;
  const w1 = ws.take(), z1 = ws.take();
  combine(w1, n, 0, [[b[13] * c6, a6], [b[11] * c4, a4], [b[9] * c2, a2]]);
  mm(a6, w1, tmp, n);
  combine(w1, n, b[1], [[c6, tmp], [b[7] * c6, a6], [b[5] * c4, a4], [b[3] * c2, a2]]); // W = A₆W₁ + W₂
  mm(a, w1, u, n);
  scale(u, c, n);
  combine(z1, n, 0, [[b[12] * c6, a6], [b[10] * c4, a4], [b[8] * c2, a2]]);
  mm(a6, z1, tmp, n);
  combine(v, n, b[0], [[c6, tmp], [b[6] * c6, a6], [b[4] * c4, a4], [b[2] * c2, a2]]);
}

function maxAbs(x: Float64Array, len: number): number {
  let m = 0;
  for (let q = 0; q < len; q++) m = Math.max(m, Math.abs(x[q]));
  return m;
}

function scale(x: Float64Array, c: number, n: number): void {
  if (c !== 1) for (let q = 0; q < n * n; q++) x[q] *= c;
}

/** R ← (V − U)⁻¹ (V + U); leaves the LU factors of V − U in the returned array for further solves. */
function solvePQ(u: Float64Array, v: Float64Array, r: Float64Array, ws: ExpmWorkspace, t: number): Float64Array {
  const n = ws.n, nn = n * n;
  const lu = ws.take(), rhs = ws.take();
  for (let q = 0; q < nn; q++) {
    lu[q] = v[q] - u[q];
    rhs[q] = v[q] + u[q];
  }
  const bad = dense.getrf(n, n, lu, 0, n, ws.perm);
  // q_m(A) is nonsingular for ‖A‖ ≤ θ_m (Higham 2005): a zero pivot here is a breakdown, not a property of A
  if (bad >= 0) throw new SingularMatrixError(bad, t, 'expm (Padé denominator)');
  dense.getrs(false, n, n, lu, 0, n, ws.perm, rhs, 0, n, r, 0, n);
  return lu;
}

/**
 * `out[oOff …] ← L(A, E)`, the Fréchet derivative d/dh expm(A + hE) at h = 0, for the n×n A at `a[aOff]` and E at
 * `e[eOff]` (Al-Mohy & Higham 2009, Algorithm 6.4: the same degree and scaling for both, chosen by ‖A‖₁).
 */
export function expmFrechetMatrix(
  aSrc: Float64Array, aOff: number, eSrc: Float64Array, eOff: number, out: Float64Array, oOff: number, ws: ExpmWorkspace, t: number,
): void {
  const n = ws.n, nn = n * n;
  ws.reset();
  const a = ws.take(), e = ws.take();
  for (let q = 0; q < nn; q++) {
    a[q] = aSrc[aOff + q];
    e[q] = eSrc[eOff + q];
  }
  const norm = norm1(a, n);
  let m: Degree = 13, s = 0;
  for (const d of [3, 5, 7, 9] as const) {
    if (norm <= THETA_FRECHET[d]) {
      m = d;
      break;
    }
  }
  if (m === 13) {
    // ‖A‖₁ itself overflows for entries near the float64 maximum: then log₂‖A‖₁ ≤ log₂(n·max|aᵢⱼ|) keeps s finite
    // (at most ~1050 squarings; the result then overflows and the public op reports it, instead of looping forever)
    const log2Norm = Number.isFinite(norm) ? Math.log2(norm) : Math.log2(maxAbs(a, nn)) + Math.log2(n);
    s = Math.max(0, Math.ceil(log2Norm - Math.log2(THETA_FRECHET[13])));
    const c = 2 ** -s;
    for (let q = 0; q < nn; q++) {
      a[q] *= c;
      e[q] *= c;
    }
  }
  const u = ws.take(), v = ws.take(), lu = ws.take(), lv = ws.take();
  frechetUV(m, a, e, u, v, lu, lv, ws);
  let r = ws.take();
  const factors = solvePQ(u, v, r, ws, t);
  // L = (V − U)⁻¹ (Lu + Lv + (Lu − Lv) R)
  const diff = ws.take(), rhs = ws.take();
  for (let q = 0; q < nn; q++) diff[q] = lu[q] - lv[q];
  mm(diff, r, rhs, n);
  for (let q = 0; q < nn; q++) rhs[q] += lu[q] + lv[q];
  let l = ws.take();
  dense.getrs(false, n, n, factors, 0, n, ws.perm, rhs, 0, n, l, 0, n);
  let r2 = ws.take(), l2 = ws.take();
  for (let k = 0; k < s; k++) {
    // L ← R L + L R, R ← R²
    mm(r, l, l2, n);
    dense.gemm(false, false, n, n, n, 1, l, 0, n, r, 0, n, 1, l2, 0, n);
    mm(r, r, r2, n);
    [l, l2] = [l2, l];
    [r, r2] = [r2, r];
  }
  for (let q = 0; q < nn; q++) out[oOff + q] = l[q];
}

/**
 * U, V of the degree-m approximant at A and their Fréchet derivatives Lu, Lv in the direction E (the products of
 * A's even powers differentiated: M₂ = AE + EA, M₄ = A²M₂ + M₂A², …).
 */
function frechetUV(
  m: Degree, a: Float64Array, e: Float64Array, u: Float64Array, v: Float64Array, lu: Float64Array, lv: Float64Array, ws: ExpmWorkspace,
): void {
  const n = ws.n, b = PADE[m];
  const pw: Float64Array[] = [], dm: Float64Array[] = [];
  const a2 = ws.take(), m2 = ws.take();
  mm(a, a, a2, n);
  mm(a, e, m2, n);
  dense.gemm(false, false, n, n, n, 1, e, 0, n, a, 0, n, 1, m2, 0, n);
  pw.push(a2);
  dm.push(m2);
  const top = m === 13 ? 3 : (m - 1) >> 1; // A², A⁴, …, and A⁶ for degree 13
  for (let i = 2; i <= top; i++) {
    // A^{2i} = A^{2i−2}·A² (A⁸ = A⁴·A⁴, the same); M_{2i} = A^{2i−2} M₂ + M_{2i−2} A²
    const p = ws.take(), d = ws.take();
    const half = i === 4 ? 1 : 0; // A⁸ = A⁴·A⁴ and M₈ = A⁴M₄ + M₄A⁴, as scipy
    const x = pw[i - 2 - half], y = pw[half === 1 ? 1 : 0];
    mm(x, y, p, n);
    mm(x, dm[half === 1 ? 1 : 0], d, n);
    dense.gemm(false, false, n, n, n, 1, dm[i - 2 - half], 0, n, y, 0, n, 1, d, 0, n);
    pw.push(p);
    dm.push(d);
  }
  const tmp = ws.take(), tmp2 = ws.take();
  if (m !== 13) {
    const odd: [number, Float64Array][] = [], even: [number, Float64Array][] = [];
    const dOdd: [number, Float64Array][] = [], dEven: [number, Float64Array][] = [];
    for (let i = 1; 2 * i <= m; i++) {
      odd.push([b[2 * i + 1], pw[i - 1]]);
      even.push([b[2 * i], pw[i - 1]]);
      dOdd.push([b[2 * i + 1], dm[i - 1]]);
      dEven.push([b[2 * i], dm[i - 1]]);
    }
    combine(tmp, n, b[1], odd); // Σ b_odd A^{2i}
    mm(a, tmp, u, n);
    combine(v, n, b[0], even);
    combine(tmp2, n, 0, dOdd);
    mm(a, tmp2, lu, n); // Lu = A·Σ b M + E·Σ b A
    dense.gemm(false, false, n, n, n, 1, e, 0, n, tmp, 0, n, 1, lu, 0, n);
    combine(lv, n, 0, dEven);
    return;
  }
  const [, a4, a6] = pw;
  const [, m4, m6] = dm;
  const w1 = ws.take(), z1 = ws.take(), w = ws.take(), lw1 = ws.take(), lz1 = ws.take();
  combine(w1, n, 0, [[b[13], a6], [b[11], a4], [b[9], a2]]);
  combine(z1, n, 0, [[b[12], a6], [b[10], a4], [b[8], a2]]);
  mm(a6, w1, tmp, n);
  combine(w, n, b[1], [[1, tmp], [b[7], a6], [b[5], a4], [b[3], a2]]); // W = A₆W₁ + W₂
  mm(a, w, u, n);
  mm(a6, z1, tmp, n);
  combine(v, n, b[0], [[1, tmp], [b[6], a6], [b[4], a4], [b[2], a2]]); // V = A₆Z₁ + Z₂
  combine(lw1, n, 0, [[b[13], m6], [b[11], m4], [b[9], m2]]);
  combine(lz1, n, 0, [[b[12], m6], [b[10], m4], [b[8], m2]]);
  // Lw = A₆Lw₁ + M₆W₁ + Lw₂
  mm(a6, lw1, tmp, n);
  dense.gemm(false, false, n, n, n, 1, m6, 0, n, w1, 0, n, 1, tmp, 0, n);
  combine(tmp2, n, 0, [[1, tmp], [b[7], m6], [b[5], m4], [b[3], m2]]);
  // Lu = A·Lw + E·W
  mm(a, tmp2, lu, n);
  dense.gemm(false, false, n, n, n, 1, e, 0, n, w, 0, n, 1, lu, 0, n);
  // Lv = A₆Lz₁ + M₆Z₁ + Lz₂
  mm(a6, lz1, tmp, n);
  dense.gemm(false, false, n, n, n, 1, m6, 0, n, z1, 0, n, 1, tmp, 0, n);
  combine(lv, n, 0, [[1, tmp], [b[6], m6], [b[4], m4], [b[2], m2]]);
}
