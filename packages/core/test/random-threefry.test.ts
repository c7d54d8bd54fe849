/**
 * The generator itself: Threefry-2x32-20 known answers, agreement with JAX's published key values, and the unrolled
 * kernel against the loop form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { random } from '@natgrad/core';
import { threefryBlock, threefryCounters } from '../src/random/threefry.js';

describe('threefry2x32 (20 rounds)', () => {
  // Random123 kat_vectors, "threefry2x32 20": key, counter → output.
  const kat: [number[], number[], number[]][] = [
    [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
  ];
  for (const [k, ctr, expected] of kat) {
    it(`known answer: key ${k.map((w) => w.toString(16))}, ctr ${ctr.map((w) => w.toString(16))}`, () => {
      expect(random.threefry2x32(k[0], k[1], ctr[0], ctr[1])).toEqual(expected);
      // the unrolled bulk kernel too, on a one-element run at that 64-bit counter when it is an exact double
      const c = ctr[0] * 2 ** 32 + ctr[1];
      if (Number.isSafeInteger(c)) {
        const out = new Uint32Array(2);
        threefryCounters(k[0], k[1], c, 1, out);
        expect(Array.from(out)).toEqual(expected);
      }
    });
  }

  it('the unrolled counter kernel equals the loop form for random keys and counters', () => {
    const word = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 2 ** 21 - 1 }), word, (k0, k1, hi, lo) => {
        const start = hi * 2 ** 32 + lo;
        const bulk = new Uint32Array(6);
        threefryCounters(k0, k1, start, 3, bulk); // crosses the 2^32 boundary of the low word when lo is large
        for (let j = 0; j < 3; j++) {
          const c = start + j;
          const one = new Uint32Array(2);
          threefryBlock(k0, k1, Math.floor(c / 2 ** 32), c % 2 ** 32, one);
          expect([bulk[2 * j], bulk[2 * j + 1]]).toEqual(Array.from(one));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reproduces the keys jax.random.split gives for PRNGKey(0), (1), (2) (partitionable Threefry)', () => {
    // Published by JAX users/tests for jax >= 0.5 (jax_threefry_partitionable=True).
    const expected = [
      [[1797259609, 2579123966], [928981903, 3453687069]],
      [[507451445, 1853169794], [1948878966, 4237131848]],
      [[1821159224, 3364244817], [637334850, 3278974502]],
    ];
    for (let seed = 0; seed < 3; seed++) {
      expect(random.split(random.key(seed)).map((k) => random.keyData(k))).toEqual(expected[seed]);
    }
  });

  it('reproduces jax.random.uniform float32 values from the same counter layout', () => {
    // jax.random.uniform(split(PRNGKey(0))[1], (4, 4), float32) under partitionable Threefry: bits = y0 ^ y1 of
    // counter i, float = bitcast((bits >> 9) | 0x3f800000) - 1. Checks that element i hashes counter (0, i).
    const expected = [
      0.00729382, 0.02089119, 0.5814265, 0.36183798, 0.22303772, 0.11928833, 0.12543893, 0.61683, 0.0950073,
      0.9834225, 0.4248221, 0.8324801, 0.0966121, 0.22702086, 0.3545748, 0.67104137,
    ];
    const [, k] = random.split(random.key(0));
    const [k0, k1] = random.keyData(k);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    expected.forEach((e, i) => {
      const [y0, y1] = random.threefry2x32(k0, k1, 0, i);
      u[0] = ((y0 ^ y1) >>> 9) | 0x3f800000;
      expect(f[0] - 1).toBeCloseTo(e, 7);
    });
  });

  it('rejects words outside [0, 2^32)', () => {
    for (const bad of [-1, 2 ** 32, 0.5, NaN]) {
      expect(() => random.threefry2x32(bad, 0, 0, 0)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => random.threefry2x32(0, 0, 0, bad)).toThrow(/threefry2x32/);
    }
  });
});
