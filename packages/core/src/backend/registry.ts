/**
 * The registration point of the dense kernels: one row per kernel with its JavaScript and WebAssembly
 * implementations and the size from which `auto` prefers WebAssembly. Adding a kernel (see docs/ARCHITECTURE.md):
 * declare it in `kernels.ts`, write `js/<name>.ts`, `assembly/<name>.ts` (exported from `assembly/index.ts`) and
 * `wasm/<name>.ts`, add its row here.
 *
 * Crossovers: measured with `pnpm bench linalg` (packages/core/bench/linalg.bench.ts, "crossover" section) on an AMD
 * EPYC (Zen 3), Node 20: the size where the WebAssembly path, copies into and out of linear memory included, first
 * beats the JavaScript kernel (the table below).
 * @module
 */
import { gemm as jsGemm } from './js/gemm.js';
import { getc2 as jsGetc2 } from './js/getc2.js';
import { geqrf as jsGeqrf } from './js/geqrf.js';
import { gesvj as jsGesvj } from './js/gesvj.js';
import { getrf as jsGetrf } from './js/getrf.js';
import { getrs as jsGetrs } from './js/getrs.js';
import { orgqr as jsOrgqr } from './js/orgqr.js';
import { potrf as jsPotrf } from './js/potrf.js';
import { potri as jsPotri } from './js/potri.js';
import { syev as jsSyev } from './js/syev.js';
import { trmm as jsTrmm } from './js/trmm.js';
import { trsm as jsTrsm } from './js/trsm.js';
import { trtri as jsTrtri } from './js/trtri.js';
import type { DenseKernels, KernelName } from './kernels.js';
import { gemm as wasmGemm } from './wasm/gemm.js';
import { geqrf as wasmGeqrf } from './wasm/geqrf.js';
import { gesvj as wasmGesvj } from './wasm/gesvj.js';
import { getrf as wasmGetrf } from './wasm/getrf.js';
import { getrs as wasmGetrs } from './wasm/getrs.js';
import { orgqr as wasmOrgqr } from './wasm/orgqr.js';
import { potrf as wasmPotrf } from './wasm/potrf.js';
import { potri as wasmPotri } from './wasm/potri.js';
import { syev as wasmSyev } from './wasm/syev.js';
import { trmm as wasmTrmm } from './wasm/trmm.js';
import { trsm as wasmTrsm } from './wasm/trsm.js';
import { WasmMemoryExhausted } from './wasm/instance.js';
import { trtri as wasmTrtri } from './wasm/trtri.js';

/** One kernel: both implementations, and whether `auto` should take WebAssembly for a call with these arguments. */
export interface KernelEntry<K extends KernelName> {
  readonly js: DenseKernels[K];
  readonly wasm: DenseKernels[K];
  readonly preferWasm: (...args: Parameters<DenseKernels[K]>) => boolean;
}

// JS time / wasm time on n×n operands (n right-hand sides), median of 3, Zen 3, Node 20, with other work on the machine:
//   n      8     12    16    24    32    48    64    96
//   gemm  0.90  0.98  2.18  2.15  6.29  3.92  2.62  6.05
//   trsm  1.08  1.64  3.10  2.66  4.37  3.81  5.67  6.10
//   potrf 0.58  0.67  0.95  1.24  1.02  1.59  3.32  2.12
//   potri 0.57  0.81  1.05  1.31  1.99  1.28  1.72  2.07
//   getrf      2.33  1.97  2.27  2.78  4.39  3.10  5.13     (n = 12 up)
//   trtri 0.75  0.57  1.06  1.27  2.48  4.36  3.34  4.31

/** Smallest m·n·k for which gemm goes to WebAssembly (16³: wasm 2.2× faster at n = 16, 0.98× at 12). */
export const GEMM_MIN_VOLUME = 16 * 16 * 16;
/**
 * And at least this many rows and columns of C: a matrix-vector product moves as many numbers into WebAssembly memory
 * as it multiplies, and the JavaScript kernel's vector paths win (JS/wasm time 0.50× at 1000×1×10, 0.71–0.77× at
 * 1000×2×10, 0.97× at 1×1000×10; 1.5× at 1000×4×10).
 */
export const GEMM_MIN_SIDE = 3;
/**
 * Smallest (order of A)²·(right-hand sides) for which trsm and getrs go to WebAssembly (12³: 1.6× at n = 12). getrs
 * re-measured with its transposed solve (n = 4 … 64, 1 or n right-hand sides, loaded machine): ≥ 1.2× in both
 * orientations wherever this rule picks WebAssembly, 0.5–1.4× below it.
 */
export const TRSM_MIN_VOLUME = 12 * 12 * 12;
/** Smallest order for which potrf goes to WebAssembly (1.24× at 24, 0.95× at 16). */
export const POTRF_MIN_ORDER = 24;
/** Smallest order for which potri and trtri go to WebAssembly (≈ 1.05× at 16, 0.81× at 12). */
export const INVERSE_MIN_ORDER = 16;
/** Smallest order for which getrf goes to WebAssembly (2.3× at 12). */
export const GETRF_MIN_ORDER = 12;

