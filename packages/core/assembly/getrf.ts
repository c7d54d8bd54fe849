// LU factorisation with partial pivoting of an m×n matrix, P·A = L·U (unit lower L below the diagonal, U on and
// above), in place, and the solves built on it.
//
// Right-looking, blocked by NB columns: factor the panel A[k0:m, k0:k1] column by column (largest |pivot|, the first
// one on ties; whole rows are swapped, as LAPACK's laswp does over the full width), then U12 = L11⁻¹·A12 (trsm) and
// A22 −= L21·U12 (gemm). The same pivots as the unblocked algorithm in exact arithmetic. A column whose candidates
// are all zero has nothing to eliminate: the first one is returned (LAPACK's info) and the factorisation goes on.
import { gemm } from './gemm';
import { trsm } from './trsm';

const NB: i32 = 32;

/**
 * `perm` (m i32 at byte pointer `perm`) receives, for every row i of the factors, the row of A that ended up there.
 * @returns −1, or the first column whose pivot is exactly zero (the factorisation is complete either way).
 */
export function getrf(m: i32, n: i32, a: usize, lda: i32, perm: usize): i32 {
  for (let i = 0; i < m; i++) store<i32>(perm + (<usize>i << 2), i);
  const steps = min(m, n);
  let info: i32 = -1;
  for (let k0 = 0; k0 < steps; k0 += NB) {
    const k1 = min(steps, k0 + NB);
    for (let k = k0; k < k1; k++) {
      let p = k;
      let best = Math.abs(load<f64>(a + ((<usize>k * lda + k) << 3)));
      for (let i = k + 1; i < m; i++) {
        const v = Math.abs(load<f64>(a + ((<usize>i * lda + k) << 3)));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (best == 0) {
        if (info < 0) info = k;
        continue;
      }
      const rk = a + (<usize>k * lda << 3);
      if (p != k) {
        const rp = a + (<usize>p * lda << 3);
        let j = 0;
        for (; j + 1 < n; j += 2) {
          const o = <usize>j << 3;
          const t = v128.load(rk + o);
          v128.store(rk + o, v128.load(rp + o));
          v128.store(rp + o, t);
        }
        if (j < n) {
          const o = <usize>j << 3;
          const t = load<f64>(rk + o);
          store<f64>(rk + o, load<f64>(rp + o));
          store<f64>(rp + o, t);
        }
        const pk = perm + (<usize>k << 2), pp = perm + (<usize>p << 2);
        const tp = load<i32>(pk);
        store<i32>(pk, load<i32>(pp));
        store<i32>(pp, tp);
      }
      const piv = load<f64>(rk + (<usize>k << 3));
      // rank-1 update of the panel only (columns k+1..k1−1); the trailing columns get it through trsm + gemm
      for (let i = k + 1; i < m; i++) {
        const ri = a + (<usize>i * lda << 3);
        const c = load<f64>(ri + (<usize>k << 3)) / piv;
        store<f64>(ri + (<usize>k << 3), c);
        for (let j = k + 1; j < k1; j++) store<f64>(ri + (<usize>j << 3), load<f64>(ri + (<usize>j << 3)) - c * load<f64>(rk + (<usize>j << 3)));
      }
    }
    if (k1 < n) {
      const a11 = a + ((<usize>k0 * lda + k0) << 3);
      const a12 = a + ((<usize>k0 * lda + k1) << 3);
      trsm(false, true, false, true, k1 - k0, n - k1, a11, lda, a12, lda);
      if (k1 < m) {
        const a21 = a + ((<usize>k1 * lda + k0) << 3), a22 = a + ((<usize>k1 * lda + k1) << 3);
        gemm(false, false, m - k1, n - k1, k1 - k0, -1.0, a21, lda, a12, lda, 1.0, a22, lda);
      }
    }
  }
  return info;
}

/**
 * From the n×n factors of {@link getrf}: X (n×m) ← U⁻¹·L⁻¹·X, X already holding the rows of B permuted by `perm`;
 * or with `trans`, X ← L⁻ᵀ·U⁻ᵀ·X (the caller scatters the rows back by `perm`).
 */
export function getrs(trans: bool, n: i32, m: i32, lu: usize, ldlu: i32, x: usize, ldx: i32): void {
  if (trans) {
    trsm(false, false, true, false, n, m, lu, ldlu, x, ldx);
    trsm(false, true, true, true, n, m, lu, ldlu, x, ldx);
    return;
  }
  trsm(false, true, false, true, n, m, lu, ldlu, x, ldx);
  trsm(false, false, false, false, n, m, lu, ldlu, x, ldx);
}
