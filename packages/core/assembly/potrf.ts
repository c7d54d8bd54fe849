// Cholesky factorisation A = L·Lᵀ in place (lower; row-major; the strict upper triangle is scratch and must not be
// read back). Recursive (Gustavson / Toledo): factor A11, L21 = A21·L11⁻ᵀ (trsm), A22 −= L21·L21ᵀ (syrk), factor
// A22 — so almost all of the n³/3 flops run in the packed gemm. Below NB the row-oriented Crout kernel finishes.
import { gemmEx } from './gemm';
import { trsm } from './trsm';

const NB: i32 = 64;

/**
 * @returns −1 on success, otherwise the index of the first pivot that is not strictly positive (or NaN); its value
 * is left at A[i][i].
 */
export function potrf(n: i32, a: usize, lda: i32): i32 {
  if (n <= NB) return potrfCrout(n, a, lda);
  const n1 = ((n >> 1) + 3) & ~3, n2 = n - n1;
  const bad = potrf(n1, a, lda);
  if (bad >= 0) return bad;
  const a21 = a + (<usize>n1 * lda << 3), a22 = a21 + (<usize>n1 << 3);
  trsm(true, true, true, false, n2, n1, a, lda, a21, lda);
  syrkLower(n2, n1, a21, lda, a22, lda);
  const bad2 = potrf(n2, a22, lda);
  return bad2 >= 0 ? n1 + bad2 : -1;
}

/**
 * C ← C − A·Aᵀ on (at least) the lower triangle of the s×s C, A s×k: one packed gemm that skips the micro-tiles
 * above the diagonal (the strict upper triangle of C is scratch here).
 */
export function syrkLower(s: i32, k: i32, a: usize, lda: i32, c: usize, ldc: i32): void {
  gemmEx(false, true, s, s, k, -1.0, a, lda, a, lda, 1.0, c, ldc, true);
}

/**
 * Row-oriented Cholesky–Crout: L[i][j] = (A[i][j] − L[i][0:j]·L[j][0:j]) / L[j][j], every inner loop a dot product of
 * two contiguous row prefixes. Four rows i..i+3 against two rows j, j+1 share one pass over k in f64x2 (six loads
 * feed eight multiply-adds of two lanes), then the 4×4 diagonal block is finished row by row.
 */
function potrfCrout(n: i32, a: usize, lda: i32): i32 {
  const st = <usize>lda << 3;
  for (let i0 = 0; i0 < n; i0 += 4) {
    const i1 = min(n, i0 + 4);
    if (i1 - i0 == 4) {
      const r0 = a + <usize>i0 * st, r1 = r0 + st, r2 = r1 + st, r3 = r2 + st;
      for (let j = 0; j < i0; j += 2) {
        const q0 = a + <usize>j * st, q1 = q0 + st;
        let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
        let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
        let k = 0;
        for (; k + 1 < j; k += 2) {
          const o = <usize>k << 3;
          const y0 = v128.load(q0 + o), y1 = v128.load(q1 + o);
          let x = v128.load(r0 + o);
          s00 = f64x2.add(s00, f64x2.mul(x, y0));
          s01 = f64x2.add(s01, f64x2.mul(x, y1));
          x = v128.load(r1 + o);
          s10 = f64x2.add(s10, f64x2.mul(x, y0));
          s11 = f64x2.add(s11, f64x2.mul(x, y1));
          x = v128.load(r2 + o);
          s20 = f64x2.add(s20, f64x2.mul(x, y0));
          s21 = f64x2.add(s21, f64x2.mul(x, y1));
          x = v128.load(r3 + o);
          s30 = f64x2.add(s30, f64x2.mul(x, y0));
          s31 = f64x2.add(s31, f64x2.mul(x, y1));
        }
        // j is even, so k == j here: no scalar tail
        const d0 = load<f64>(q0 + (<usize>j << 3)), c = load<f64>(q1 + (<usize>j << 3)), d1 = load<f64>(q1 + (<usize>(j + 1) << 3));
        finishPair(r0, j, hsum(s00), hsum(s01), d0, c, d1);
        finishPair(r1, j, hsum(s10), hsum(s11), d0, c, d1);
        finishPair(r2, j, hsum(s20), hsum(s21), d0, c, d1);
        finishPair(r3, j, hsum(s30), hsum(s31), d0, c, d1);
      }
    } else {
      // last (partial) block of rows: plain dot products
      for (let i = i0; i < i1; i++) {
        const ri = a + <usize>i * st;
        for (let j = 0; j < i0; j++) {
          const rj = a + <usize>j * st;
          store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
        }
      }
    }
    // diagonal block: columns i0..i of rows i0..i1−1
    for (let i = i0; i < i1; i++) {
      const ri = a + <usize>i * st;
      for (let j = i0; j < i; j++) {
        const rj = a + <usize>j * st;
        store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
      }
      const d = load<f64>(ri + (<usize>i << 3)) - dot(ri, ri, i);
      if (!(d > 0)) {
        store<f64>(ri + (<usize>i << 3), d);
        return i;
      }
      store<f64>(ri + (<usize>i << 3), Math.sqrt(d));
    }
  }
  return -1;
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Row r, columns j and j+1, given its dot products with rows j and j+1 (c = L[j+1][j]). */
// @ts-ignore: decorator
@inline
function finishPair(r: usize, j: i32, s0: f64, s1: f64, d0: f64, c: f64, d1: f64): void {
  const p = r + (<usize>j << 3);
  const v = (load<f64>(p) - s0) / d0;
  store<f64>(p, v);
  store<f64>(p + 8, (load<f64>(p + 8) - s1 - v * c) / d1);
}

/** x[0:len] · y[0:len]. */
export function dot(x: usize, y: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let k = 0;
  for (; k + 3 < len; k += 4) {
    const o = <usize>k << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; k < len; k++) s += load<f64>(x + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return s;
}
