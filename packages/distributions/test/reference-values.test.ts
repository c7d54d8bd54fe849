/** MATH.md reference values (conjugate models), to 1e-9: the values are quoted to 10 decimals. */
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, ops } from '@natgrad/core';
import {
  type Gaussian,
  conjugatePosterior,
  convert,
  lossAndNaturalGradient,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
  naturalGradient,
  naturalGradientFromEuclidean,
} from '@natgrad/distributions';
import { elboIn, lossIn, model1d, model2d, q2d, ref2d } from './util/conjugate.js';
import { expectValues } from './util/gaussians.js';

const TOL = 1e-9;
const item = (v: Value) => (v as Tensor).item();

/** One natural-parameter step θ' = θ − γ ∂ℒ/∂η (natgrad_θ = ∂ℒ/∂η, MATH.md). */
function thetaStep(q: Gaussian<'theta1' | 'theta2'>, gEta: { eta1: Value; eta2: Value }, lr: number) {
  return { theta1: ops.sub(q.theta1, ops.mul(lr, gEta.eta1)), theta2: ops.sub(q.theta2, ops.mul(lr, gEta.eta2)) };
}

describe('1-D conjugate model (MATH.md)', () => {
  const q0 = { mu: Tensor.from([0]), Sigma: Tensor.from([[1]]) };

  it('ELBO(q₀) = −1.9189385332', () => {
    expect(Math.abs(item(elboIn(meanCovariance, model1d)(q0)) - -1.9189385332)).toBeLessThan(TOL);
  });

  it('one θ-step of size 1 gives N(0.5, 0.5) with ELBO = log Z = −1.5155121235', () => {
    const theta = convert(q0, meanCovariance, natural);
    const { gradEta } = lossAndNaturalGradient(lossIn(natural, model1d), natural, theta);
    const next = convert(thetaStep(theta, gradEta, 1), natural, meanCovariance);
    expectValues(next.mu, [0.5], TOL, 'μ');
    expectValues(next.Sigma, [[0.5]], TOL, 'Σ');
    expect(Math.abs(item(elboIn(meanCovariance, model1d)(next)) - -1.5155121235)).toBeLessThan(TOL);
    const exact = conjugatePosterior([[1]], [1], 1, meanCovariance, q0);
    expect(Math.abs(item(exact.logMarginalLikelihood) - -1.5155121235)).toBeLessThan(TOL);
  });
});

describe('2-D conjugate model (MATH.md)', () => {
  const prior = { mu: Tensor.from([0, 0]), Sigma: model2d.K };
  const qSigma = convert(q2d, meanCholesky, meanCovariance);

  it('ELBO(q) = −3.2381913580', () => {
    expect(Math.abs(item(elboIn(meanCholesky)(q2d)) - ref2d.elbo)).toBeLessThan(TOL);
  });

  it('Euclidean gradients ∂ℒ/∂μ and ∂ℒ/∂Σ', () => {
    const g = grad(lossIn(meanCovariance))(qSigma);
    const gp = meanCovariance.project(g);
    expectValues(gp.mu, ref2d.gradMu, TOL, '∂ℒ/∂μ');
    expectValues(gp.Sigma, ref2d.gradSigma, TOL, '∂ℒ/∂Σ');
  });

  it('∂ℒ/∂η₁ (= natgrad θ₁) and ∂ℒ/∂η₂ = ∂ℒ/∂Σ, from every parametrisation', () => {
    for (const P of [meanCholesky, meanCovariance, meanPrecision, natural] as const) {
      const q = convert(q2d, meanCholesky, P as never);
      const { gradEta, naturalGradient: ng } = lossAndNaturalGradient(lossIn(P as never), P as never, q);
      expectValues(gradEta.eta1, ref2d.gradEta1, TOL, `${P.name} ∂ℒ/∂η₁`);
      expectValues(gradEta.eta2, ref2d.gradSigma, TOL, `${P.name} ∂ℒ/∂η₂`);
      if (P === natural) {
        expectValues((ng as Record<string, Value>).theta1, ref2d.gradEta1, TOL, 'natgrad θ₁');
      }
    }
  });

  it('natgrad μ is the same in every ξ that has μ, by every method and entry point', () => {
    for (const P of [meanCholesky, meanCovariance, meanPrecision] as const) {
      const q = convert(q2d, meanCholesky, P as never) as Record<string, Value>;
      const { gradEta } = lossAndNaturalGradient(lossIn(P as never), P as never, q);
      const g = grad(lossIn(P as never))(q);
      for (const method of ['ad', 'closed-form'] as const) {
        const a = naturalGradient(P as never, q, gradEta, { method }) as Record<string, Value>;
        const b = naturalGradientFromEuclidean(P as never, q, g, { method }) as Record<string, Value>;
        expectValues(a.mu, ref2d.natgradMu, TOL, `${P.name} ${method} natgrad μ`);
        expectValues(b.mu, ref2d.natgradMu, TOL, `${P.name} ${method} natgrad μ from Euclidean`);
      }
    }
  });

  it('natgrad L in (μ, L) and natgrad Σ in (μ, Σ)', () => {
    for (const method of ['ad', 'closed-form'] as const) {
      const r = lossAndNaturalGradient(lossIn(meanCholesky), meanCholesky, q2d, { method });
      expectValues(r.naturalGradient.L, ref2d.natgradL, TOL, `${method} natgrad L`);
      const s = lossAndNaturalGradient(lossIn(meanCovariance), meanCovariance, qSigma, { method });
      expectValues(s.naturalGradient.Sigma, ref2d.natgradSigma, TOL, `${method} natgrad Σ`);
    }
  });

  it('exact posterior and log Z', () => {
    const exact = conjugatePosterior(ops.eye(2), model2d.y, model2d.noise, meanCovariance, prior);
    expectValues(exact.posterior.mu, ref2d.posteriorMu, TOL, 'posterior μ');
    expectValues(exact.posterior.Sigma, ref2d.posteriorSigma, TOL, 'posterior Σ');
    expect(Math.abs(item(exact.logMarginalLikelihood) - ref2d.logZ)).toBeLessThan(TOL);
    expect(Math.abs(item(elboIn(meanCovariance)(exact.posterior)) - ref2d.logZ)).toBeLessThan(TOL);
  });

  it('one θ-step of size 1 lands on the exact posterior with ELBO = log Z', () => {
    const theta = convert(q2d, meanCholesky, natural);
    const { gradEta } = lossAndNaturalGradient(lossIn(natural), natural, theta);
    const next = convert(thetaStep(theta, gradEta, 1), natural, meanCovariance);
    expectValues(next.mu, ref2d.posteriorMu, TOL, 'μ');
    expectValues(next.Sigma, ref2d.posteriorSigma, TOL, 'Σ');
    expect(Math.abs(item(elboIn(natural)(thetaStep(theta, gradEta, 1))) - ref2d.logZ)).toBeLessThan(TOL);
  });

  it('one (μ, L)-step of size 1 gives ELBO = −3.1301279238 (not optimal)', () => {
    for (const method of ['ad', 'closed-form'] as const) {
      const { naturalGradient: ng } = lossAndNaturalGradient(lossIn(meanCholesky), meanCholesky, q2d, { method });
      const next = { mu: ops.sub(q2d.mu, ng.mu), L: ops.sub(q2d.L, ng.L) };
      expect(Math.abs(item(elboIn(meanCholesky)(next)) - ref2d.elboAfterCholeskyStep)).toBeLessThan(TOL);
      expect(item(elboIn(meanCholesky)(next))).toBeLessThan(ref2d.logZ - 0.1);
    }
  });
});