// The decompositions (`pnpm bench decompositions`, crossover section; same machine, heavily loaded, so noisy):
//   n      2     3     4     6     8     12    16    24    32
//   syev  0.79  0.82  1.62  4.85  2.64  2.09  3.30  3.13  4.11
//   geqrf 0.22  0.73  0.39  1.14  2.08  3.49  4.71  3.81  5.10
//   orgqr 0.23  0.68  0.48  0.68  1.09  1.84  3.71  7.76  5.40
//   gesvj 0.35  1.46  4.63  2.98  1.92  2.16  2.62  3.00  2.92

/** Smallest order for which syev goes to WebAssembly (1.6× at 4, 0.8× at 3). */
export const SYEV_MIN_ORDER = 4;
/** Smallest m·n·min(m, n) for which geqrf and orgqr go to WebAssembly (8³: 2.1× and 1.1× at n = 8, < 1 at 6). */
export const QR_MIN_VOLUME = 8 * 8 * 8;
/** Smallest r²·c for which gesvj goes to WebAssembly (3³: 1.5× at n = 3, 0.35× at 2). */
export const GESVJ_MIN_VOLUME = 3 * 3 * 3;

/**
 * The WebAssembly kernel, or the JavaScript one when linear memory cannot hold the call (operands past 4 GiB, or an
 * engine that refuses to grow memory: assembly/arena.ts traps with `unreachable`). Either happens before any result
 * is copied back, so the caller's arrays are untouched and the JavaScript kernel starts from the same inputs. Other
 * traps (a bug) propagate.
 */
function orJs<F extends (...args: never[]) => unknown>(wasm: F, js: F): F {
  return ((...args: Parameters<F>) => {
    try {
      return wasm(...args);
    } catch (e) {
      const full = e instanceof WasmMemoryExhausted || (e instanceof WebAssembly.RuntimeError && /unreachable/i.test(e.message));
      if (full) return js(...args);
      throw e;
    }
  }) as F;
}

/** The table. */
export const KERNELS: { readonly [K in KernelName]: KernelEntry<K> } = Object.freeze({
  gemm: {
    js: jsGemm,
    wasm: orJs(wasmGemm, jsGemm),
    preferWasm: (_ta, _tb, m, n, k) => m * n * k >= GEMM_MIN_VOLUME && Math.min(m, n) >= GEMM_MIN_SIDE,
  },
  trsm: {
    js: jsTrsm,
    wasm: orJs(wasmTrsm, jsTrsm),
    preferWasm: (right, _l, _t, _u, m, n) => (right ? n * n * m : m * m * n) >= TRSM_MIN_VOLUME,
  },
  // trsm's crossover, measured for trmm too: JS/wasm 0.67× at n = 8, 1.19× at 12, 1.63× at 16 (n right-hand sides)
  trmm: {
    js: jsTrmm,
    wasm: orJs(wasmTrmm, jsTrmm),
    preferWasm: (right, _l, _t, _u, m, n) => (right ? n * n * m : m * m * n) >= TRSM_MIN_VOLUME,
  },
  potrf: { js: jsPotrf, wasm: orJs(wasmPotrf, jsPotrf), preferWasm: (n) => n >= POTRF_MIN_ORDER },
  trtri: { js: jsTrtri, wasm: orJs(wasmTrtri, jsTrtri), preferWasm: (_l, _u, n) => n >= INVERSE_MIN_ORDER },
  potri: { js: jsPotri, wasm: orJs(wasmPotri, jsPotri), preferWasm: (n) => n >= INVERSE_MIN_ORDER },
  getrf: { js: jsGetrf, wasm: orJs(wasmGetrf, jsGetrf), preferWasm: (m, n) => Math.min(m, n) >= GETRF_MIN_ORDER },
  getrs: { js: jsGetrs, wasm: orJs(wasmGetrs, jsGetrs), preferWasm: (_t, n, m) => n * n * m >= TRSM_MIN_VOLUME },
  // Complete pivoting searches the whole trailing block at every step (n³/3 comparisons, as many as flops) and swaps
  // columns: it cannot be blocked on gemm, so there is no WebAssembly version; it only serves the derivatives of det
  // (the rank-revealing adjugate), never a primal.
  getc2: { js: jsGetc2, wasm: jsGetc2, preferWasm: () => false },
  syev: { js: jsSyev, wasm: orJs(wasmSyev, jsSyev), preferWasm: (_v, n) => n >= SYEV_MIN_ORDER },
  geqrf: { js: jsGeqrf, wasm: orJs(wasmGeqrf, jsGeqrf), preferWasm: (m, n) => m * n * Math.min(m, n) >= QR_MIN_VOLUME },
  orgqr: { js: jsOrgqr, wasm: orJs(wasmOrgqr, jsOrgqr), preferWasm: (m, n) => m * n * n >= QR_MIN_VOLUME },
  gesvj: { js: jsGesvj, wasm: orJs(wasmGesvj, jsGesvj), preferWasm: (_v, r, c) => r * r * c >= GESVJ_MIN_VOLUME },
});
