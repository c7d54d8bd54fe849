/** Gauss–Hermite rules: known small rules, exactness up to degree 2n − 1, symmetry, large n. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@natgrad/core';
import { GAUSS_HERMITE_MAX_POINTS, gaussHermite } from '@natgrad/distributions';

const SQRT_PI = Math.sqrt(Math.PI);

/** ∫ x^k e^(−x²) dx = Γ((k+1)/2) for even k (= (k−1)!!/2^(k/2) √π), 0 for odd k. */
function moment(k: number): number {
  if (k % 2 === 1) return 0;
  let m = SQRT_PI;
  for (let j = 1; j < k; j += 2) m *= j / 2;
  return m;
}

describe('gaussHermite', () => {
  it('known rules for n = 1..4 (closed forms) to 1e-15', () => {
    const cases: [number, number[], number[]][] = [
      [1, [0], [SQRT_PI]],
      [2, [-Math.SQRT1_2, Math.SQRT1_2], [SQRT_PI / 2, SQRT_PI / 2]],
      [3, [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], [SQRT_PI / 6, (2 * SQRT_PI) / 3, SQRT_PI / 6]],
      [
        4,
        [-Math.sqrt(1.5 + Math.sqrt(1.5)), -Math.sqrt(1.5 - Math.sqrt(1.5)), Math.sqrt(1.5 - Math.sqrt(1.5)), Math.sqrt(1.5 + Math.sqrt(1.5))],
        [
          SQRT_PI / (4 * (3 + Math.sqrt(6))),
          SQRT_PI / (4 * (3 - Math.sqrt(6))),
          SQRT_PI / (4 * (3 - Math.sqrt(6))),
          SQRT_PI / (4 * (3 + Math.sqrt(6))),
        ],
      ],
    ];
    for (const [n, x, w] of cases) {
      const r = gaussHermite(n);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(r.nodes.data[i] - x[i])).toBeLessThan(1e-15 * Math.max(1, Math.abs(x[i])));
        expect(Math.abs(r.weights.data[i] - w[i]) / w[i]).toBeLessThan(1e-14);
      }
    }
  });

  it('n = 10 against reference values (Abramowitz & Stegun table 25.10, NumPy hermgauss) to 1e-14', () => {
    const x = [0.3429013272237046, 1.0366108297895137, 1.7566836492998818, 2.5327316742327897, 3.4361591188377376];
    const w = [0.6108626337353258, 0.2401386110823147, 0.03387439445548106, 0.0013436457467812327, 7.640432855232621e-6];
    const r = gaussHermite(10);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(r.nodes.data[5 + i] - x[i]) / x[i]).toBeLessThan(1e-14);
      expect(Math.abs(r.nodes.data[4 - i] + x[i]) / x[i]).toBeLessThan(1e-14);
      expect(Math.abs(r.weights.data[5 + i] - w[i]) / w[i]).toBeLessThan(1e-13);
    }
  });

  it('is exact for polynomials up to degree 2n − 1 (n = 1..30)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        const { nodes, weights } = gaussHermite(n);
        for (let k = 0; k <= 2 * n - 1; k++) {
          let s = 0, scale = 0;
          for (let i = 0; i < n; i++) {
            s += weights.data[i] * nodes.data[i] ** k;
            scale += weights.data[i] * Math.abs(nodes.data[i]) ** k;
          }
          // Odd moments cancel between ± nodes: compare them against the scale of the terms.
          expect(Math.abs(s - moment(k))).toBeLessThanOrEqual(1e-13 * Math.max(moment(k), scale));
        }
        // and not beyond: for x^(2n) the rule misses by exactly its error constant n!·√π/2ⁿ
        let s = 0, missing = SQRT_PI;
        for (let i = 0; i < n; i++) s += weights.data[i] * nodes.data[i] ** (2 * n);
        for (let j = 1; j <= n; j++) missing *= j / 2;
        expect(Math.abs(s - (moment(2 * n) - missing))).toBeLessThan(1e-13 * moment(2 * n));
      }),
      { numRuns: 30 },
    );
  });

  it('nodes are ascending and symmetric, weights positive and summing to √π, up to n = 300', () => {
    for (const n of [31, 64, 100, 200, GAUSS_HERMITE_MAX_POINTS]) {
      const { nodes, weights } = gaussHermite(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (i > 0) expect(nodes.data[i]).toBeGreaterThan(nodes.data[i - 1]);
        expect(nodes.data[i] === -nodes.data[n - 1 - i]).toBe(true);
        expect(weights.data[i]).toBeGreaterThan(0);
        sum += weights.data[i];
      }
      expect(Math.abs(sum / SQRT_PI - 1)).toBeLessThan(1e-14);
    }
  });

  it('caches rules and rejects invalid n', () => {
    expect(gaussHermite(12)).toBe(gaussHermite(12));
    for (const bad of [0, -1, 2.5, NaN, GAUSS_HERMITE_MAX_POINTS + 1]) {
      expect(() => gaussHermite(bad)).toThrow(InvalidArgumentError);
    }
  });
});
