/** JavaScript `syev`: symmetric eigendecomposition (Householder tridiagonalisation, then implicit QL). @module */
import { SLOT, scratch } from './scratch.js';

const EPS = 2 ** -52;
/** Most QL iterations spent on one eigenvalue before giving up (EISPACK's and LAPACK's 30). */
const MAX_ITERATIONS = 30;

/**
 * Eigenvalues (ascending) and optionally eigenvectors of the symmetric n×n matrix whose lower triangle is at `a`
 * (see {@link DenseKernels.syev}).
 *
 * The LAPACK `dsyev` route in row-major form, so every inner loop runs along a contiguous row:
 * 1. the lower triangle is copied transposed into an upper-stored work matrix and reduced to tridiagonal T = QᵀAQ by
 *    n − 2 Householder reflectors taken from the rows (`dsytd2`: a symmetric matrix-vector product and a rank-2
 *    update of the trailing upper triangle per reflector, 4/3·n³ flops);
 * 2. with vectors, Qᵀ is accumulated row-wise from the stored reflectors, last first (`dorgtr`, 4/3·n³);
 * 3. implicit QL with Wilkinson shifts on T (EISPACK `tql2`), each Givens rotation applied to two contiguous rows of
 *    Qᵀ, which end as the eigenvectors (≈ 3n³);
 * 4. eigenvalues are sorted ascending with their rows, and the rows are written out as the columns of V.
 * Inputs with max |aᵢⱼ| outside [2⁻³⁰⁰, 2³⁰⁰] are scaled by a power of two first (exact), so no square overflows.
 */
export function syev(vectors: boolean, n: number, a: Float64Array, aOff: number, lda: number, w: Float64Array, wOff: number): number {
  if (n === 0) return -1;
  const u = scratch(SLOT.syevWork, n * n);
  const z = vectors ? scratch(SLOT.syevVectors, n * n) : u;
  const aux = scratch(SLOT.syevAux, 2 * n);
  const e = aux.subarray(0, n), tau = aux.subarray(n, 2 * n);
  const d = w.subarray(wOff, wOff + n);

  // The lower triangle, transposed into the upper triangle of u, and its largest magnitude.
  let big = 0;
  for (let i = 0; i < n; i++) {
    const ai = aOff + i * lda;
    for (let j = 0; j <= i; j++) {
      const v = a[ai + j];
      u[j * n + i] = v;
      const m = Math.abs(v);
      if (m > big) big = m;
    }
  }
  const scale = powerOfTwoScale(big);
  if (scale !== 1) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) u[i * n + j] *= scale;

  tridiagonalise(n, u, d, e, tau);
  if (vectors) formQt(n, u, tau, z);
  const failed = ql(n, d, e, vectors ? z : null);
  if (failed >= 0) return failed;
  sortAscending(n, d, vectors ? z : null);
  if (scale !== 1) for (let i = 0; i < n; i++) d[i] /= scale;
  if (vectors) {
    for (let i = 0; i < n; i++) {
      const ai = aOff + i * lda;
      for (let j = 0; j < n; j++) a[ai + j] = z[j * n + i];
    }
  }
  return -1;
}

/** 1, or the power of two that brings `big` near 1 when it is so large or small that squares could overflow. */
export function powerOfTwoScale(big: number): number {
  if (big === 0 || (big <= 2 ** 300 && big >= 2 ** -300)) return 1;
  return 2 ** -Math.floor(Math.log2(big));
}

/**
 * Reduces the upper-stored symmetric u to tridiagonal form in place: diagonal d, superdiagonal e[0..n−2]. Reflector
 * k is H = I − τ_k v vᵀ with v[k+1] = 1 and v[k+2..] stored in row k of u from column k + 2 (LAPACK's `dlarfg`
 * conventions: β = −sign(α)·‖x‖, τ = (β − α)/β).
 */
