import { cholesky } from '@natgrad/core';
import { fullCovarianceStep, fullMeanStep } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  fullExpectationFromMoments,
  fullMomentsFromExpectation,
  fullMomentsFromNatural,
  fullNaturalFromMoments,
} from '../family.js';
import { mv } from '../matrix.js';
import { spaces } from '../spaces.js';

/**
 * Mean and covariance `{ mu, Sigma }`: μ [..., D], Σ [..., D, D] symmetric positive definite.
 *
 * Natural gradient (MATH.md): natgrad_μ = Σ ∂L/∂μ, natgrad_Σ = 2Σ (∂L/∂Σ) Σ, with ∂L/∂Σ symmetrised.
 * @example
 * const q = { mu: Tensor.from([0, 0]), Sigma: Tensor.from([[1, 0.5], [0.5, 1]]) };
 * const step = naturalGradientFromEuclidean(meanCovariance, q, { mu: gMu, Sigma: gSigma });
 */
export const meanCovariance = defineParametrisation({
  name: 'meanCovariance',
  family: 'full',
  coordinates: { mu: 'vector', Sigma: 'symmetric' },
  toMoments: (q) => ({ mu: q.mu, Sigma: q.Sigma }),
  fromMoments: (m) => ({ mu: m.mu, Sigma: m.Sigma }),
  fromNatural: fullMomentsFromNatural,
  toNatural: fullNaturalFromMoments,
  fromExpectation: fullMomentsFromExpectation,
  toExpectation: fullExpectationFromMoments,
  toScale: (q) => cholesky(q.Sigma),
  constraints: (q, where, label) => spaces.full.moments.constraints(q, where, label),
  closedFormNaturalGradient: (q, g) => ({ mu: fullMeanStep(q.Sigma, q.mu, g), Sigma: fullCovarianceStep(q.Sigma, g.eta2) }),
  closedFormNaturalGradientFromEuclidean: (q, g) => ({
    mu: mv(q.Sigma, g.mu),
    Sigma: fullCovarianceStep(q.Sigma, g.Sigma),
  }),
});

