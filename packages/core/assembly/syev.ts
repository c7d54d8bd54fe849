// Symmetric eigendecomposition: the algorithm of src/backend/js/syev.ts (row-wise Householder tridiagonalisation of
// an upper-stored copy, Qᵀ accumulated from the reflectors, implicit QL with Wilkinson shifts whose rotations act on
// rows of Qᵀ, ascending sort), with the symmetric matrix-vector product, the rank-2 updates, the reflector
// applications and the rotations in f64x2.
import { alloc, release } from './arena';
import { axpyRow, dotRows, powerOfTwoScale, rotateRows, subTwoRows, swapRows } from './rows';

const EPS: f64 = 2.220446049250313e-16;
const MAX_ITERATIONS: i32 = 30;

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/**
 * Eigenvalues (ascending, into w) of the n×n symmetric matrix whose lower triangle is at `a` (row stride `lda`), and
 * with `vectors` the eigenvectors as the columns of `a`.
 * @returns −1, or the index of the eigenvalue on which QL did not converge.
 */
export function syev(vectors: bool, n: i32, a: usize, lda: i32, w: usize): i32 {
  if (n == 0) return -1;
  const nn = <usize>n * n;
  const mark = alloc((nn * (vectors ? 2 : 1) + 3 * <usize>n) << 3);
  const u = mark, z = vectors ? u + (nn << 3) : u;
  const e = u + ((vectors ? 2 * nn : nn) << 3), tau = e + (<usize>n << 3), p = tau + (<usize>n << 3);
  const sa = <usize>lda << 3, su = <usize>n << 3;
  let big: f64 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = load<f64>(a + <usize>i * sa + (<usize>j << 3));
      store<f64>(u + <usize>j * su + (<usize>i << 3), v);
      big = max(big, Math.abs(v));
    }
  }
  const scale = powerOfTwoScale(big);
  if (scale != 1) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const q = u + <usize>i * su + (<usize>j << 3);
    store<f64>(q, load<f64>(q) * scale);
  }
  tridiagonalise(n, u, w, e, tau, p);
  if (vectors) formQt(n, u, tau, z);
  const failed = ql(n, w, e, vectors ? z : 0);
  if (failed >= 0) {
    release(mark);
    return failed;
  }
  // ascending selection sort, carrying the rows of z
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (load<f64>(at(w, j)) < load<f64>(at(w, k))) k = j;
    if (k == i) continue;
    const t = load<f64>(at(w, i));
    store<f64>(at(w, i), load<f64>(at(w, k)));
    store<f64>(at(w, k), t);
    if (vectors) swapRows(z + <usize>i * su, z + <usize>k * su, n);
  }
  if (scale != 1) for (let i = 0; i < n; i++) store<f64>(at(w, i), load<f64>(at(w, i)) / scale);
  if (vectors) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) store<f64>(a + <usize>i * sa + (<usize>j << 3), load<f64>(z + <usize>j * su + (<usize>i << 3)));
  }
  release(mark);
  return -1;
}

/** Householder reduction of the upper-stored u to tridiagonal (d, e); reflector k's v[1..] kept in row k of u. */
function tridiagonalise(n: i32, u: usize, d: usize, e: usize, tau: usize, p: usize): void {
  const su = <usize>n << 3;
  for (let k = 0; k < n - 1; k++) {
    const rk = u + <usize>k * su;
    store<f64>(at(d, k), load<f64>(at(rk, k)));
    const len = n - k - 1;
    const alpha = load<f64>(at(rk, k + 1));
    const xnorm2 = len > 1 ? dotRows(at(rk, k + 2), at(rk, k + 2), len - 1) : 0;
    if (xnorm2 == 0) {
      store<f64>(at(e, k), alpha);
      store<f64>(at(tau, k), 0);
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + xnorm2);
    const beta = alpha >= 0 ? -norm : norm;
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let j = k + 2; j < n; j++) store<f64>(at(rk, j), load<f64>(at(rk, j)) * inv);
    store<f64>(at(e, k), beta);
    store<f64>(at(tau, k), t);
    const v = at(rk, k + 1);
    store<f64>(v, 1);
    // p = τ B v over the trailing upper-stored block: each b_ij (j ≥ i) feeds p_i and p_j
    for (let i = 0; i < len; i++) store<f64>(at(p, i), 0);
    for (let i = 0; i < len; i++) {
      const bi = at(u + <usize>(k + 1 + i) * su, k + 1);
      const vi = load<f64>(at(v, i));
      const vvi = f64x2.splat(vi);
      let acc = f64x2.splat(0);
      let j = i + 1;
      for (; j + 1 < len; j += 2) {
        const b = v128.load(at(bi, j));
        acc = f64x2.add(acc, f64x2.mul(b, v128.load(at(v, j))));
        v128.store(at(p, j), f64x2.add(v128.load(at(p, j)), f64x2.mul(b, vvi)));
      }
      let s = load<f64>(at(bi, i)) * vi + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (j < len) {
        const b = load<f64>(at(bi, j));
        s += b * load<f64>(at(v, j));
        store<f64>(at(p, j), load<f64>(at(p, j)) + b * vi);
      }
      store<f64>(at(p, i), load<f64>(at(p, i)) + s);
    }
    let pv: f64 = 0;
    for (let i = 0; i < len; i++) {
      const pi = load<f64>(at(p, i)) * t;
      store<f64>(at(p, i), pi);
      pv += pi * load<f64>(at(v, i));
    }
    axpyRow(-0.5 * t * pv, v, p, len); // w = p − (τ/2)(pᵀv) v
    for (let i = 0; i < len; i++) {
      const bi = at(u + <usize>(k + 1 + i) * su, k + 1);
      const vi = load<f64>(at(v, i)), wi = load<f64>(at(p, i));
      subTwoRows(vi, at(p, i), wi, at(v, i), at(bi, i), len - i); // B[i][i..] −= vᵢ·w[i..] + wᵢ·v[i..]
    }
    store<f64>(v, alpha);
  }
  store<f64>(at(d, n - 1), load<f64>(at(u + <usize>(n - 1) * su, n - 1)));
  store<f64>(at(e, n - 1), 0);
}

