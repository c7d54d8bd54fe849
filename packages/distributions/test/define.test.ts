/**
 * User-defined parametrisations (defineParametrisation) and coordinate invariance: the natural gradient is a
 * tangent vector, so in any two parametrisations the results are related by the Jacobian of the conversion.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotPositiveDefiniteError, Tensor, type Value, jvp, ops, random } from '@natgrad/core';
import {
  type AnyParametrisation,
  type ExpectationParameters,
  type Gaussian,
  convert,
  defineParametrisation,
  diagonal,
  diagonalExpectation,
  diagonalLogScale,
  diagonalNatural,
  entropy,
  expectation,
  lossAndNaturalGradient,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
  naturalGradient,
  sample,
  meanLogCholesky,
} from '@natgrad/distributions';
import { elboIn, lossIn, q2d, ref2d } from './util/conjugate.js';
import { expectGaussianClose, expectValues, randn, randomIn, rng } from './util/gaussians.js';

const FULL: AnyParametrisation[] = [meanCovariance, meanCholesky, natural, expectation, meanPrecision, meanLogCholesky];
const DIAGONAL: AnyParametrisation[] = [diagonal, diagonalNatural, diagonalExpectation, diagonalLogScale];

describe('descriptors', () => {
  it('have names, families, keys and coordinates, and are frozen', () => {
    const table = [...FULL, ...DIAGONAL].map((P) => [P.name, P.family, P.keys.join(',')]);
    expect(table).toEqual([
      ['meanCovariance', 'full', 'mu,Sigma'],
      ['meanCholesky', 'full', 'mu,L'],
      ['natural', 'full', 'theta1,theta2'],
      ['expectation', 'full', 'eta1,eta2'],
      ['meanPrecision', 'full', 'mu,Lambda'],
      ['meanLogCholesky', 'full', 'mu,A'],
      ['diagonal', 'diagonal', 'mu,sigma2'],
      ['diagonalNatural', 'diagonal', 'theta1,theta2'],
      ['diagonalExpectation', 'diagonal', 'eta1,eta2'],
      ['diagonalLogScale', 'diagonal', 'mu,logSigma'],
    ]);
    for (const P of [...FULL, ...DIAGONAL]) {
      expect(Object.isFrozen(P)).toBe(true);
      expect(Object.keys(P.coordinates)).toEqual([...P.keys]);
    }
  });

  it('project: symmetrise symmetric coordinates, mask triangular ones, keep vectors', () => {
    const G = Tensor.from([[1, 2], [4, 3]]);
    const v = Tensor.from([1, 2]);
    expect((meanCovariance.project({ mu: v, Sigma: G }).Sigma as Tensor).toArray()).toEqual([[1, 3], [3, 3]]);
    expect((meanCholesky.project({ mu: v, L: G }).L as Tensor).toArray()).toEqual([[1, 0], [4, 3]]);
    expect((meanLogCholesky.project({ mu: v, A: G }).A as Tensor).toArray()).toEqual([[1, 0], [4, 3]]);
    expect(meanCholesky.project({ mu: v, L: G }).mu).toBe(v);
  });
});

describe('a parametrisation defined from its moment maps only (meanLogCholesky)', () => {
  it('reproduces the MATH.md natural gradient of (μ, L) after the change of coordinates', () => {
    const q = convert(q2d, meanCholesky, meanLogCholesky);
    const { loss, naturalGradient: ng } = lossAndNaturalGradient(lossIn(meanLogCholesky), meanLogCholesky, q);
    expect(Math.abs((loss as Tensor).item() + ref2d.elbo)).toBeLessThan(1e-9);
    expectValues(ng.mu, ref2d.natgradMu, 1e-9, 'natgrad μ');
    // A = tril(L, −1) + diag(log diag L): dA = tril(dL, −1) + diag(dLᵢᵢ / Lᵢᵢ).
    const dL = Tensor.from(ref2d.natgradL);
    const dA = ops.add(ops.tril(dL, -1), ops.diag(ops.div(ops.diagonal(dL), ops.diagonal(q2d.L))));
    expectValues(ng.A, (dA as Tensor).toArray() as number[][], 1e-9, 'natgrad A');
  });

  it('gets conversions, sampling and densities for free', () => {
    const q = convert(q2d, meanCholesky, meanLogCholesky);
    expectGaussianClose(convert(q, meanLogCholesky, meanCholesky), q2d, 1e-15);
    expect(Math.abs((entropy(meanLogCholesky, q) as Tensor).item() - (entropy(meanCholesky, q2d) as Tensor).item())).toBeLessThan(1e-15);
    expect(sample(meanLogCholesky, q, random.key(0), 3).shape).toEqual([3, 2]);
    expect(Math.abs((elboIn(meanLogCholesky)(q) as Tensor).item() - (elboIn(meanCholesky)(q2d) as Tensor).item())).toBeLessThan(1e-14);
  });

  it('validation defaults to checking the moments', () => {
    const loose = defineParametrisation({
      name: 'looseCovariance',
      family: 'full',
      coordinates: { mu: 'vector', S: 'symmetric' },
      toMoments: (q) => ({ mu: q.mu, Sigma: q.S }),
      fromMoments: (m) => ({ mu: m.mu, S: m.Sigma }),
    });
    const e = (() => {
      try {
        loose.validate({ mu: Tensor.from([0, 0]), S: Tensor.from([[1, 2], [2, 1]]) });
      } catch (err) {
        return err as Error;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(NotPositiveDefiniteError);
    expect(e!.message).toContain('looseCovariance: the covariance Σ');
  });
});

describe('coordinate invariance: natgrad_B = (∂ξ_B/∂ξ_A) · natgrad_A for every pair in a family', () => {
  it.each([
    ['full', FULL],
    ['diagonal', DIAGONAL],
  ] as const)('%s family', (_, family) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer(), (d, seed) => {
        const next = rng(seed);
        const base = randomIn(family[0], d, next, 20);
        const g: ExpectationParameters = { eta1: randn([d], next), eta2: randn(family[0].family === 'full' ? [d, d] : [d], next) };
        for (const A of family) {
          const qa = convert(base, family[0], A);
          const na = naturalGradient(A, qa, g, { method: 'ad' });
          for (const B of family) {
            const [, pushed] = jvp((x: Gaussian<string>) => convert(x, A, B), [qa], [na]);
            const nb = naturalGradient(B, convert(qa, A, B), g, { method: 'ad' });
            expectGaussianClose(pushed as Record<string, Value>, nb, 1e-9, `${A.name} → ${B.name}`);
          }
        }
      }),
      { numRuns: 6 },
    );
  });
});
