/**
 * Backend selection: the public switch (`setBackend`, `getBackend`, `wasmReady`) and `dense`, the kernel table the
 * linear-algebra primitives call, which routes every call to the chosen implementation. @module
 */
import { InvalidArgumentError } from '../errors.js';
import { BackendUnavailableError } from './errors.js';
import type { DenseKernels, KernelName } from './kernels.js';
import { KERNELS, type KernelEntry } from './registry.js';
import { loadWasmKernels, wasmFailure, wasmKernels } from './wasm/instance.js';

/**
 * Which implementation runs the dense linear-algebra kernels (gemm, triangular solves, Cholesky, LU, inverses,
 * the symmetric eigensolver, QR and SVD):
 * `'wasm'` — WebAssembly SIMD (f64x2) kernels, blocked on a packed gemm; `'js'` — plain JavaScript loops;
 * `'auto'` (default) — per call, JavaScript for small matrices and WebAssembly from the measured crossover size
 * (about 16×16) up, JavaScript everywhere when WebAssembly SIMD is missing. Results agree to about 1e-13 relative;
 * errors (failing pivots) are identical.
 */
export type BackendName = 'auto' | 'wasm' | 'js';

let mode: BackendName = 'auto';

/**
 * Chooses the backend of the dense linear-algebra kernels for every later call (see {@link BackendName}). Forcing
 * `'wasm'` compiles the WebAssembly module now if it is not loaded yet.
 * @throws {BackendUnavailableError} for `'wasm'` where WebAssembly SIMD is unavailable (or, in a browser's main
 * thread, still compiling: `await wasmReady()` first); {@link InvalidArgumentError} for an unknown name.
 */
export function setBackend(name: BackendName): void {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') {
    throw new InvalidArgumentError(`setBackend: backend must be 'auto', 'wasm' or 'js', got ${describe(name)}`);
  }
  if (name === 'wasm' && wasmKernels() === null) throw new BackendUnavailableError(name, wasmFailure());
  mode = name;
}

/** The backend chosen with {@link setBackend} (`'auto'` unless changed). */
export function getBackend(): BackendName {
  return mode;
}

/**
 * Resolves to true once the WebAssembly kernels are loaded, false if they cannot be (no WebAssembly SIMD). In Node
 * they load synchronously on first use; in a browser's main thread they compile in the background while `'auto'`
 * uses JavaScript, and this promise says when they are there.
 */
export function wasmReady(): Promise<boolean> {
  return loadWasmKernels();
}

function describe(x: unknown): string {
  return typeof x === 'string' ? `'${x.slice(0, 40)}'` : typeof x;
}

/** The implementation of `entry` for this call: the forced backend, or by `auto`'s size rule (`prefer`). */
function use<K extends KernelName>(entry: KernelEntry<K>, prefer: boolean): DenseKernels[K] {
  if (mode === 'js') return entry.js;
  if (mode === 'wasm') return entry.wasm;
  return prefer && wasmKernels() !== null ? entry.wasm : entry.js;
}

const { gemm, trsm, trmm, potrf, trtri, potri, getrf, getrs, getc2 } = KERNELS;

// Written out per kernel with fixed parameters (no rest/spread): at 2×2 a generic dispatch is a measurable part of
// an op (≈ 100 ns of ≈ 170 for a 2×2 cholesky).
const table: Pick<DenseKernels, 'gemm' | 'trsm' | 'trmm' | 'potrf' | 'trtri' | 'potri' | 'getrf' | 'getrs' | 'getc2'> = {
  gemm: (tA, tB, m, n, k, al, a, ao, lda, b, bo, ldb, be, c, co, ldc) =>
    use(gemm, gemm.preferWasm(tA, tB, m, n, k, al, a, ao, lda, b, bo, ldb, be, c, co, ldc))(tA, tB, m, n, k, al, a, ao, lda, b, bo, ldb, be, c, co, ldc),
  trsm: (r, lo, t, u, m, n, a, ao, lda, b, bo, ldb) =>
    use(trsm, trsm.preferWasm(r, lo, t, u, m, n, a, ao, lda, b, bo, ldb))(r, lo, t, u, m, n, a, ao, lda, b, bo, ldb),
  trmm: (r, lo, t, u, m, n, a, ao, lda, b, bo, ldb) =>
    use(trmm, trmm.preferWasm(r, lo, t, u, m, n, a, ao, lda, b, bo, ldb))(r, lo, t, u, m, n, a, ao, lda, b, bo, ldb),
  potrf: (n, a, ao, lda, l, lo, ldl) => use(potrf, potrf.preferWasm(n, a, ao, lda, l, lo, ldl))(n, a, ao, lda, l, lo, ldl),
  trtri: (lo, u, n, a, ao, lda) => use(trtri, trtri.preferWasm(lo, u, n, a, ao, lda))(lo, u, n, a, ao, lda),
  potri: (n, l, lo, ldl, c, co, ldc) => use(potri, potri.preferWasm(n, l, lo, ldl, c, co, ldc))(n, l, lo, ldl, c, co, ldc),
  getrf: (m, n, a, ao, lda, perm) => use(getrf, getrf.preferWasm(m, n, a, ao, lda, perm))(m, n, a, ao, lda, perm),
  getrs: (t, n, m, lu, luo, ldlu, perm, b, bo, ldb, x, xo, ldx) =>
    use(getrs, getrs.preferWasm(t, n, m, lu, luo, ldlu, perm, b, bo, ldb, x, xo, ldx))(t, n, m, lu, luo, ldlu, perm, b, bo, ldb, x, xo, ldx),
  getc2: (n, a, ao, lda, rp, cp) => use(getc2, false)(n, a, ao, lda, rp, cp),
};

/** Generic routing for the decompositions: their O(n³) work dwarfs a rest-parameter call. */
function route<K extends KernelName>(name: K): DenseKernels[K] {
  const entry = KERNELS[name];
  return ((...args: Parameters<DenseKernels[K]>) =>
    (use(entry, (entry.preferWasm as (...a: unknown[]) => boolean)(...args)) as (...a: unknown[]) => unknown)(...args)) as DenseKernels[K];
}

/**
 * The dense BLAS/LAPACK-style kernels as the linear-algebra primitives call them (each call goes to the backend
 * {@link setBackend} chose, by size under `'auto'`), for code that writes its own fused primitive on
 * `Float64Array`s — e.g. `dense.gemm(false, true, m, n, k, 1, a, 0, k, b, 0, k, 0, c, 0, n)` for C = A·Bᵀ.
 * Low level on purpose: row-major views `(data, offset, ld)`, nothing is validated (offsets and sizes that do not
 * fit the arrays give garbage or a `RangeError`), inputs must be finite where the contract says so. Prefer the ops
 * (`matmul`, `cholesky`, …), which check their arguments and differentiate.
 */
export const dense: DenseKernels = Object.freeze({
  ...table,
  syev: route('syev'),
  geqrf: route('geqrf'),
  orgqr: route('orgqr'),
  gesvj: route('gesvj'),
});
