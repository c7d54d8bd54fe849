import { type ArrayInput, add, cholesky, choleskyInverse, choleskySolve, mul } from '@natgrad/core';
import { fullCovarianceStep } from '../closed-form.js';
import { defineParametrisation } from '../define.js';
import { fullExpectationFromMoments, fullMomentsFromExpectation } from '../family.js';
import { choleskyOfInverse, mv } from '../matrix.js';
import { checkPositiveDefinite } from '../validate.js';

/** Λ⁻¹ from Λ by its Cholesky factor (exactly symmetric). */
const inverseSpd = (a: ArrayInput) => choleskyInverse(cholesky(a));

/**
 * Mean and precision `{ mu, Lambda }`, Λ = Σ⁻¹ symmetric positive definite.
 *
 * Natural gradient (derived like MATH.md's closed forms): since Λ = −2θ₂ is linear in θ, natgrad_Λ = −2 ∂L/∂η₂ =
 * 2Λ (∂L/∂Λ) Λ, and natgrad_μ = Σ ∂L/∂μ = Σ(g₁ + 2G₂μ) as in every parametrisation with μ.
 */
export const meanPrecision = defineParametrisation({
  name: 'meanPrecision',
  family: 'full',
  coordinates: { mu: 'vector', Lambda: 'symmetric' },
  toMoments: (q) => ({ mu: q.mu, Sigma: inverseSpd(q.Lambda) }),
  fromMoments: (m) => ({ mu: m.mu, Lambda: inverseSpd(m.Sigma) }),
  fromNatural: (theta) => {
    const lambda = mul(theta.theta2, -2);
    return { mu: choleskySolve(cholesky(lambda), theta.theta1), Lambda: lambda };
  },
  toNatural: (q) => ({ theta1: mv(q.Lambda, q.mu), theta2: mul(q.Lambda, -0.5) }),
  fromExpectation: (eta) => {
    const m = fullMomentsFromExpectation(eta);
    return { mu: m.mu, Lambda: inverseSpd(m.Sigma) };
  },
  toExpectation: (q) => fullExpectationFromMoments({ mu: q.mu, Sigma: inverseSpd(q.Lambda) }),
  toScale: (q) => choleskyOfInverse(q.Lambda),
  constraints: (q, where, label) => checkPositiveDefinite(where, `${label}.Lambda`, q.Lambda),
  closedFormNaturalGradient: (q, g) => ({
    mu: choleskySolve(cholesky(q.Lambda), add(g.eta1, mul(mv(g.eta2, q.mu), 2))),
    Lambda: mul(g.eta2, -2),
  }),
  closedFormNaturalGradientFromEuclidean: (q, g) => ({
    mu: choleskySolve(cholesky(q.Lambda), g.mu),
    Lambda: fullCovarianceStep(q.Lambda, g.Lambda),
  }),
});
