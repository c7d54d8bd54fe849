import { add, cholesky, matrixTranspose } from '@natgrad/core';
import { fullCovarianceStep, fullMeanStep } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  fullExpectationFromMoments,
  fullMomentsFromExpectation,
  fullMomentsFromNatural,
  fullNaturalFromMoments,
} from '../family.js';
import { outerBatch } from '../matrix.js';
import { spaces } from '../spaces.js';
import type { ExpectationParameters, Gaussian } from '../types.js';

/** dη = (dμ, dΣ + dμ μᵀ + μ dμᵀ): the push-forward of ∂L/∂η through θ ↦ η. */
function expectationStep(q: Gaussian<'eta1' | 'eta2'>, g: ExpectationParameters): Gaussian<'eta1' | 'eta2'> {
  const m = fullMomentsFromExpectation(q);
  const dmu = fullMeanStep(m.Sigma, m.mu, g);
  const cross = outerBatch(dmu, m.mu);
  return { eta1: dmu, eta2: add(fullCovarianceStep(m.Sigma, g.eta2), add(cross, matrixTranspose(cross))) };
}

/**
 * Expectation parameters `{ eta1, eta2 }` = (μ, Σ + μμᵀ); η₂ symmetric with η₂ − η₁η₁ᵀ positive definite.
 *
 * The natural gradient here is F_θ ∂L/∂η (the Fisher in η is the inverse of the Fisher in θ): the push-forward of
 * ∂L/∂η through θ ↦ η, dη₁ = Σ(g₁ + 2G₂μ), dη₂ = 2ΣG₂Σ + dη₁μᵀ + μdη₁ᵀ.
 */
export const expectation = defineParametrisation({
  name: 'expectation',
  family: 'full',
  coordinates: { eta1: 'vector', eta2: 'symmetric' },
  toMoments: fullMomentsFromExpectation,
  fromMoments: fullExpectationFromMoments,
  fromNatural: (theta) => fullExpectationFromMoments(fullMomentsFromNatural(theta)),
  toNatural: (q) => fullNaturalFromMoments(fullMomentsFromExpectation(q)),
  fromExpectation: (eta) => ({ eta1: eta.eta1, eta2: eta.eta2 }),
  toExpectation: (q) => ({ eta1: q.eta1, eta2: q.eta2 }),
  toScale: (q) => cholesky(fullMomentsFromExpectation(q).Sigma),
  constraints: (q, where, label) => spaces.full.expectation.constraints(q, where, label),
  closedFormNaturalGradient: expectationStep,
  // In η coordinates the Euclidean gradient is ∂L/∂η itself.
  closedFormNaturalGradientFromEuclidean: (q, g) => expectationStep(q, { eta1: g.eta1, eta2: g.eta2 }),
});
