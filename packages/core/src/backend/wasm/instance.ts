/**
 * Loading the WebAssembly SIMD kernels: feature detection, compilation (synchronous where the platform allows it,
 * otherwise in the background) and typed access to linear memory. @module
 */
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';

/** The exports of assembly/index.ts (pointers are byte offsets into `memory`, sizes in elements). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  reserve(end: number): void;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
  ): void;
  trsm(right: number, lower: number, trans: number, unit: number, m: number, n: number, t: number, ldt: number, b: number, ldb: number): void;
  trmm(right: number, lower: number, trans: number, unit: number, m: number, n: number, t: number, ldt: number, b: number, ldb: number): void;
  potrf(n: number, a: number, lda: number): number;
  trtri(lower: number, unit: number, n: number, a: number, lda: number): void;
  potri(n: number, l: number, ldl: number, c: number, ldc: number): void;
  getrf(m: number, n: number, a: number, lda: number, perm: number): number;
  getrs(trans: number, n: number, m: number, lu: number, ldlu: number, x: number, ldx: number): void;
  syev(vectors: number, n: number, a: number, lda: number, w: number): number;
  geqrf(m: number, n: number, a: number, lda: number, tau: number): void;
  orgqr(m: number, n: number, k: number, a: number, lda: number, tau: number): void;
  gesvj(vectors: number, r: number, c: number, g: number, ldg: number, s: number, w: number, ldw: number): number;
}

/**
 * A module using f64x2 arithmetic: `(func (result v128) (f64x2.add (f64x2.splat (f64.const 0)) (f64x2.splat
 * (f64.const 0))))`. Engines without fixed-width SIMD (Safari < 16.4, old browsers) reject it.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x1d, 0x01, 0x1b, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x14, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x14,
  0xfd, 0xf0, 0x01, 0x0b,
]);

let simd: boolean | undefined;

/** Whether this engine has WebAssembly with fixed-width SIMD (checked once, by validating a tiny module). */
export function hasWasmSimd(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

let kernels: KernelExports | null = null;
let failure = '';
let pending: Promise<boolean> | null = null;

function bytes(): Uint8Array<ArrayBuffer> {
  const s = atob(KERNELS_WASM_BASE64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const imports = {}; // the module imports nothing (no runtime, no abort: --noAssert)

/**
 * The kernels, compiling them synchronously on first use; null when WebAssembly SIMD is missing, or while a
 * background compile is still running (browsers refuse large synchronous compiles on the main thread).
 */
export function wasmKernels(): KernelExports | null {
  if (kernels !== null || failure !== '' || pending !== null) return kernels;
  if (!hasWasmSimd()) {
    failure = 'this JavaScript engine has no WebAssembly SIMD';
    return null;
  }
  try {
    kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes()), imports).exports as unknown as KernelExports;
  } catch {
    // e.g. Chrome's main thread: compile asynchronously and use the JavaScript kernels meanwhile
    pending = loadAsync();
  }
  return kernels;
}

async function loadAsync(): Promise<boolean> {
  try {
    const module = await WebAssembly.compile(bytes());
    const instance = await WebAssembly.instantiate(module, imports);
    kernels = instance.exports as unknown as KernelExports;
    return true;
  } catch (e) {
    failure = `the WebAssembly kernels failed to load: ${String(e)}`;
    return false;
  } finally {
    pending = null;
  }
}

/** Resolves once the kernels are loaded (true) or known to be unavailable (false). */
export function loadWasmKernels(): Promise<boolean> {
  if (wasmKernels() !== null) return Promise.resolve(true);
  return pending ?? Promise.resolve(false);
}

/** Why {@link wasmKernels} returned null ('' while loading or when loaded). */
export function wasmFailure(): string {
  return pending !== null ? 'the WebAssembly kernels are still compiling (await wasmReady())' : failure;
}

/**
 * Typed views of the kernels' linear memory and a bump layout for one call's operands. Growing the memory detaches
 * the views, so they are refreshed after `reserve` and after every kernel call.
 */
export class Heap {
  readonly x: KernelExports;
  f64: Float64Array;
  i32: Int32Array;
  private readonly base: number;
  private top: number;

  constructor(x: KernelExports) {
    this.x = x;
    this.base = x.heapBase();
    this.top = this.base;
    this.f64 = new Float64Array(x.memory.buffer);
    this.i32 = new Int32Array(x.memory.buffer);
  }

  /** Starts a call's layout. */
  begin(): this {
    this.top = this.base;
    return this;
  }

  /** Byte pointer to room for `count` elements of 8 (f64) or 4 (i32) bytes, 16-byte aligned. */
  take(count: number, bytes = 8): number {
    const p = this.top;
    this.top = (p + count * bytes + 15) & ~15;
    return p;
  }

  /**
   * Grows memory to hold everything taken so far and refreshes the views.
   * @throws {WasmMemoryExhausted} when the operands do not fit in 32-bit linear memory (the caller falls back to
   * JavaScript); growing past what the engine allows traps with `unreachable`, handled the same way.
   */
  commit(): void {
    if (this.top > MAX_HEAP_BYTES) throw new WasmMemoryExhausted(this.top);
    this.x.reserve(this.top);
    this.refresh();
  }

  refresh(): void {
    if (this.f64.buffer !== this.x.memory.buffer) {
      this.f64 = new Float64Array(this.x.memory.buffer);
      this.i32 = new Int32Array(this.x.memory.buffer);
    }
  }

  /** Copies the r×c matrix at `src[off]` (row stride `ld`) to `ptr` with row stride c. */
  put(src: Float64Array, off: number, ld: number, r: number, c: number, ptr: number): void {
    copy(src, off, ld, this.f64, ptr >> 3, c, r, c);
  }

  /**
   * Copies one triangle (diagonal included) of the n×n matrix at `src[off]` to `ptr` (row stride n), for kernels that
   * read only that triangle: half the copy. The other triangle at `ptr` keeps whatever the memory held.
   */
  putTriangle(src: Float64Array, off: number, ld: number, n: number, lower: boolean, ptr: number): void {
    const f = this.f64, p = ptr >> 3;
    for (let i = 0; i < n; i++) {
      const lo = lower ? 0 : i, hi = lower ? i + 1 : n;
      copy(src, off + i * ld + lo, 0, f, p + i * n + lo, 0, 1, hi - lo);
    }
  }

  /** Copies the r×c matrix at `ptr` (row stride c) to `dst[off]` (row stride `ld`). */
  get(ptr: number, r: number, c: number, dst: Float64Array, off: number, ld: number): void {
    copy(this.f64, ptr >> 3, c, dst, off, ld, r, c);
  }

  /** Copies out one triangle (diagonal included unless `strict`) of the n×n matrix at `ptr`. */
  getTriangle(ptr: number, n: number, lower: boolean, strict: boolean, dst: Float64Array, off: number, ld: number): void {
    const f = this.f64, p = ptr >> 3;
    for (let i = 0; i < n; i++) {
      const lo = lower ? 0 : strict ? i + 1 : i, hi = lower ? (strict ? i : i + 1) : n;
      if (hi > lo) copy(f, p + i * n + lo, 0, dst, off + i * ld + lo, 0, 1, hi - lo);
    }
  }
}

/**
 * r×c block copy between strided views. `set` on a `subarray` costs a view allocation per call, more than copying a
 * short row element by element, so rows shorter than 64 are copied by a loop (small matrices are where the copies
 * matter: they decide the `auto` crossover).
 */
function copy(src: Float64Array, so: number, sld: number, dst: Float64Array, dO: number, dld: number, r: number, c: number): void {
  if (r * c === 0) return;
  if (sld === c && dld === c && r * c >= 64) {
    dst.set(src.subarray(so, so + r * c), dO);
  } else if (c >= 64) {
    for (let i = 0; i < r; i++) dst.set(src.subarray(so + i * sld, so + i * sld + c), dO + i * dld);
  } else {
    for (let i = 0; i < r; i++) {
      const s = so + i * sld, d = dO + i * dld;
      for (let j = 0; j < c; j++) dst[d + j] = src[s + j];
    }
  }
}

/**
 * The shape of trsm and trmm: the triangle of the order×order A (order n from the right, m from the left) and the
 * m×n B into linear memory, `kernel(x, pa, order, pb)` transforming B there in place, B copied back.
 */
export function onTriangleAndMatrix(
  kernel: (x: KernelExports, pa: number, order: number, pb: number) => void, right: boolean, lower: boolean,
  m: number, n: number, a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
): void {
  const order = right ? n : m;
  const h = wasmHeap().begin();
  const pa = h.take(order * order), pb = h.take(m * n);
  h.commit();
  h.putTriangle(a, aOff, lda, order, lower, pa); // the kernels read only that triangle
  h.put(b, bOff, ldb, m, n, pb);
  kernel(h.x, pa, order, pb);
  h.refresh();
  h.get(pb, m, n, b, bOff, ldb);
}

/** Linear memory is 32-bit: leave room below 4 GiB for the kernels' scratch (packed panels, transposed copies). */
const MAX_HEAP_BYTES = 2 ** 32 - 2 ** 26;

/** A call's operands do not fit in the WebAssembly kernels' linear memory. */
export class WasmMemoryExhausted extends Error {
  constructor(bytes: number) {
    super(`the operands need ${bytes} bytes of WebAssembly memory`);
  }
}

let heap: Heap | null = null;

/** The shared heap (one per loaded module); only call once {@link wasmKernels} returned non-null. */
export function wasmHeap(): Heap {
  if (heap === null) heap = new Heap(wasmKernels()!);
  return heap;
}
