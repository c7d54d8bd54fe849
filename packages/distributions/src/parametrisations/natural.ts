import { mul } from '@natgrad/core';
import { fullExpectationGradientFromNatural } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import {
  fullExpectationFromMoments,
  fullMomentsFromExpectation,
  fullMomentsFromNatural,
  fullNaturalFromMoments,
} from '../family.js';
import { choleskyOfInverse } from '../matrix.js';
import { spaces } from '../spaces.js';

/**
 * Natural parameters `{ theta1, theta2 }` = (Σ⁻¹μ, −½Σ⁻¹); θ₂ symmetric negative definite.
 *
 * In these coordinates the natural gradient is the ordinary gradient in expectation coordinates: natgrad_θ = ∂L/∂η
 * (MATH.md), and a step of size 1 on the conjugate model lands on the exact posterior.
 */
export const natural = defineParametrisation({
  name: 'natural',
  family: 'full',
  coordinates: { theta1: 'vector', theta2: 'symmetric' },
  toMoments: fullMomentsFromNatural,
  fromMoments: fullNaturalFromMoments,
  fromNatural: (theta) => ({ theta1: theta.theta1, theta2: theta.theta2 }),
  toNatural: (q) => ({ theta1: q.theta1, theta2: q.theta2 }),
  fromExpectation: (eta) => fullNaturalFromMoments(fullMomentsFromExpectation(eta)),
  toExpectation: (q) => fullExpectationFromMoments(fullMomentsFromNatural(q)),
  toScale: (q) => choleskyOfInverse(mul(q.theta2, -2)),
  constraints: (q, where, label) => spaces.full.natural.constraints(q, where, label),
  closedFormNaturalGradient: (_q, g) => ({ theta1: g.eta1, theta2: g.eta2 }),
  closedFormNaturalGradientFromEuclidean: (q, g) => {
    const m = fullMomentsFromNatural(q);
    const e = fullExpectationGradientFromNatural(mul(q.theta2, -2), q.theta1, m.mu, g.theta1, g.theta2);
    return { theta1: e.eta1, theta2: e.eta2 };
  },
});
