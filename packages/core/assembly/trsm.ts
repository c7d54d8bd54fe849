// Triangular solves with many right-hand sides, in place: B ← op(T)⁻¹·B (left) or B ← B·op(T)⁻¹ (right).
// Only the `lower` (or upper) triangle of T is read; `unit` takes its diagonal as 1. The diagonal must be nonzero
// (the JavaScript side checks it first, so both backends report the same pivot).
//
// Left side, recursive on the triangle: the diagonal blocks of at most NB rows by substitution (f64x2 over the columns
// of B), everything else in gemm updates (measured 3–6 % faster than NB = 64 blocks by rows at n = 64…512, since the
// substitution's share of the flops falls from 64/n to 16/n). The right side is the left side on Bᵀ
// (X·op(T) = B ⟺ op(T)ᵀ·Xᵀ = Bᵀ), transposed through scratch: O(mn) copies against O(mn²) arithmetic.
import { alloc, release } from './arena';
import { gemm } from './gemm';

const NB: i32 = 16;
const JC: i32 = 64;

export function trsm(
  right: bool, lower: bool, trans: bool, unit: bool, m: i32, n: i32, t: usize, ldt: i32, b: usize, ldb: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (!right) {
    trsmLeft(lower, trans, unit, m, n, t, ldt, b, ldb);
    return;
  }
  const w = alloc(<usize>m * n << 3);
  transposeInto(m, n, b, ldb, w, m);
  trsmLeft(lower, !trans, unit, n, m, t, ldt, w, m);
  transposeInto(n, m, w, m, b, ldb);
  release(w);
}

/** dst (c×r, ld ldd) ← srcᵀ for src r×c (ld lds), in 8×8 tiles so both sides stay in cache. */
export function transposeInto(r: i32, c: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let i0 = 0; i0 < r; i0 += 8) {
    const i1 = min(r, i0 + 8);
    for (let j0 = 0; j0 < c; j0 += 8) {
      const j1 = min(c, j0 + 8);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f64>(dst + ((<usize>j * ldd + i) << 3), load<f64>(src + ((<usize>i * lds + j) << 3)));
        }
      }
    }
  }
}

/**
 * B (n×m) ← op(T)⁻¹ B for n×n T, recursively (as ReLAPACK): solve with one half of the triangle, subtract its
 * contribution from the other half's rows with one gemm, solve with the other half. Half the flops land in a gemm of
 * depth n/2, a quarter in two of depth n/4…; substitution does only the NB-row diagonal blocks (NB/n of the flops).
 */
function trsmLeft(lower: bool, trans: bool, unit: bool, n: i32, m: i32, t: usize, ldt: i32, b: usize, ldb: i32): void {
  const forward = lower != trans; // op(T) is lower triangular
  if (n <= NB) {
    substitute(forward, trans, unit, 0, n, m, t, ldt, b, ldb);
    return;
  }
  const n1 = ((n >> 1) + 3) & ~3, n2 = n - n1;
  const t22 = t + ((<usize>n1 * ldt + n1) << 3), b2 = b + (<usize>n1 * ldb << 3);
  // op(T)[i][k] = T[i][k], or T[k][i] with trans: the off-diagonal block starts at T[n1][0] or T[0][n1]
  const below = t + (<usize>n1 * ldt << 3), right = t + (<usize>n1 << 3);
  if (forward) {
    trsmLeft(lower, trans, unit, n1, m, t, ldt, b, ldb);
    gemm(trans, false, n2, m, n1, -1.0, trans ? right : below, ldt, b, ldb, 1.0, b2, ldb);
    trsmLeft(lower, trans, unit, n2, m, t22, ldt, b2, ldb);
  } else {
    trsmLeft(lower, trans, unit, n2, m, t22, ldt, b2, ldb);
    gemm(trans, false, n1, m, n2, -1.0, trans ? below : right, ldt, b2, ldb, 1.0, b, ldb);
    trsmLeft(lower, trans, unit, n1, m, t, ldt, b, ldb);
  }
}

