/**
 * Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11;
 * the `threefry2x32_20` of Random123 and the hash behind `jax.random`'s default keys).
 *
 * A keyed bijection of 64-bit blocks: `(key0, key1, ctr0, ctr1) → (y0, y1)`, all uint32 words. Written with 32-bit
 * integer arithmetic only (`| 0` wrap-around additions, shifts, xor), so it is bit-identical on every JavaScript engine.
 * @module
 */

/** Skein key-schedule parity constant (Random123 `SKEIN_KS_PARITY32`). */
const PARITY = 0x1bd11bda;

/** 2³², the weight of the high counter word. */
export const TWO32 = 4294967296;

/**
 * Hashes the counters `start, start + 1, …, start + count - 1` (each a 64-bit integer split into a high and a low
 * uint32 word, `ctr = (hi, lo)`) under the key `(k0, k1)` and writes the two output words of counter `start + j` to
 * `out[offset + 2j]` and `out[offset + 2j + 1]`.
 *
 * This is the inner kernel of every draw: one tight loop over a `Uint32Array`, rounds unrolled, no allocation.
 * `start + count` must not exceed 2⁵³ (counters are exact doubles).
 */
export function threefryCounters(
  k0: number,
  k1: number,
  start: number,
  count: number,
  out: Uint32Array,
  offset = 0,
): void {
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = (k0 ^ k1 ^ PARITY) | 0;
  for (let j = 0; j < count; j++) {
    const c = start + j;
    const c0 = c < TWO32 ? 0 : Math.floor(c / TWO32);
    const c1 = c >>> 0; // ToUint32 reduces modulo 2^32, exact for integers below 2^53
    let x0 = (c0 + ks0) | 0;
    let x1 = (c1 + ks1) | 0;
    // Rounds 1-4, rotations 13, 15, 26, 6.
    x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
    x0 = (x0 + ks1) | 0; x1 = (x1 + ks2 + 1) | 0;
    // Rounds 5-8, rotations 17, 29, 16, 24.
    x0 = (x0 + x1) | 0; x1 = (x1 << 17) | (x1 >>> 15); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 29) | (x1 >>> 3); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 16) | (x1 >>> 16); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 24) | (x1 >>> 8); x1 ^= x0;
    x0 = (x0 + ks2) | 0; x1 = (x1 + ks0 + 2) | 0;
    // Rounds 9-12.
    x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
    x0 = (x0 + ks0) | 0; x1 = (x1 + ks1 + 3) | 0;
    // Rounds 13-16.
    x0 = (x0 + x1) | 0; x1 = (x1 << 17) | (x1 >>> 15); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 29) | (x1 >>> 3); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 16) | (x1 >>> 16); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 24) | (x1 >>> 8); x1 ^= x0;
    x0 = (x0 + ks1) | 0; x1 = (x1 + ks2 + 4) | 0;
    // Rounds 17-20.
    x0 = (x0 + x1) | 0; x1 = (x1 << 13) | (x1 >>> 19); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 15) | (x1 >>> 17); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 26) | (x1 >>> 6); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = (x1 << 6) | (x1 >>> 26); x1 ^= x0;
    x0 = (x0 + ks2) | 0; x1 = (x1 + ks0 + 5) | 0;
    // Uint32Array stores reduce modulo 2^32, turning the int32 results into uint32 words.
    out[offset + 2 * j] = x0;
    out[offset + 2 * j + 1] = x1;
  }
}

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];

/**
 * Hashes one explicit counter block `(c0, c1)` (any two uint32 words, so the whole 64-bit counter space) under key
 * `(k0, k1)` into `out[offset]`, `out[offset + 1]`. The straightforward loop form of the rounds: it serves key
 * derivation and the rare paths, and the tests check it against the unrolled {@link threefryCounters}.
 */
export function threefryBlock(k0: number, k1: number, c0: number, c1: number, out: Uint32Array, offset = 0): void {
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = (k0 ^ k1 ^ PARITY) | 0;
  let x0 = (c0 + ks0) | 0;
  let x1 = (c1 + ks1) | 0;
  for (let r = 0; r < 20; r++) {
    const rot = ROTATIONS[r & 7];
    x0 = (x0 + x1) | 0;
    x1 = (x1 << rot) | (x1 >>> (32 - rot));
    x1 ^= x0;
    if ((r & 3) === 3) {
      // Key injection s = 1..5: x0 += ks[s mod 3], x1 += ks[(s + 1) mod 3] + s.
      const s = (r + 1) >> 2;
      const a = s % 3;
      const b = (s + 1) % 3;
      x0 = (x0 + (a === 0 ? ks0 : a === 1 ? ks1 : ks2)) | 0;
      x1 = (x1 + (b === 0 ? ks0 : b === 1 ? ks1 : ks2) + s) | 0;
    }
  }
  out[offset] = x0;
  out[offset + 1] = x1;
}