function tridiagonalise(n: number, u: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  const p = scratch(SLOT.syevVector, n);
  for (let k = 0; k < n - 1; k++) {
    const rk = k * n;
    d[k] = u[rk + k];
    const len = n - k - 1; // the reflector acts on indices k+1 .. n−1
    const alpha = u[rk + k + 1];
    let xnorm2 = 0;
    for (let j = k + 2; j < n; j++) xnorm2 += u[rk + j] * u[rk + j];
    if (xnorm2 === 0) {
      e[k] = alpha;
      tau[k] = 0;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + xnorm2);
    const beta = alpha >= 0 ? -norm : norm;
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let j = k + 2; j < n; j++) u[rk + j] *= inv;
    e[k] = beta;
    tau[k] = t;
    u[rk + k + 1] = 1; // v[0], restored below; lets the loops read v straight from row k
    const v0 = rk + k + 1;
    // p = τ B v, B the trailing upper-stored block (rows/columns k+1..): each stored b_ij (j ≥ i) feeds p_i and p_j.
    for (let i = 0; i < len; i++) p[i] = 0;
    for (let i = 0; i < len; i++) {
      const bi = (k + 1 + i) * n + k + 1;
      const vi = u[v0 + i];
      let s = u[bi + i] * vi;
      for (let j = i + 1; j < len; j++) {
        const b = u[bi + j];
        s += b * u[v0 + j];
        p[j] += b * vi;
      }
      p[i] += s;
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i] *= t;
      pv += p[i] * u[v0 + i];
    }
    // w = p − (τ/2)(pᵀv) v, then B ← B − v wᵀ − w vᵀ on the upper triangle.
    const half = 0.5 * t * pv;
    for (let i = 0; i < len; i++) p[i] -= half * u[v0 + i];
    for (let i = 0; i < len; i++) {
      const bi = (k + 1 + i) * n + k + 1;
      const vi = u[v0 + i], wi = p[i];
      for (let j = i; j < len; j++) u[bi + j] -= vi * p[j] + wi * u[v0 + j];
    }
    u[v0] = alpha; // not read again; keeps row k's storage as documented (v below, α's slot unused)
  }
  d[n - 1] = u[(n - 1) * n + n - 1];
  e[n - 1] = 0;
}

/**
 * Qᵀ = H_{n−2} ⋯ H_0 into z, row by row: starting from I, z ← z·H_k for k from last to first. H_k only mixes columns
 * k+1.. and, while the later reflectors are accumulated, only rows k+1.. of z differ from the identity there.
 */
function formQt(n: number, u: Float64Array, tau: Float64Array, z: Float64Array): void {
  z.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  for (let k = n - 2; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    const v0 = k * n + k + 1; // v[0] = 1 is implicit; v[j] = u[v0 + j] for j ≥ 1
    const c0 = k + 1;
    for (let r = k + 1; r < n; r++) {
      const zr = r * n + c0;
      let s = z[zr];
      for (let j = 1; j < n - c0; j++) s += z[zr + j] * u[v0 + j];
      s *= t;
      z[zr] -= s;
      for (let j = 1; j < n - c0; j++) z[zr + j] -= s * u[v0 + j];
    }
  }
}

/**
 * Implicit QL with Wilkinson shifts on the tridiagonal (d, e) (EISPACK `tql2`): eigenvalues into d; each rotation of
 * the coordinates i, i+1 is applied to rows i, i+1 of zᵀ-form vectors `z` when given.
 * @returns −1, or the index of the eigenvalue that did not converge in {@link MAX_ITERATIONS} iterations.
 */
function ql(n: number, d: Float64Array, e: Float64Array, z: Float64Array | null): number {
  let f = 0, tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITERATIONS) return l;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (z !== null) rotateRows(z, i * n, (i + 1) * n, n, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return -1;
}

/** (row x, row y) ← (c·x − s·y, s·x + c·y), the QL rotation in z's transposed layout. */
function rotateRows(z: Float64Array, x: number, y: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const zx = z[x + k], zy = z[y + k];
    z[y + k] = s * zx + c * zy;
    z[x + k] = c * zx - s * zy;
  }
}

/** Selection sort of d ascending, carrying the rows of z (n swaps at most, so O(n²) with vectors). */
function sortAscending(n: number, d: Float64Array, z: Float64Array | null): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
    if (k === i) continue;
    const t = d[i];
    d[i] = d[k];
    d[k] = t;
    if (z !== null) {
      for (let c = 0; c < n; c++) {
        const x = z[i * n + c];
        z[i * n + c] = z[k * n + c];
        z[k * n + c] = x;
      }
    }
  }
}
