import { add, cholesky, diag, diagonal, exp, log, matmul, matrixTranspose, tril } from '@natgrad/core';
import { defineParametrisation } from '../define.js';

/**
 * Mean and log-Cholesky factor `{ mu, A }`: L = tril(A, −1) + diag(exp(diag A)), Σ = LLᵀ. Every real lower-triangular
 * A gives a valid Gaussian, so this is the parametrisation to hand to a plain optimiser (Adam, SGD) whose steps know
 * nothing about positive definiteness; the natural gradient in it is still one JVP of the derived θ ↦ (μ, A).
 *
 * Like {@link diagonalLogScale} it is defined from its moment maps alone (no closed form on purpose): everything else
 * is derived by {@link defineParametrisation} and differentiated by AD. Entries of A above the diagonal are not
 * parameters (gradients there are zero).
 * @example
 * const q = convert({ mu, L }, meanCholesky, meanLogCholesky); // { mu, A }
 * const negElbo = (p) => ops.neg(monteCarloElbo(logTarget, meanLogCholesky, p, { samples: 64, key }));
 */
export const meanLogCholesky = defineParametrisation({
  name: 'meanLogCholesky',
  family: 'full',
  coordinates: { mu: 'vector', A: 'lower' },
  toMoments: (q) => {
    const l = logCholeskyFactor(q.A);
    return { mu: q.mu, Sigma: matmul(l, matrixTranspose(l)) };
  },
  fromMoments: (m) => {
    const l = cholesky(m.Sigma);
    return { mu: m.mu, A: add(tril(l, -1), diag(log(diagonal(l)))) };
  },
  toScale: (q) => logCholeskyFactor(q.A),
  // Any finite lower-triangular A is valid: the structural check is the whole constraint.
  constraints: () => {},
});

function logCholeskyFactor(a: Parameters<typeof tril>[0]) {
  return add(tril(a, -1), diag(exp(diagonal(a))));
}
