/**
 * Transposes: a cache-blocked 2-D kernel, its batched form (the last two axes of a stack of matrices, `x.mT`), and
 * general axis permutations (a strided gather).
 * @module
 */
import { type Shape, sizeOf, stridesOf } from '../shape.js';
import { gather } from './strided.js';

/** Block edge: a 32×32 block of doubles is 8 KiB read and 8 KiB written, well inside L1. */
const BLOCK = 32;

/** `dst[d + j·r + i] = src[s + i·c + j]`: the r×c matrix at `s` transposed into the c×r matrix at `d`. */
export function transposeMatrix(src: Float64Array, s: number, dst: Float64Array, d: number, r: number, c: number): void {
  if (r <= BLOCK && c <= BLOCK) {
    for (let i = 0; i < r; i++) {
      const row = s + i * c;
      for (let j = 0; j < c; j++) dst[d + j * r + i] = src[row + j];
    }
    return;
  }
  // Blocked so that both the rows read and the rows written stay in cache.
  for (let i0 = 0; i0 < r; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, r);
    for (let j0 = 0; j0 < c; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, c);
      for (let i = i0; i < i1; i++) {
        const row = s + i * c;
        for (let j = j0; j < j1; j++) dst[d + j * r + i] = src[row + j];
      }
    }
  }
}

/** Transposes each of the `batch` r×c matrices of `src` (contiguous, one after the other) into `dst`. */
export function transposeBatch(src: Float64Array, dst: Float64Array, batch: number, r: number, c: number): void {
  const rc = r * c;
  if (r === 1 || c === 1) {
    dst.set(src.subarray(0, batch * rc));
    return;
  }
  for (let t = 0; t < batch; t++) transposeMatrix(src, t * rc, dst, t * rc, r, c);
}

/**
 * Permutes the axes of the contiguous array `src` of shape `shape` into `out` (out axis i = in axis `perm[i]`).
 * A permutation that only swaps the last two axes is a batch of matrix transposes; others are strided gathers.
 */
export function permute(src: Float64Array, shape: Shape, perm: readonly number[], out: Float64Array): void {
  const nd = shape.length;
  let swapsLastTwo = nd >= 2 && perm[nd - 2] === nd - 1 && perm[nd - 1] === nd - 2;
  for (let i = 0; swapsLastTwo && i < nd - 2; i++) if (perm[i] !== i) swapsLastTwo = false;
  if (swapsLastTwo) {
    const r = shape[nd - 2], c = shape[nd - 1];
    const rc = r * c;
    transposeBatch(src, out, rc === 0 ? 0 : sizeOf(shape) / rc, r, c);
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = new Array<number>(nd), outStrides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    outShape[i] = shape[perm[i]];
    outStrides[i] = inStrides[perm[i]];
  }
  gather(src, 0, outShape, outStrides, out);
}
