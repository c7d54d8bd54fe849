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

function choose<K extends KernelName>(entry: KernelEntry<K>, args: Parameters<DenseKernels[K]>): DenseKernels[K] {
  if (mode === 'js') return entry.js;
  if (mode === 'wasm') return entry.wasm;
  return (entry.preferWasm as (...a: unknown[]) => boolean)(...args) && wasmKernels() !== null ? entry.wasm : entry.js;
}

function route<K extends KernelName>(name: K): DenseKernels[K] {
  const entry = KERNELS[name];
  return ((...args: Parameters<DenseKernels[K]>) =>
    (choose(entry, args) as (...a: unknown[]) => unknown)(...args)) as DenseKernels[K];
}

/** The kernels as the primitives call them: each call goes to the backend {@link setBackend} chose. */
export const dense: DenseKernels = Object.freeze({
  gemm: route('gemm'),
  trsm: route('trsm'),
  potrf: route('potrf'),
  trtri: route('trtri'),
  potri: route('potri'),
  getrf: route('getrf'),
  getrs: route('getrs'),
  syev: route('syev'),
  geqrf: route('geqrf'),
  orgqr: route('orgqr'),
  gesvj: route('gesvj'),
});
