// C ← α·op(A)·op(B) + β·C on row-major matrices (pointers in bytes, leading dimensions in elements).
//
// GotoBLAS structure: op(B) is packed in KC×NC panels of 4-column micro-panels, op(A) in MC×KC blocks of 4-row
// micro-panels (both zero-padded to a multiple of 4), so the micro-kernel reads both operands contiguously whatever
// the transposes; a 4×4 block of C lives in eight f64x2 registers for the whole pass over KC. The B micro-panel
// (KC·4 doubles = 8 KiB) stays in L1 while the A block (MC·KC doubles = 128 KiB) streams from L2.
// Padding rows and columns only produce results that are thrown away, and no product is skipped: 0·NaN stays NaN.
import { alloc, release } from './arena';

const MR: i32 = 4;
const NR: i32 = 4;
const MC: i32 = 64;
const KC: i32 = 256;
const NC: i32 = 1024;

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
): void {
  gemmEx(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, false);
}

/**
 * {@link gemm}; with `lowerOnly` (square C, β = 1) the 4×4 micro-tiles of C that lie entirely above the diagonal are
 * skipped, so a symmetric rank-k update of the lower triangle (syrk) is one packed pass with only the tiles on the
 * diagonal computed in full.
 */
export function gemmEx(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, lowerOnly: bool,
): void {
  if (m <= 0 || n <= 0) return;
  if (beta != 1.0) scale(m, n, beta, c, ldc);
  if (k <= 0) return;
  const mark = alloc(<usize>(MC + MR) * KC * 8);
  const ap = mark;
  const bp = alloc(<usize>(NC + NR) * KC * 8);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        // lowerOnly: rows ic..ic+mc−1 need no column beyond ic+mc−1
        if (lowerOnly && jc > ic + mc - 1) continue;
        packA(transA, a, lda, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = bp + (<usize>jr * kc << 3);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (lowerOnly && jc + jr > ic + ir + mr - 1) continue;
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 3);
            const apanel = ap + (<usize>ir * kc << 3);
            if (mr == MR && nr == NR) kernel4x4(kc, apanel, bpanel, alpha, cp, ldc);
            else kernelEdge(kc, apanel, bpanel, alpha, cp, ldc, mr, nr);
          }
        }
      }
    }
  }
  release(mark);
}

/** C ← β·C (β = 0 writes zeros without reading C, as BLAS does). */
function scale(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>i * ldc << 3);
    if (beta == 0.0) memory.fill(row, 0, <usize>n << 3);
    else for (let j = 0; j < n; j++) store<f64>(row + (<usize>j << 3), beta * load<f64>(row + (<usize>j << 3)));
  }
}

/** op(A)[ic : ic+mc, pc : pc+kc] into 4-row micro-panels: panel r holds rows 4r..4r+3 k-major (4 doubles per k). */
function packA(trans: bool, a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + (<usize>ir * kc << 3);
    if (!trans) {
      // rows of A are contiguous in k: gather four of them
      if (mr == MR) {
        const r0 = a + ((<usize>(ic + ir) * lda + pc) << 3), st = <usize>lda << 3;
        for (let p = 0; p < kc; p++) {
          const q = panel + (<usize>p << 5), o = <usize>p << 3;
          store<f64>(q, load<f64>(r0 + o));
          store<f64>(q, load<f64>(r0 + st + o), 8);
          store<f64>(q, load<f64>(r0 + 2 * st + o), 16);
          store<f64>(q, load<f64>(r0 + 3 * st + o), 24);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const q = panel + (<usize>p << 5);
          for (let r = 0; r < MR; r++) {
            const v = r < mr ? load<f64>(a + ((<usize>(ic + ir + r) * lda + pc + p) << 3)) : 0.0;
            store<f64>(q + (<usize>r << 3), v);
          }
        }
      }
    } else {
      // op(A)[i][p] = A[p][i]: four consecutive i are contiguous in a row of A
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(pc + p) * lda + ic + ir) << 3), q = panel + (<usize>p << 5);
        if (mr == MR) {
          v128.store(q, v128.load(src));
          v128.store(q, v128.load(src, 16), 16);
        } else {
          for (let r = 0; r < MR; r++) store<f64>(q + (<usize>r << 3), r < mr ? load<f64>(src + (<usize>r << 3)) : 0.0);
        }
      }
    }
  }
}