/**
 * Substitution on rows i0..i1−1 of B against the diagonal block of op(T): X[i] = (B[i] − Σ op(T)[i][k] X[k]) / T[i][i]
 * with k over the block only (the gemm updates took care of the rest). Four rows X[k] per pass over the columns.
 */
function substitute(
  forward: bool, trans: bool, unit: bool, i0: i32, i1: i32, m: i32, t: usize, ldt: i32, b: usize, ldb: i32,
): void {
  // by chunks of JC columns, so the NB rows of the block being solved stay in L1 (NB·JC doubles = 32 KiB)
  for (let j0 = 0; j0 < m; j0 += JC) {
    substituteColumns(forward, trans, unit, i0, i1, min(JC, m - j0), t, ldt, b + (<usize>j0 << 3), ldb);
  }
}

function substituteColumns(
  forward: bool, trans: bool, unit: bool, i0: i32, i1: i32, m: i32, t: usize, ldt: i32, b: usize, ldb: i32,
): void {
  const rs: usize = trans ? 8 : <usize>ldt << 3, cs: usize = trans ? <usize>ldt << 3 : 8;
  const nb = i1 - i0;
  const m2 = m & ~1;
  for (let step = 0; step < nb; step++) {
    const i = forward ? i0 + step : i1 - 1 - step;
    const kLo = forward ? i0 : i + 1, kHi = forward ? i : i1;
    const ti = t + <usize>i * rs;
    const xi = b + (<usize>i * ldb << 3);
    let k = kLo;
    for (; k + 3 < kHi; k += 4) {
      const c0 = f64x2.splat(load<f64>(ti + <usize>k * cs)), c1 = f64x2.splat(load<f64>(ti + <usize>(k + 1) * cs));
      const c2 = f64x2.splat(load<f64>(ti + <usize>(k + 2) * cs)), c3 = f64x2.splat(load<f64>(ti + <usize>(k + 3) * cs));
      const x0 = b + (<usize>k * ldb << 3), st = <usize>ldb << 3;
      const x1 = x0 + st, x2 = x1 + st, x3 = x2 + st;
      let j = 0;
      for (; j < m2; j += 2) {
        const o = <usize>j << 3;
        const s = f64x2.add(
          f64x2.add(f64x2.mul(c0, v128.load(x0 + o)), f64x2.mul(c1, v128.load(x1 + o))),
          f64x2.add(f64x2.mul(c2, v128.load(x2 + o)), f64x2.mul(c3, v128.load(x3 + o))),
        );
        v128.store(xi + o, f64x2.sub(v128.load(xi + o), s));
      }
      if (j < m) {
        const o = <usize>j << 3;
        const s = f64x2.extract_lane(c0, 0) * load<f64>(x0 + o) + f64x2.extract_lane(c1, 0) * load<f64>(x1 + o)
          + (f64x2.extract_lane(c2, 0) * load<f64>(x2 + o) + f64x2.extract_lane(c3, 0) * load<f64>(x3 + o));
        store<f64>(xi + o, load<f64>(xi + o) - s);
      }
    }
    for (; k < kHi; k++) {
      const cv = load<f64>(ti + <usize>k * cs), c = f64x2.splat(cv);
      const xk = b + (<usize>k * ldb << 3);
      let j = 0;
      for (; j < m2; j += 2) {
        const o = <usize>j << 3;
        v128.store(xi + o, f64x2.sub(v128.load(xi + o), f64x2.mul(c, v128.load(xk + o))));
      }
      if (j < m) store<f64>(xi + (<usize>j << 3), load<f64>(xi + (<usize>j << 3)) - cv * load<f64>(xk + (<usize>j << 3)));
    }
    if (unit) continue;
    const dv = load<f64>(t + ((<usize>i * ldt + i) << 3)), d = f64x2.splat(dv);
    let j = 0;
    for (; j < m2; j += 2) {
      const o = <usize>j << 3;
      v128.store(xi + o, f64x2.div(v128.load(xi + o), d));
    }
    if (j < m) store<f64>(xi + (<usize>j << 3), load<f64>(xi + (<usize>j << 3)) / dv);
  }
}
