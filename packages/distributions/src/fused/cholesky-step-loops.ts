/**
 * The (μ, L) natural-gradient step of L, `Y = L·Φ(Lᵀ·A)`, in JavaScript for small D (one matrix, row-major, L read
 * through its lower triangle). Every product is a set of dot products between contiguous rows of packed operands
 * (L with zeros above the diagonal, U = Lᵀ with zeros below it, …), register-blocked 4×2 (`dots.ts`), and runs only
 * over the triangles that are not zero: 5D³/3 flops for the expectation form (A = S·L, S = G + Gᵀ) and 2D³/3 for the
 * Euclidean one (A = tril(G)), against 6D³ for three dense products.
 * @module
 */
import { dot, tile4x2 } from './dots.js';
import { SLOT, scratch } from './scratch.js';

type F = Float64Array;

/** lz ← tril(L), u ← tril(L)ᵀ, both with exact zeros in the other triangle. */
function packLower(d: number, l: F, lo: number, lz: F, u: F): void {
  for (let i = 0; i < d; i++) {
    const s = lo + i * d, t = i * d;
    for (let j = 0; j <= i; j++) {
      const v = l[s + j];
      lz[t + j] = v;
      u[j * d + i] = v;
    }
    for (let j = i + 1; j < d; j++) {
      lz[t + j] = 0;
      u[j * d + i] = 0;
    }
  }
}

/** s ← G + Gᵀ, exactly symmetric. */
function packSymmetricSum(d: number, g: F, go: number, s: F): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) s[i * d + j] = s[j * d + i] = g[go + i * d + j] + g[go + j * d + i];
  }
}

/** ht ← tril(H)ᵀ: ht[j][k] = H[k][j] for k ≥ j, zero below the diagonal. */
function packLowerTransposed(d: number, h: F, ho: number, ht: F): void {
  for (let j = 0; j < d; j++) {
    const t = j * d;
    for (let k = 0; k < j; k++) ht[t + k] = 0;
    for (let k = j; k < d; k++) ht[t + k] = h[ho + k * d + j];
  }
}

/** bt ← (S·L)ᵀ = U·S: bt[j][i] = Σ_{k ≥ j} U[j][k]·S[i][k] (S symmetric, so its rows are its columns). */
function upperTimesSymmetric(d: number, u: F, s: F, bt: F): void {
  const m4 = d - (d % 4), n2 = d - (d % 2);
  for (let j0 = 0; j0 < m4; j0 += 4) {
    for (let i0 = 0; i0 < n2; i0 += 2) tile4x2(u, j0, s, i0, d, j0, d, bt, j0 * d + i0);
    if (n2 < d) for (let r = 0; r < 4; r++) bt[(j0 + r) * d + n2] = dot(u, j0 + r, s, n2, d, j0 + r, d);
  }
  for (let j = m4; j < d; j++) for (let i = 0; i < d; i++) bt[j * d + i] = dot(u, j, s, i, d, j, d);
}

/**
 * xt ← Φ(Lᵀ·A)ᵀ from bt = Aᵀ: xt[j][i] = Σ_{k ≥ i} bt[j][k]·U[i][k] for i ≥ j, the diagonal halved, zero below the
 * diagonal (xt is the upper triangle of Φ's transpose).
 */
function phiTransposed(d: number, bt: F, u: F, xt: F): void {
  const m4 = d - (d % 4), n2 = d - (d % 2);
  for (let j0 = 0; j0 < m4; j0 += 4) {
    // tiles with at least one i ≥ j; the entries below xt's diagonal they also produce are cleared below
    for (let i0 = j0; i0 < n2; i0 += 2) tile4x2(bt, j0, u, i0, d, i0, d, xt, j0 * d + i0);
    if (n2 < d) for (let r = 0; r < 4; r++) xt[(j0 + r) * d + n2] = dot(bt, j0 + r, u, n2, d, n2, d);
  }
  for (let j = m4; j < d; j++) for (let i = j; i < d; i++) xt[j * d + i] = dot(bt, j, u, i, d, i, d);
  for (let j = 0; j < d; j++) {
    const t = j * d;
    for (let i = 0; i < j; i++) xt[t + i] = 0;
    xt[t + j] *= 0.5;
  }
}

/** y ← L·Z with Z = xtᵀ lower: y[i][j] = Σ_{j ≤ k ≤ i} lz[i][k]·xt[j][k] for j ≤ i; zero above the diagonal. */
function lowerTimesLower(d: number, lz: F, xt: F, y: F, yo: number): void {
  const m4 = d - (d % 4);
  for (let i0 = 0; i0 < m4; i0 += 4) {
    const k1 = i0 + 4;
    let j0 = 0;
    for (; j0 + 1 < k1; j0 += 2) tile4x2(lz, i0, xt, j0, d, j0, k1, y, yo + i0 * d + j0);
  }
  for (let i = m4; i < d; i++) for (let j = 0; j <= i; j++) y[yo + i * d + j] = dot(lz, i, xt, j, d, j, i + 1);
  // Tiles straddling the diagonal wrote exact zeros (of either sign) above it: make them +0.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) y[yo + i * d + j] = 0;
}

/**
 * `Y ← L·Φ(Lᵀ·A)` for one D×D matrix: A = (G + Gᵀ)·L when `euclidean` is false, A = tril(G) when true. Writes the
 * whole of Y (zero above the diagonal).
 */
export function choleskyStepLoops(
  euclidean: boolean, d: number, l: F, lo: number, g: F, go: number, y: F, yo: number,
): void {
  const dd = d * d;
  const lz = scratch(SLOT.lower, dd), u = scratch(SLOT.upper, dd), bt = scratch(SLOT.a, dd), xt = scratch(SLOT.x, dd);
  packLower(d, l, lo, lz, u);
  if (euclidean) {
    packLowerTransposed(d, g, go, bt);
  } else {
    const s = scratch(SLOT.rhs, dd);
    packSymmetricSum(d, g, go, s);
    upperTimesSymmetric(d, u, s, bt);
  }
  phiTransposed(d, bt, u, xt);
  lowerTimesLower(d, lz, xt, y, yo);
}

/**
 * `y ← L·Lᵀ·v` for one matrix (L read through its lower triangle), with v = g₁ + (G + Gᵀ)·μ when `g` is given,
 * else v = g₁: the natural-gradient step of μ, O(D²) for every D.
 */
export function meanStepLoops(
  d: number, l: F, lo: number, g1: F, g1o: number, g: F | null, go: number, mu: F | null, muo: number, y: F, yo: number,
): void {
  const s = scratch(SLOT.vector, 2 * d);
  // v in s[0, d), w = Lᵀv in s[d, 2d)
  for (let i = 0; i < d; i++) {
    let acc = g1[g1o + i];
    if (g !== null && mu !== null) {
      for (let k = 0; k < d; k++) acc += (g[go + i * d + k] + g[go + k * d + i]) * mu[muo + k];
    }
    s[i] = acc;
    s[d + i] = 0;
  }
  for (let k = 0; k < d; k++) {
    const vk = s[k], lk = lo + k * d;
    for (let j = 0; j <= k; j++) s[d + j] += l[lk + j] * vk;
  }
  for (let i = 0; i < d; i++) {
    const li = lo + i * d;
    let acc = 0;
    for (let k = 0; k <= i; k++) acc += l[li + k] * s[d + k];
    y[yo + i] = acc;
  }
}
