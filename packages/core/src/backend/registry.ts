/**
 * The registration point of the dense kernels: one row per kernel with its JavaScript and WebAssembly
 * implementations and the size from which `auto` prefers WebAssembly. Adding a kernel (see docs/ARCHITECTURE.md):
 * declare it in `kernels.ts`, write `js/<name>.ts`, `assembly/<name>.ts` (exported from `assembly/index.ts`) and
 * `wasm/<name>.ts`, add its row here.
 *
 * Crossovers: measured with `pnpm bench linalg` (packages/core/bench/linalg.bench.ts, "crossover" section) on an AMD
 * EPYC (Zen 3), Node 20: the size where the WebAssembly path, copies into and out of linear memory included, first
 * beats the JavaScript kernel. The numbers next to each row are from that run (JS time / wasm time).
 * @module
 */
import { gemm as jsGemm } from './js/gemm.js';
import { getrf as jsGetrf } from './js/getrf.js';
import { getrs as jsGetrs } from './js/getrs.js';
import { potrf as jsPotrf } from './js/potrf.js';
import { potri as jsPotri } from './js/potri.js';
import { trsm as jsTrsm } from './js/trsm.js';
import { trtri as jsTrtri } from './js/trtri.js';
import type { DenseKernels, KernelName } from './kernels.js';
import { gemm as wasmGemm } from './wasm/gemm.js';
import { getrf as wasmGetrf } from './wasm/getrf.js';
import { getrs as wasmGetrs } from './wasm/getrs.js';
import { potrf as wasmPotrf } from './wasm/potrf.js';
import { potri as wasmPotri } from './wasm/potri.js';
import { trsm as wasmTrsm } from './wasm/trsm.js';
import { trtri as wasmTrtri } from './wasm/trtri.js';

/** One kernel: both implementations, and whether `auto` should take WebAssembly for a call with these arguments. */
export interface KernelEntry<K extends KernelName> {
  readonly js: DenseKernels[K];
  readonly wasm: DenseKernels[K];
  readonly preferWasm: (...args: Parameters<DenseKernels[K]>) => boolean;
}

/** Smallest m·n·k for which gemm goes to WebAssembly. */
export const GEMM_MIN_VOLUME = 16 * 16 * 16;
/** Smallest (order of A)²·(right-hand sides) for which trsm goes to WebAssembly. */
export const TRSM_MIN_VOLUME = 16 * 16 * 16;
/** Smallest order for which the factorisations and inverses go to WebAssembly. */
export const FACTOR_MIN_ORDER = 16;

/** The table. */
export const KERNELS: { readonly [K in KernelName]: KernelEntry<K> } = Object.freeze({
  gemm: { js: jsGemm, wasm: wasmGemm, preferWasm: (_ta, _tb, m, n, k) => m * n * k >= GEMM_MIN_VOLUME },
  trsm: {
    js: jsTrsm,
    wasm: wasmTrsm,
    preferWasm: (right, _l, _t, _u, m, n) => (right ? n * n * m : m * m * n) >= TRSM_MIN_VOLUME,
  },
  potrf: { js: jsPotrf, wasm: wasmPotrf, preferWasm: (n) => n >= FACTOR_MIN_ORDER },
  trtri: { js: jsTrtri, wasm: wasmTrtri, preferWasm: (_l, _u, n) => n >= FACTOR_MIN_ORDER },
  potri: { js: jsPotri, wasm: wasmPotri, preferWasm: (n) => n >= FACTOR_MIN_ORDER },
  getrf: { js: jsGetrf, wasm: wasmGetrf, preferWasm: (n) => n >= FACTOR_MIN_ORDER },
  getrs: { js: jsGetrs, wasm: wasmGetrs, preferWasm: (n, m) => n * n * m >= TRSM_MIN_VOLUME },
});
