/**
 * Allocation of kernel outputs.
 *
 * V8 keeps typed arrays of up to 64 bytes on its heap, where allocating one costs a bump of a pointer; a larger one
 * gets its own off-heap backing store, which costs about five times as much to create and to collect (measured
 * 0.14 µs for 4 doubles against 0.7 µs for 16). At D = 4, every matrix of natgrad's hot paths is 16 doubles. So
 * outputs of 9–64 doubles are carved out of shared 4 KiB slabs, the way Node pools small `Buffer`s: each is a view
 * (an on-heap object) into a slab that is never reused, so it starts zeroed and is freed with its last view. A view
 * can keep its slab alive: the worst case (every other view collected) holds 4 KiB for 72 bytes.
 *
 * Consequence for users, documented on `Tensor.data`: `data.buffer` may be shared with other tensors; read it only
 * through `data.byteOffset`/`data.byteLength`, and never transfer or detach it.
 *
 * Outputs a kernel writes in full (the elementwise and dual-number loops, broadcasts, transposes) skip the zero fill
 * where the host can: Node's `Buffer.allocUnsafeSlow` (its own buffer, not pooled). Zeroing a fresh array is a pass
 * over memory that is about to be overwritten, and at 10⁴ doubles it cost a fifth of an elementwise op (a quarter
 * of a forward-mode one, which writes two arrays). A test fills that memory with NaNs to prove every element written.
 * @module
 */
import { OutOfMemoryError } from '../errors.js';

/** Doubles per slab (4 KiB). */
const SLAB_LENGTH = 512;
/** Largest pooled length; anything larger gets its own buffer. */
const MAX_POOLED = 64;
/** Arrays of this many doubles or fewer are on the V8 heap already. */
const MAX_ON_HEAP = 8;

let slab = new ArrayBuffer(0);
let used = 0; // in doubles

/** A zero-filled `Float64Array` of length `n` (n ≤ `MAX_SIZE`, checked by the caller's shape validation). */
export function allocF64(n: number): Float64Array {
  if (n <= MAX_ON_HEAP || n > MAX_POOLED) return allocOwn(n);
  if (used + n > SLAB_LENGTH || slab.byteLength === 0) {
    slab = new ArrayBuffer(8 * SLAB_LENGTH);
    used = 0;
  }
  // The (buffer, offset, length) constructor is cheaper than subarray (no species lookup).
  const view = new Float64Array(slab, 8 * used, n);
  used += n;
  return view;
}

/** A zero-filled `Float64Array` with its own buffer; an engine allocation failure becomes an {@link OutOfMemoryError}. */
export function allocOwn(n: number): Float64Array {
  try {
    return new Float64Array(n);
  } catch (e) {
    if (e instanceof RangeError) throw new OutOfMemoryError(n);
    throw e;
  }
}

/** Node's uninitialised allocation, when the host has it (not in browsers; bundlers' polyfills zero, which is fine). */
interface UnsafeAllocator {
  allocUnsafeSlow(size: number): Uint8Array;
}
const host = (globalThis as { Buffer?: UnsafeAllocator }).Buffer;

/**
 * Below a page (4 KiB) the zero fill is cheap and the extra `Buffer` object costs more than it saves (measured 1.24×
 * the zeroed allocation at 65 doubles, 0.96× at 300–1000, 0.76–0.80× from 10⁴).
 */
const MIN_UNINITIALIZED = 512;

/**
 * A `Float64Array` of length `n` whose contents are unspecified, for a kernel that writes every element before it is
 * read: its own buffer of uninitialised memory where the host allows (see the module notes), else zero-filled.
 */
export function allocUninitialized(n: number): Float64Array {
  if (n < MIN_UNINITIALIZED || host === undefined || typeof host.allocUnsafeSlow !== 'function') return allocF64(n);
  let b: Uint8Array;
  try {
    b = host.allocUnsafeSlow(8 * n);
  } catch (e) {
    if (e instanceof RangeError) throw new OutOfMemoryError(n);
    throw e;
  }
  return b.byteOffset % 8 === 0 && b.byteLength >= 8 * n ? new Float64Array(b.buffer, b.byteOffset, n) : allocOwn(n);
}
