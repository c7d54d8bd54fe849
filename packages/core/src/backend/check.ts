/** Checks shared by every backend, so that they report exactly the same failures. @module */

/**
 * The first zero diagonal entry of the n×n triangle at `a[off]` (row stride `ld`), scanning up (`fromEnd`) or down;
 * −1 if there is none.
 */
export function firstZeroDiagonal(a: Float64Array, off: number, ld: number, n: number, fromEnd: boolean): number {
  for (let s = 0; s < n; s++) {
    const i = fromEnd ? n - 1 - s : s;
    if (a[off + i * ld + i] === 0) return i;
  }
  return -1;
}

/** Whether a triangular solve with this (storage triangle, transpose) pair substitutes forward (op(A) lower). */
export function substitutesForward(lower: boolean, trans: boolean): boolean {
  return lower !== trans;
}
