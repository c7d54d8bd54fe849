/** Conversions: round trips between every pair within a family, batches, and the cross-family rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Tensor, type Value, ops } from '@natgrad/core';
import {
  type AnyParametrisation,
  convert,
  diagonal,
  diagonalExpectation,
  diagonalLogScale,
  diagonalNatural,
  expectation,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
} from '@natgrad/distributions';
import { expectGaussianClose, randomIn, rng } from './util/gaussians.js';

const FULL: AnyParametrisation[] = [meanCovariance, meanCholesky, natural, expectation, meanPrecision];
const DIAGONAL: AnyParametrisation[] = [diagonal, diagonalNatural, diagonalExpectation, diagonalLogScale];

/**
 * Round-trip tolerance for condition number κ. Every map is built from backward-stable steps (Cholesky, triangular
 * solves, products), so the forward error relative to a coordinate's largest entry is bounded by c(D)·κ·u with
 * u ≈ 1.1e-16; the worst case observed for D ≤ 6 is ≈ 2.5e-16·κ (expectation coordinates: η₂ = Σ + μμᵀ stores the
 * smallest eigendirections of Σ at the absolute precision of μμᵀ). 1e-14·κ leaves a 40× margin, 1e-13 covers κ ≈ 1.
 */
const tolerance = (cond: number) => 1e-13 + 1e-14 * cond;

/** Condition numbers 1 … 1e8, log-uniform. */
const condArb = fc.double({ min: 0, max: 8, noNaN: true }).map((e) => 10 ** e);

describe.each([
  ['full', FULL],
  ['diagonal', DIAGONAL],
] as const)('%s family', (_, family) => {
  it('every pair round-trips (D = 1..6, κ up to 1e8)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer(), condArb, (d, seed, cond) => {
        for (const A of family) {
          for (const B of family) {
            const q = randomIn(A, d, rng(seed), cond);
            const there = convert(q, A, B);
            expect(Object.keys(there)).toEqual([...B.keys]);
            B.validate(there);
            expectGaussianClose(convert(there, B, A), q, tolerance(cond), `${A.name} → ${B.name} → ${A.name}`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('conversions of a batch equal conversions one by one', () => {
    const next = rng(7);
    for (const A of family) {
      for (const B of family) {
        const q = randomIn(A, 3, next, 100, [2, 2]) as Record<string, Value>;
        const out = convert(q, A, B) as Record<string, Value>;
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) {
            const one = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, ops.slice(v, i, j)]));
            const expected = convert(one, A, B) as Record<string, Value>;
            const got = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, ops.slice(v, i, j)]));
            expectGaussianClose(got, expected, 1e-14, `${A.name} → ${B.name} [${i}, ${j}]`);
          }
        }
      }
    }
  });

  it('converting to the same parametrisation returns q itself', () => {
    for (const A of family) {
      const q = randomIn(A, 2, rng(3));
      expect(convert(q, A, A)).toBe(q);
    }
  });
});

describe('across families', () => {
  it('diagonal → full embeds Σ = diag(σ²)', () => {
    const q = { mu: Tensor.from([1, -2]), sigma2: Tensor.from([0.5, 3]) };
    for (const B of FULL) {
      const m = convert(convert(q, diagonal, B), B, meanCovariance);
      expectGaussianClose(m, { mu: q.mu, Sigma: Tensor.from([[0.5, 0], [0, 3]]) }, 1e-15, B.name);
    }
  });

  it('full → diagonal is refused (it would drop correlations)', () => {
    const q = randomIn(meanCholesky, 2, rng(1));
    expect(() => convert(q, meanCholesky, diagonal)).toThrow(InvalidArgumentError);
    expect(() => convert(q, meanCholesky, diagonal)).toThrow(/drop the correlations/);
  });

  it('natural and expectation coordinates match MATH.md definitions', () => {
    const q = { mu: Tensor.from([1, 2]), Sigma: Tensor.from([[2, 1], [1, 2]]) };
    const inv = Tensor.from([[2 / 3, -1 / 3], [-1 / 3, 2 / 3]]);
    expectGaussianClose(convert(q, meanCovariance, natural), { theta1: ops.matmul(inv, q.mu), theta2: ops.mul(inv, -0.5) }, 1e-15);
    expectGaussianClose(convert(q, meanCovariance, expectation), { eta1: q.mu, eta2: Tensor.from([[3, 3], [3, 6]]) }, 1e-15);
    expectGaussianClose(convert(q, meanCovariance, meanPrecision), { mu: q.mu, Lambda: inv }, 1e-15);
    const d = { mu: Tensor.from([1, 2]), sigma2: Tensor.from([2, 4]) };
    expectGaussianClose(convert(d, diagonal, diagonalNatural), { theta1: Tensor.from([0.5, 0.5]), theta2: Tensor.from([-0.25, -0.125]) }, 1e-15);
    expectGaussianClose(convert(d, diagonal, diagonalExpectation), { eta1: d.mu, eta2: Tensor.from([3, 8]) }, 1e-15);
    expectGaussianClose(convert(d, diagonal, diagonalLogScale), { mu: d.mu, logSigma: Tensor.from([0.5 * Math.log(2), Math.log(2)]) }, 1e-15);
  });
});