/** op(B)[pc : pc+kc, jc : jc+nc] into 4-column micro-panels, k-major (4 doubles per k). */
function packB(trans: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = dst + (<usize>jr * kc << 3);
    if (!trans) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(pc + p) * ldb + jc + jr) << 3), q = panel + (<usize>p << 5);
        if (nr == NR) {
          v128.store(q, v128.load(src));
          v128.store(q, v128.load(src, 16), 16);
        } else {
          for (let r = 0; r < NR; r++) store<f64>(q + (<usize>r << 3), r < nr ? load<f64>(src + (<usize>r << 3)) : 0.0);
        }
      }
    } else {
      // op(B)[p][j] = B[j][p]: gather four rows of B
      if (nr == NR) {
        const r0 = b + ((<usize>(jc + jr) * ldb + pc) << 3), st = <usize>ldb << 3;
        for (let p = 0; p < kc; p++) {
          const q = panel + (<usize>p << 5), o = <usize>p << 3;
          store<f64>(q, load<f64>(r0 + o));
          store<f64>(q, load<f64>(r0 + st + o), 8);
          store<f64>(q, load<f64>(r0 + 2 * st + o), 16);
          store<f64>(q, load<f64>(r0 + 3 * st + o), 24);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const q = panel + (<usize>p << 5);
          for (let r = 0; r < NR; r++) {
            const v = r < nr ? load<f64>(b + ((<usize>(jc + jr + r) * ldb + pc + p) << 3)) : 0.0;
            store<f64>(q + (<usize>r << 3), v);
          }
        }
      }
    }
  }
}

/**
 * C[0:4, 0:4] += α · Apanel · Bpanel over kc: eight f64x2 accumulators, 4 splats and 2 loads feed 8 multiply-adds.
 * The loop runs on the panel pointer itself (no separate counter): 2–8 % faster in interleaved runs at n = 256…512.
 */
// @ts-ignore: decorator
@inline
function kernel4x4(kc: i32, ap: usize, bp: usize, alpha: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const end = ap + (<usize>kc << 5);
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    ap += 32;
    bp += 32;
  }
  const al = f64x2.splat(alpha), st = <usize>ldc << 3;
  let r = c;
  v128.store(r, f64x2.add(v128.load(r), f64x2.mul(al, c00)));
  v128.store(r, f64x2.add(v128.load(r, 16), f64x2.mul(al, c01)), 16);
  r += st;
  v128.store(r, f64x2.add(v128.load(r), f64x2.mul(al, c10)));
  v128.store(r, f64x2.add(v128.load(r, 16), f64x2.mul(al, c11)), 16);
  r += st;
  v128.store(r, f64x2.add(v128.load(r), f64x2.mul(al, c20)));
  v128.store(r, f64x2.add(v128.load(r, 16), f64x2.mul(al, c21)), 16);
  r += st;
  v128.store(r, f64x2.add(v128.load(r), f64x2.mul(al, c30)));
  v128.store(r, f64x2.add(v128.load(r, 16), f64x2.mul(al, c31)), 16);
}

/** A partial block at the right or bottom edge: the same sums, stored element by element inside the bounds. */
function kernelEdge(kc: i32, ap: usize, bp: usize, alpha: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const end = ap + (<usize>kc << 5);
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    ap += 32;
    bp += 32;
  }
  // spill the block to scratch once (a few dozen bytes) so the bounded store is a plain loop
  const t = alloc(128);
  v128.store(t, c00); v128.store(t, c01, 16); v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80); v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + (<usize>i * ldc << 3), src = t + (<usize>i << 5);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + alpha * load<f64>(src + (<usize>j << 3)));
    }
  }
  release(t);
}
