// Triangular matrix products in place: B ← op(T)·B (left) or B ← B·op(T) (right). Only the `lower` (or upper)
// triangle of T is read; `unit` takes its diagonal as 1.
//
// Left side, recursive on the triangle as trsm is: with op(T) = [T11 0; T21 T22] (lower), B2 ← T22·B2 first, then
// B2 += T21·B1 with one gemm while B1 is still the input, then B1 ← T11·B1 (mirrored for upper), down to diagonal
// blocks of NB rows multiplied row by row in place. The right side is the left side on Bᵀ, transposed through
// scratch as in trsm.
import { alloc, release } from './arena';
import { gemmEx } from './gemm';
import { transposeInto } from './trsm';

const NB: i32 = 16;
const JC: i32 = 64;

export function trmm(
  right: bool, lower: bool, trans: bool, unit: bool, m: i32, n: i32, t: usize, ldt: i32, b: usize, ldb: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (!right) {
    trmmLeft(lower, trans, unit, m, n, t, ldt, b, ldb);
    return;
  }
  const w = alloc(<usize>m * n << 3);
  transposeInto(m, n, b, ldb, w, m);
  trmmLeft(lower, !trans, unit, n, m, t, ldt, w, m);
  transposeInto(n, m, w, m, b, ldb);
  release(w);
}

/** B (n×m) ← op(T)·B for n×n T. */
function trmmLeft(lower: bool, trans: bool, unit: bool, n: i32, m: i32, t: usize, ldt: i32, b: usize, ldb: i32): void {
  const opLower = lower != trans;
  if (n <= NB) {
    for (let j0 = 0; j0 < m; j0 += JC) multiplyRows(opLower, trans, unit, n, min(JC, m - j0), t, ldt, b + (<usize>j0 << 3), ldb);
    return;
  }
  const n1 = ((n >> 1) + 3) & ~3, n2 = n - n1;
  const t22 = t + ((<usize>n1 * ldt + n1) << 3), b2 = b + (<usize>n1 * ldb << 3);
  // op(T)[i][k] = T[i][k], or T[k][i] with trans: the off-diagonal block starts at T[n1][0] or T[0][n1]
  const below = t + (<usize>n1 * ldt << 3), right = t + (<usize>n1 << 3);
  if (opLower) {
    trmmLeft(lower, trans, unit, n2, m, t22, ldt, b2, ldb);
    gemmEx(trans, false, n2, m, n1, 1.0, trans ? right : below, ldt, b, ldb, 1.0, b2, ldb, false);
    trmmLeft(lower, trans, unit, n1, m, t, ldt, b, ldb);
  } else {
    trmmLeft(lower, trans, unit, n1, m, t, ldt, b, ldb);
    gemmEx(trans, false, n1, m, n2, 1.0, trans ? below : right, ldt, b2, ldb, 1.0, b, ldb, false);
    trmmLeft(lower, trans, unit, n2, m, t22, ldt, b2, ldb);
  }
}

/**
 * The n×n diagonal block by rows, in the order that reads each row of B before overwriting it (bottom-up for a
 * lower op(T)): X[i] ← T[i][i]·X[i] + Σ op(T)[i][k]·X[k], f64x2 over the m columns.
 */
function multiplyRows(opLower: bool, trans: bool, unit: bool, n: i32, m: i32, t: usize, ldt: i32, b: usize, ldb: i32): void {
  const rs: usize = trans ? 8 : <usize>ldt << 3, cs: usize = trans ? <usize>ldt << 3 : 8;
  const m2 = m & ~1;
  for (let step = 0; step < n; step++) {
    const i = opLower ? n - 1 - step : step;
    const kLo = opLower ? 0 : i + 1, kHi = opLower ? i : n;
    const ti = t + <usize>i * rs;
    const xi = b + (<usize>i * ldb << 3);
    if (!unit) {
      const dv = load<f64>(t + ((<usize>i * ldt + i) << 3)), d = f64x2.splat(dv);
      let j = 0;
      for (; j < m2; j += 2) {
        const o = <usize>j << 3;
        v128.store(xi + o, f64x2.mul(v128.load(xi + o), d));
      }
      if (j < m) store<f64>(xi + (<usize>j << 3), load<f64>(xi + (<usize>j << 3)) * dv);
    }
    for (let k = kLo; k < kHi; k++) {
      const cv = load<f64>(ti + <usize>k * cs), c = f64x2.splat(cv);
      const xk = b + (<usize>k * ldb << 3);
      let j = 0;
      for (; j < m2; j += 2) {
        const o = <usize>j << 3;
        v128.store(xi + o, f64x2.add(v128.load(xi + o), f64x2.mul(c, v128.load(xk + o))));
      }
      if (j < m) store<f64>(xi + (<usize>j << 3), load<f64>(xi + (<usize>j << 3)) + cv * load<f64>(xk + (<usize>j << 3)));
    }
  }
}
