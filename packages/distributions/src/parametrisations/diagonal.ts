import { mul, sqrt } from '@natgrad/core';
import { diagonalMeanStep, diagonalVarianceStep } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  diagonalExpectationFromMoments,
  diagonalMomentsFromExpectation,
  diagonalMomentsFromNatural,
  diagonalNaturalFromMoments,
} from '../family.js';

/**
 * Mean-field Gaussian `{ mu, sigma2 }`: means and variances, both [..., D], Σ = diag(σ²), σ² > 0.
 *
 * Natural gradient, elementwise: natgrad_μ = σ² ∂L/∂μ, natgrad_σ² = 2σ⁴ ∂L/∂σ²; from ∂L/∂η = (g₁, g₂):
 * dμ = σ²(g₁ + 2g₂μ), dσ² = 2σ⁴g₂.
 */
export const diagonal = defineParametrisation({
  name: 'diagonal',
  family: 'diagonal',
  coordinates: { mu: 'vector', sigma2: 'positive' },
  toMoments: (q) => ({ mu: q.mu, sigma2: q.sigma2 }),
  fromMoments: (m) => ({ mu: m.mu, sigma2: m.sigma2 }),
  fromNatural: diagonalMomentsFromNatural,
  toNatural: diagonalNaturalFromMoments,
  fromExpectation: diagonalMomentsFromExpectation,
  toExpectation: diagonalExpectationFromMoments,
  toScale: (q) => sqrt(q.sigma2),
  constraints: () => {},
  closedFormNaturalGradient: (q, g) => ({
    mu: diagonalMeanStep(q.sigma2, q.mu, g),
    sigma2: diagonalVarianceStep(q.sigma2, g.eta2),
  }),
  closedFormNaturalGradientFromEuclidean: (q, g) => ({
    mu: mul(q.sigma2, g.mu),
    sigma2: diagonalVarianceStep(q.sigma2, g.sigma2),
  }),
});
