/** Growable scratch buffers of the JavaScript kernels: a batch of calls of one size allocates once. @module */

const pool: Float64Array[] = [];

/**
 * Scratch buffer number `slot` with at least `n` elements (contents undefined). Kernels use distinct slots and
 * never call each other while holding one, except through the slots documented in their file.
 */
export function scratch(slot: number, n: number): Float64Array {
  let s = pool[slot];
  if (s === undefined || s.length < n) {
    s = new Float64Array(Math.max(n, 2 * (s?.length ?? 0)));
    pool[slot] = s;
  }
  return s;
}

/** Scratch slots in use (one per kernel that needs one). */
export const SLOT = {
  gemmA: 0, gemmB: 1, trsm: 2, potri: 3,
  syevWork: 4, syevVectors: 5, syevAux: 6, syevVector: 7, householder: 8, gesvjNorms: 9, getrs: 10, trmm: 11,
} as const;