/** Qᵀ = H_{n−2} ⋯ H_0 into z (rows), accumulated last reflector first. */
function formQt(n: i32, u: usize, tau: usize, z: usize): void {
  const su = <usize>n << 3;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) store<f64>(z + <usize>i * su + (<usize>j << 3), i == j ? 1.0 : 0.0);
  for (let k = n - 2; k >= 0; k--) {
    const t = load<f64>(at(tau, k));
    if (t == 0) continue;
    const c0 = k + 1, len = n - c0;
    const v1 = at(u + <usize>k * su, k + 2); // v[1..]; v[0] = 1 is implicit
    for (let r = k + 1; r < n; r++) {
      const zr = at(z + <usize>r * su, c0);
      const s = (load<f64>(zr) + dotRows(zr + 8, v1, len - 1)) * t;
      store<f64>(zr, load<f64>(zr) - s);
      axpyRow(-s, v1, zr + 8, len - 1);
    }
  }
}

/** Implicit QL on (d, e) (EISPACK tql2), rotations applied to rows of z when z ≠ 0. */
function ql(n: i32, d: usize, e: usize, z: usize): i32 {
  const su = <usize>n << 3;
  let f: f64 = 0, tst1: f64 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = max(tst1, Math.abs(load<f64>(at(d, l))) + Math.abs(load<f64>(at(e, l))));
    let m = l;
    while (m < n - 1 && Math.abs(load<f64>(at(e, m))) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITERATIONS) return l;
        let g = load<f64>(at(d, l));
        const el = load<f64>(at(e, l));
        let p = (load<f64>(at(d, l + 1)) - g) / (2 * el);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        store<f64>(at(d, l), el / (p + r));
        store<f64>(at(d, l + 1), el * (p + r));
        const dl1 = load<f64>(at(d, l + 1));
        let h = g - load<f64>(at(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(at(d, i), load<f64>(at(d, i)) - h);
        f += h;
        p = load<f64>(at(d, m));
        let c: f64 = 1, c2: f64 = 1, c3: f64 = 1, s: f64 = 0, s2: f64 = 0;
        const el1 = load<f64>(at(e, l + 1));
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(at(e, i));
          g = c * ei;
          h = c * p;
          r = Math.hypot(p, ei);
          store<f64>(at(e, i + 1), s * r);
          s = ei / r;
          c = p / r;
          const di = load<f64>(at(d, i));
          p = c * di - s * g;
          store<f64>(at(d, i + 1), h + s * (c * g + s * di));
          if (z != 0) rotateRows(z + <usize>i * su, z + <usize>(i + 1) * su, n, c, s);
        }
        p = (-s * s2 * c3 * el1 * load<f64>(at(e, l))) / dl1;
        store<f64>(at(e, l), s * p);
        store<f64>(at(d, l), c * p);
      } while (Math.abs(load<f64>(at(e, l))) > EPS * tst1);
    }
    store<f64>(at(d, l), load<f64>(at(d, l)) + f);
    store<f64>(at(e, l), 0);
  }
  return -1;
}
