import { type Value, cholesky, choleskyInverse, choleskySolve, matmul, matrixTranspose, mul, tril } from '@natgrad/core';
import { defineParametrisation } from '../define.js';
import { fullExpectationFromMoments, fullMomentsFromExpectation } from '../family.js';
import { meanCholeskyStep, meanCholeskyStepFromEuclidean } from '../fused/mean-cholesky-steps.js';
import { choleskyOfInverse, mv, sym } from '../matrix.js';

/**
 * Every map reads L through its lower triangle, as the solves do, so the Euclidean gradient of any function of q
 * is zero above the diagonal: a plain optimiser (Adam on `{ mu, L }`) keeps L lower triangular by itself.
 */
const lower = (l: Value): Value => tril(l);

/**
 * Mean and Cholesky factor `{ mu, L }` with Σ = LLᵀ, L lower triangular with a positive diagonal (GPflow's "sqrt"
 * parametrisation). Only the D(D+1)/2 entries on and below the diagonal are parameters: gradients and steps in L are
 * lower triangular.
 *
 * Natural gradient (MATH.md): natgrad_μ = Σ ∂L/∂μ, natgrad_L = L Φ(Lᵀ ∂L/∂L) with Φ(X) = tril(X) − ½diag(X); from
 * ∂L/∂η = (g₁, G₂): dμ = Σ(g₁ + 2G₂μ), dL = L Φ(2LᵀG₂L).
 * @example
 * const q = { mu: Tensor.from([0.2, -0.1]), L: Tensor.from([[0.8, 0], [0.3, 0.6]]) };
 * const { naturalGradient } = lossAndNaturalGradient((q) => negElbo(q), meanCholesky, q);
 */
export const meanCholesky = defineParametrisation({
  name: 'meanCholesky',
  family: 'full',
  coordinates: { mu: 'vector', L: 'cholesky' },
  toMoments: (q) => {
    const l = lower(q.L);
    return { mu: q.mu, Sigma: sym(matmul(l, matrixTranspose(l))) };
  },
  fromMoments: (m) => ({ mu: m.mu, L: cholesky(m.Sigma) }),
  // One Cholesky of the precision and one triangular inverse (see choleskyOfInverse), then μ = L(Lᵀθ₁): cheaper
  // than factorising Σ = P⁻¹ again, and its JVP is the natural gradient.
  fromNatural: (theta) => {
    const l = choleskyOfInverse(mul(theta.theta2, -2));
    return { mu: mv(l, mv(l, theta.theta1, true)), L: l };
  },
  toNatural: (q) => ({ theta1: choleskySolve(q.L, q.mu), theta2: mul(choleskyInverse(q.L), -0.5) }),
  fromExpectation: (eta) => {
    const m = fullMomentsFromExpectation(eta);
    return { mu: m.mu, L: cholesky(m.Sigma) };
  },
  toExpectation: (q) => {
    const l = lower(q.L);
    return fullExpectationFromMoments({ mu: q.mu, Sigma: matmul(l, matrixTranspose(l)) });
  },
  toScale: (q) => lower(q.L),
  // The structural check of a 'cholesky' coordinate (lower, positive diagonal) is the whole constraint.
  constraints: () => {},
  // One fused primitive per coordinate (src/fused/): triangular loops at small D, blocked gemm at large D; G₂ is read
  // through its symmetric part and G_L through its lower triangle.
  closedFormNaturalGradient: (q, g) => meanCholeskyStep(q, g),
  closedFormNaturalGradientFromEuclidean: (q, g) => meanCholeskyStepFromEuclidean(q, g),
});
