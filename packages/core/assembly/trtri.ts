// Triangular inverse in place and the inverse of a matrix from its Cholesky factor.
import { gemm } from './gemm';
import { trsm } from './trsm';

const NB: i32 = 32;

/**
 * T ← T⁻¹ for the n×n triangle of T (`lower` or upper; `unit` diagonal taken as 1 and left alone); the other triangle
 * is not touched. Recursive: for lower, [T11 0; T21 T22]⁻¹ has T21 ← −T22⁻¹·T21·T11⁻¹ — two triangular solves
 * against the original blocks (so n³/3 flops in total, all in trsm/gemm) — then both diagonal blocks are inverted.
 * The diagonal must be nonzero (checked by the caller).
 */
export function trtri(lower: bool, unit: bool, n: i32, a: usize, lda: i32): void {
  if (n <= NB) {
    trtriBase(lower, unit, n, a, lda);
    return;
  }
  const n1 = ((n >> 1) + 3) & ~3, n2 = n - n1;
  const a22 = a + ((<usize>n1 * lda + n1) << 3);
  // off-diagonal block: T21 (n2×n1, lower) or T12 (n1×n2, upper)
  const off = lower ? a + (<usize>n1 * lda << 3) : a + (<usize>n1 << 3);
  const r = lower ? n2 : n1, c = lower ? n1 : n2;
  // lower: T21 ← T21·T11⁻¹, then T21 ← −T22⁻¹·T21; upper: T12 ← T11⁻¹·T12, then T12 ← −T12·T22⁻¹
  trsm(lower, lower, false, unit, r, c, a, lda, off, lda);
  trsm(!lower, lower, false, unit, r, c, a22, lda, off, lda);
  for (let i = 0; i < r; i++) {
    const row = off + (<usize>i * lda << 3);
    for (let j = 0; j < c; j++) store<f64>(row + (<usize>j << 3), -load<f64>(row + (<usize>j << 3)));
  }
  trtri(lower, unit, n1, a, lda);
  trtri(lower, unit, n2, a22, lda);
}

/** Column-by-column inverse of a small triangle: column j of T⁻¹ by substitution, written over T in place. */
function trtriBase(lower: bool, unit: bool, n: i32, a: usize, lda: i32): void {
  // Lower, rows top-down: M[i][j] = −(Σ_{j≤k<i} T[i][k]·M[k][j]) / T[i][i] (rows < i already hold M). Within row i,
  // j ascends: entry j is overwritten only after its last read (later j read T[i][k] for k > j only).
  if (lower) {
    for (let i = 0; i < n; i++) {
      const ri = a + (<usize>i * lda << 3);
      const dii = unit ? 1.0 : load<f64>(ri + (<usize>i << 3));
      for (let j = 0; j < i; j++) {
        let s = 0.0;
        for (let k = j; k < i; k++) {
          const tik = load<f64>(ri + (<usize>k << 3));
          const mkj = k == j ? (unit ? 1.0 : load<f64>(a + ((<usize>k * lda + k) << 3))) : load<f64>(a + ((<usize>k * lda + j) << 3));
          s += tik * mkj;
        }
        store<f64>(ri + (<usize>j << 3), -s / dii);
      }
      if (!unit) store<f64>(ri + (<usize>i << 3), 1.0 / dii);
    }
  } else {
    // upper: mirror of the lower case, rows bottom-up
    for (let i = n - 1; i >= 0; i--) {
      const ri = a + (<usize>i * lda << 3);
      const dii = unit ? 1.0 : load<f64>(ri + (<usize>i << 3));
      for (let j = n - 1; j > i; j--) {
        let s = 0.0;
        for (let k = i + 1; k <= j; k++) {
          const tik = load<f64>(ri + (<usize>k << 3));
          const mkj = k == j ? (unit ? 1.0 : load<f64>(a + ((<usize>k * lda + k) << 3))) : load<f64>(a + ((<usize>k * lda + j) << 3));
          s += tik * mkj;
        }
        store<f64>(ri + (<usize>j << 3), -s / dii);
      }
      if (!unit) store<f64>(ri + (<usize>i << 3), 1.0 / dii);
    }
  }
}

/**
 * C ← (L·Lᵀ)⁻¹ (full, exactly symmetric; n×n at c) from the lower factor at `l`, which is overwritten with L⁻¹
 * (its strict upper triangle is set to zero). Y = Mᵀ·M with M = L⁻¹ lower, by 64×64 tiles of the lower triangle:
 * Y_IJ = Σ_{K ≥ I} M_KIᵀ·M_KJ, one gemm per tile over the rows where M is nonzero (n³/3 flops), then mirrored.
 */
export function potri(n: i32, l: usize, ldl: i32, c: usize, ldc: i32): void {
  trtri(true, false, n, l, ldl);
  for (let i = 0; i < n; i++) {
    const row = l + (<usize>i * ldl << 3);
    if (i + 1 < n) memory.fill(row + (<usize>(i + 1) << 3), 0, <usize>(n - i - 1) << 3);
  }
  const T: i32 = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    const ib = min(T, n - i0);
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const jb = min(T, n - j0);
      const mi = l + ((<usize>i0 * ldl + i0) << 3), mj = l + ((<usize>i0 * ldl + j0) << 3);
      gemm(true, false, ib, jb, n - i0, 1.0, mi, ldl, mj, ldl, 0.0, c + ((<usize>i0 * ldc + j0) << 3), ldc);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) store<f64>(c + ((<usize>j * ldc + i) << 3), load<f64>(c + ((<usize>i * ldc + j) << 3)));
  }
}
