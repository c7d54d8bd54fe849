/** Determinants from LU factors. @module */

const BIG = 2 ** 500, SMALL = 2 ** -500;

/** +1 or −1: the sign of the permutation `perm[off … off + n)` (−1 for an odd number of transpositions). */
export function permutationSign(perm: Int32Array, off: number, n: number, seen: Uint8Array): number {
  seen.fill(0, 0, n);
  let sign = 1;
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = perm[off + j]) {
      seen[j] = 1;
      len++;
    }
    if ((len & 1) === 0) sign = -sign;
  }
  return sign;
}

/**
 * `Π U_ii` of the n×n packed LU at `lu[off]` without spurious overflow or underflow: the running product is kept as a
 * mantissa and a power of two, rescaled by exact powers of two, so the result is the correctly-rounded-as-ever
 * product whenever that is representable (an intermediate 10³⁰⁰ · 10³⁰⁰ · 10⁻³⁰⁰ does not become ∞).
 */
export function diagonalProduct(lu: Float64Array, off: number, n: number): number {
  let m = 1, e = 0;
  for (let i = 0; i < n; i++) {
    m *= lu[off + i * n + i];
    if (m === 0) return 0;
    const a = Math.abs(m);
    if (a > BIG) {
      m *= SMALL;
      e += 500;
    } else if (a < SMALL) {
      m *= BIG;
      e -= 500;
    }
  }
  // m · 2^e, applying the power in steps that are exact powers of two
  while (e > 0 && Number.isFinite(m)) {
    const s = Math.min(e, 1000);
    m *= 2 ** s;
    e -= s;
  }
  while (e < 0 && m !== 0) {
    const s = Math.min(-e, 1000);
    m *= 2 ** -s;
    e += s;
  }
  return m;
}

/** `(sign, log|Π U_ii|)` of the n×n packed LU at `lu[off]`; `(0, −∞)` when a pivot is zero. */
export function logAbsDiagonal(lu: Float64Array, off: number, n: number): [number, number] {
  let sign = 1, s = 0;
  for (let i = 0; i < n; i++) {
    const u = lu[off + i * n + i];
    if (u === 0) return [0, -Infinity];
    if (u < 0) sign = -sign;
    s += Math.log(Math.abs(u));
  }
  return [sign, s];
}
