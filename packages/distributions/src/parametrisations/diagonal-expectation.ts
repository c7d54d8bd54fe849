import { add, mul, sqrt } from '@natgrad/core';
import { diagonalMeanStep, diagonalVarianceStep } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  diagonalExpectationFromMoments,
  diagonalMomentsFromExpectation,
  diagonalMomentsFromNatural,
  diagonalNaturalFromMoments,
} from '../family.js';
import type { ExpectationParameters, Gaussian } from '../types.js';
import { spaces } from '../spaces.js';

function step(q: Gaussian<'eta1' | 'eta2'>, g: ExpectationParameters): Gaussian<'eta1' | 'eta2'> {
  const m = diagonalMomentsFromExpectation(q);
  const dmu = diagonalMeanStep(m.sigma2, m.mu, g);
  return { eta1: dmu, eta2: add(diagonalVarianceStep(m.sigma2, g.eta2), mul(mul(dmu, m.mu), 2)) };
}

/**
 * Expectation parameters of the mean-field Gaussian `{ eta1, eta2 }` = (μ, σ² + μ²), both [..., D], with
 * η₂ − η₁² > 0. Natural gradient: dη₁ = dμ = σ²(g₁ + 2g₂μ), dη₂ = 2σ⁴g₂ + 2μ dμ.
 */
export const diagonalExpectation = defineParametrisation({
  name: 'diagonalExpectation',
  family: 'diagonal',
  coordinates: { eta1: 'vector', eta2: 'vector' },
  toMoments: diagonalMomentsFromExpectation,
  fromMoments: diagonalExpectationFromMoments,
  fromNatural: (theta) => diagonalExpectationFromMoments(diagonalMomentsFromNatural(theta)),
  toNatural: (q) => diagonalNaturalFromMoments(diagonalMomentsFromExpectation(q)),
  fromExpectation: (eta) => ({ eta1: eta.eta1, eta2: eta.eta2 }),
  toExpectation: (q) => ({ eta1: q.eta1, eta2: q.eta2 }),
  toScale: (q) => sqrt(diagonalMomentsFromExpectation(q).sigma2),
  constraints: (q, where, label) => spaces.diagonal.expectation.constraints(q, where, label),
  closedFormNaturalGradient: step,
  closedFormNaturalGradientFromEuclidean: (q, g) => step(q, { eta1: g.eta1, eta2: g.eta2 }),
});
