/** Growable scratch buffers of the fused kernels: a run of calls of one size allocates once. @module */

const pool: Float64Array[] = [];

/**
 * Scratch buffer number `slot` with at least `n` elements (contents undefined). The kernels are synchronous and never
 * call each other while holding a slot, so one buffer per slot is enough.
 */
export function scratch(slot: number, n: number): Float64Array {
  let s = pool[slot];
  if (s === undefined || s.length < n) {
    s = new Float64Array(Math.max(n, 2 * (s?.length ?? 0)));
    pool[slot] = s;
  }
  return s;
}

/** Scratch slots (one per intermediate matrix of a kernel). */
export const SLOT = { a: 0, x: 1, lower: 2, upper: 3, rhs: 4, vector: 5 } as const;
