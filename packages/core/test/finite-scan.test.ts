/** The branch-free finiteness scan (src/kernels/finite.ts) agrees with testing every entry, at every length. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { allFinite } from '../src/kernels/finite.js';

it('allFinite(d) is d.every(Number.isFinite) for any length and any placement of NaN, ±∞, −0 and extremes', () => {
  const value = fc.oneof(
    { weight: 20, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 5e-324, Number.MAX_VALUE) },
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 300 }), (xs) => {
      const d = Float64Array.from(xs);
      expect(allFinite(d)).toBe(xs.every(Number.isFinite));
    }),
    { numRuns: 2000 },
  );
  for (const n of [63, 64, 65, 67, 1000]) {
    for (const at of [0, n - 1, n >> 1]) {
      const d = new Float64Array(n).fill(Number.MAX_VALUE);
      expect(allFinite(d)).toBe(true);
      d[at] = Number.NEGATIVE_INFINITY;
      expect(allFinite(d)).toBe(false);
    }
  }
});
