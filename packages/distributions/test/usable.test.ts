/**
 * checkUsable: valid is not enough for float64. A Gaussian that passes it converts to finite moments and natural
 * parameters whose covariance and precision pass an independent Cholesky, and has a finite natural gradient.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConcretizationError,
  NatgradError,
  NonFiniteError,
  NotPositiveDefiniteError,
  Tensor,
  type Value,
  cholesky,
  grad,
  ops,
} from '@natgrad/core';
import {
  type AnyParametrisation,
  checkUsable,
  convert,
  defineParametrisation,
  diagonal,
  diagonalNatural,
  meanCholesky,
  meanCovariance,
  natural,
  naturalGradient,
  parametrisations,
} from '@natgrad/distributions';
import { randn, randomIn, rng } from './util/gaussians.js';

const T = Tensor.from;
const ALL = Object.values(parametrisations) as AnyParametrisation[];
const allFinite = (v: Value) => (v as Tensor).data.every((x) => Number.isFinite(x));

describe('checkUsable', () => {
  it('the issue’s example: diag(L) = [1e-200, 1] is valid, but LLᵀ is not numerically positive definite', () => {
    const q = { mu: T([0.2, -0.1]), L: T([[1e-200, 0], [0, 1]]) };
    expect(() => meanCholesky.validate(q)).not.toThrow();
    let e: unknown;
    try {
      checkUsable(meanCholesky, q);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(NotPositiveDefiniteError);
    expect((e as Error).message).toMatch(/^checkUsable: the covariance Σ of q \(not numerically positive definite\)/);
    expect((e as NotPositiveDefiniteError).pivot).toBe(0);
    // and what it protects against: the natural gradient of that q is not finite, which is now a typed error
    const g = { eta1: T([1, 1]), eta2: T([[1, 0], [0, 1]]) };
    expect(() => naturalGradient(meanCholesky, q, g, { method: 'ad' })).toThrow(NonFiniteError);
  });

  it('names what overflows: a precision too large for float64, a diagonal variance that becomes ∞', () => {
    const tiny = { mu: T([0, 0]), Sigma: T([[1e-310, 0], [0, 1]]) }; // Cholesky passes, Σ⁻¹ overflows
    expect(() => meanCovariance.validate(tiny)).not.toThrow();
    // core's linear algebra refuses the overflowing Σ⁻¹ itself: "computing the natural parameters of q"
    expect(() => checkUsable(meanCovariance, tiny)).toThrow(/checkUsable: .*natural parameters of q/);
    expect(() => checkUsable(meanCovariance, tiny)).toThrow(NonFiniteError);
    const flat = { theta1: T([0]), theta2: T([-1e-320]) }; // σ² = −1/(2θ₂) overflows
    expect(() => diagonalNatural.validate(flat)).not.toThrow();
    expect(() => checkUsable(diagonalNatural, flat, 'myStep')).toThrow(/^myStep: the variance σ² of q/);
  });

  it('passes ordinary Gaussians in all ten parametrisations (κ up to 1e8, batches too)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer(), fc.double({ min: 0, max: 8, noNaN: true }), (d, seed, e) => {
        for (const P of ALL) checkUsable(P, randomIn(P, d, rng(seed), 10 ** e, d === 3 ? [2] : []));
      }),
      { numRuns: 20 },
    );
  });

  it('whatever passes survives an independent Cholesky of Σ and −2θ₂ and has a finite natural gradient', () => {
    // Cholesky factors with diagonals of ordinary size or log-uniform over 1e-250 … 1e100: all valid, many not usable.
    // (Integer exponents: fast-check biases doubles towards the bounds of their range.)
    const exponent = fc.oneof(fc.integer({ min: -30, max: 30 }).map((x) => x / 10), fc.integer({ min: -250, max: 100 }));
    const scale = exponent.map((x) => 10 ** x);
    let usable = 0, refused = 0;
    fc.assert(
      fc.property(fc.array(scale, { minLength: 1, maxLength: 4 }), fc.integer(), (diag, seed) => {
        const d = diag.length;
        const next = rng(seed);
        const l = ops.add(ops.tril(randn([d, d], next, 0.3), -1), ops.diag(T(diag))) as Tensor;
        const q = { mu: randn([d], next), L: l };
        try {
          checkUsable(meanCholesky, q);
        } catch (err) {
          expect(err).toBeInstanceOf(NatgradError);
          refused++;
          return;
        }
        usable++;
        const m = convert(q, meanCholesky, meanCovariance);
        expect(() => cholesky(m.Sigma)).not.toThrow();
        const th = convert(q, meanCholesky, natural);
        expect(allFinite(th.theta1) && allFinite(th.theta2)).toBe(true);
        expect(() => cholesky(ops.mul(th.theta2, -2))).not.toThrow();
        const g = { eta1: randn([d], next), eta2: ops.diag(randn([d], next)) as Tensor };
        for (const method of ['ad', 'closed-form'] as const) {
          const ng = naturalGradient(meanCholesky, q, g, { method, validate: false });
          expect(allFinite(ng.mu) && allFinite(ng.L)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    expect(usable).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('runs on primal values: inside grad it neither records nor raises ConcretizationError', () => {
    const q = { mu: T([0.5]), sigma2: T([2]) };
    const g = grad((x: { mu: Value; sigma2: Value }) => {
      checkUsable(diagonal, x);
      return ops.sum(x.sigma2);
    })(q) as { sigma2: Tensor };
    expect(g.sigma2.item()).toBe(1);
    expect(() => grad((s: Value) => (checkUsable(diagonal, { mu: q.mu, sigma2: s }), ops.sum(s)))(q.sigma2)).not.toThrow(ConcretizationError);
  });

  it('a user map that breaks its contract is a typed error, not a TypeError', () => {
    const broken = defineParametrisation({
      name: 'brokenNatural',
      family: 'diagonal',
      coordinates: { mu: 'vector', sigma2: 'positive' },
      toMoments: (q) => ({ mu: q.mu, sigma2: q.sigma2 }),
      fromMoments: (m) => ({ mu: m.mu, sigma2: m.sigma2 }),
      toNatural: (q) => ({ theta1: q.mu }) as never,
      constraints: () => {},
    });
    expect(() => checkUsable(broken, { mu: T([0]), sigma2: T([1]) })).toThrow(/^checkUsable: the natural parameters of q is missing the coordinate "theta2"/);
  });

  it('checks its own arguments', () => {
    expect(() => checkUsable({} as never, {} as never)).toThrow(/^checkUsable: parametrisation must be/);
    expect(() => checkUsable(meanCholesky, null as never)).toThrow(/^checkUsable: q must be a plain object/);
    expect(() => checkUsable(meanCholesky, { mu: T([0]), L: T([[1]]) }, 5 as never)).toThrow(/^checkUsable: where must be a string/);
  });
});
