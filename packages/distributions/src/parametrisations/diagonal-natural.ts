import { div, mul, sqrt } from '@natgrad/core';
import { diagonalExpectationGradientFromNatural } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  diagonalExpectationFromMoments,
  diagonalMomentsFromExpectation,
  diagonalMomentsFromNatural,
  diagonalNaturalFromMoments,
} from '../family.js';

/**
 * Natural parameters of the mean-field Gaussian `{ theta1, theta2 }` = (μ/σ², −1/(2σ²)), both [..., D], θ₂ < 0.
 * The natural gradient is ∂L/∂η itself.
 */
export const diagonalNatural = defineParametrisation({
  name: 'diagonalNatural',
  family: 'diagonal',
  coordinates: { theta1: 'vector', theta2: 'negative' },
  toMoments: diagonalMomentsFromNatural,
  fromMoments: diagonalNaturalFromMoments,
  fromNatural: (theta) => ({ theta1: theta.theta1, theta2: theta.theta2 }),
  toNatural: (q) => ({ theta1: q.theta1, theta2: q.theta2 }),
  fromExpectation: (eta) => diagonalNaturalFromMoments(diagonalMomentsFromExpectation(eta)),
  toExpectation: (q) => diagonalExpectationFromMoments(diagonalMomentsFromNatural(q)),
  toScale: (q) => sqrt(div(-0.5, q.theta2)),
  constraints: () => {},
  closedFormNaturalGradient: (_q, g) => ({ theta1: g.eta1, theta2: g.eta2 }),
  closedFormNaturalGradientFromEuclidean: (q, g) => {
    const lambda = mul(q.theta2, -2);
    const e = diagonalExpectationGradientFromNatural(lambda, q.theta1, div(q.theta1, lambda), g.theta1, g.theta2);
    return { theta1: e.eta1, theta2: e.eta2 };
  },
});
