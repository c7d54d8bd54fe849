// Cholesky factorisation A = L·Lᵀ in place (lower; row-major; the strict upper triangle is scratch and must not be
// read back). Recursive (Gustavson / Toledo): factor A11, L21 = A21·L11⁻ᵀ (trsm), A22 −= L21·L21ᵀ (syrk), factor
// A22 — so almost all of the n³/3 flops run in the packed gemm. Below NB the row-oriented Crout kernel finishes.
import { gemm } from './gemm';
import { trsm } from './trsm';

const NB: i32 = 32;

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

/** C ← C − A·Aᵀ on (at least) the lower triangle of the s×s C, A s×k; diagonal tiles are done whole by gemm. */
export function syrkLower(s: i32, k: i32, a: usize, lda: i32, c: usize, ldc: i32): void {
  if (s <= 64) {
    gemm(false, true, s, s, k, -1.0, a, lda, a, lda, 1.0, c, ldc);
    return;
  }
  const s1 = ((s >> 1) + 3) & ~3, s2 = s - s1;
  const a2 = a + (<usize>s1 * lda << 3);
  syrkLower(s1, k, a, lda, c, ldc);
  gemm(false, true, s2, s1, k, -1.0, a2, lda, a, lda, 1.0, c + (<usize>s1 * ldc << 3), ldc);
  syrkLower(s2, k, a2, lda, c + ((<usize>s1 * ldc + s1) << 3), ldc);
}

/** Row-oriented Cholesky–Crout: L[i][j] = (A[i][j] − L[i][0:j]·L[j][0:j]) / L[j][j], dot products in f64x2. */
function potrfCrout(n: i32, a: usize, lda: i32): i32 {
  for (let i = 0; i < n; i++) {
    const ri = a + (<usize>i * lda << 3);
    for (let j = 0; j < i; j++) {
      const rj = a + (<usize>j * lda << 3);
      store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
    }
    const d = load<f64>(ri + (<usize>i << 3)) - dot(ri, ri, i);
    if (!(d > 0)) {
      store<f64>(ri + (<usize>i << 3), d);
      return i;
    }
    store<f64>(ri + (<usize>i << 3), Math.sqrt(d));
  }
  return -1;
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
