/**
 * Numerical usability: a Gaussian can be valid (every constraint holds in exact arithmetic) and still be useless in
 * float64 — L = diag(1e-200, 1) is a perfect Cholesky factor, but LLᵀ underflows to a singular matrix and the
 * natural parameters overflow. `checkUsable` computes what the library computes with and checks it.
 * @module
 */
import { InvalidArgumentError, NotPositiveDefiniteError, type Tensor, cholesky, mul } from '@natgrad/core';
import { checkFinite } from './arguments.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { computing } from './context.js';
import { describeValue } from './describe.js';
import { type Space, spaces } from './spaces.js';
import { readTree } from './structure.js';
import type { AnyParametrisation, Gaussian, Parametrisation } from './types.js';
import { checkSign } from './validate.js';

/**
 * Cholesky of a concrete matrix (or batch), with a failure named after what it is, and with room to spare: every
 * pivot Lⱼⱼ² must be at least τ·Aⱼⱼ with τ = 100·n·ε. The rounding error of a pivot is about n·ε·Aⱼⱼ, so a matrix
 * closer to singular than that (relative to its own diagonal, which makes the test blind to scale: Σ = diag(1e-34, 1)
 * passes) factorises or not depending on the order of summation; such a Gaussian is degenerate for every practical
 * purpose, and refusing it means that any other Cholesky of it succeeds too.
 */
function factorises(where: string, what: string, m: Tensor): void {
  let l: Tensor;
  try {
    l = cholesky(m) as Tensor;
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(e.pivot, e.pivotValue, e.batchIndex, `${where}: ${what} (not numerically positive definite)`);
    }
    throw e;
  }
  const n = m.shape[m.shape.length - 1];
  const tau = 100 * n * Number.EPSILON;
  const a = m.data;
  const y = l.data;
  for (let o = 0, b = 0; o < a.length; o += n * n, b++) {
    for (let j = 0; j < n; j++) {
      const d = y[o + j * n + j];
      if (!(d * d >= tau * a[o + j * n + j])) {
        throw new NotPositiveDefiniteError(j, d * d, b, `${where}: ${what} (not numerically positive definite: within rounding of singular)`);
      }
    }
  }
}

/**
 * Checks that q is not only valid (`P.validate`) but usable in float64, the way the library computes with it:
 * - the moments are finite and the covariance passes a Cholesky factorisation with a margin — every pivot Lⱼⱼ² at
 *   least 100·n·ε times its diagonal entry, so that no other Cholesky of it can fail (full family) — or σ² > 0
 *   (diagonal);
 * - the natural parameters θ are finite and −2θ₂ passes a Cholesky factorisation with the same margin (or θ₂ < 0);
 * - the expectation parameters η = (μ, Σ + μμᵀ) are finite.
 *
 * A Gaussian that passes gives finite conversions, densities and natural gradients. Use it where a Gaussian is
 * produced by arithmetic (an optimiser's step, a user's update) before it is handed on. Runs on primal values (so
 * also inside transforms) and costs a few conversions and Cholesky factorisations: O(D³) per Gaussian.
 * @param where prefix of error messages (default `"checkUsable"`).
 * @throws the errors of `P.validate`; {@link @natgrad/core!NonFiniteError} naming the quantity that overflows;
 * {@link @natgrad/core!NotPositiveDefiniteError} for a covariance or precision that fails Cholesky;
 * {@link InvalidParameterError} for a diagonal variance or θ₂ of the wrong sign after rounding.
 * @example
 * checkUsable(meanCholesky, { mu, L: Tensor.from([[1e-200, 0], [0, 1]]) }); // NotPositiveDefiniteError: LLᵀ underflows
 */
export function checkUsable<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, where = 'checkUsable'): void {
  if (typeof where !== 'string') throw new InvalidArgumentError(`checkUsable: where must be a string, got ${describeValue(where)}`);
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const Q = c.values as unknown as Gaussian<K>; // primal tensors: nothing below is recorded by a transform
  const bare = (P as AnyParametrisation).unchecked;
  const sp = spaces[P.family];
  // Each computed tree is read like an argument: a user's map that breaks its contract is a typed error here too.
  const computed = (what: string, space: Space, f: () => unknown) => readTree(where, computing(where, what, f), space.coordinates, what).values;
  // Root causes first: the covariance, then what is derived from it (the mean through θ₁σ², the precision).
  const m = computed('the moments of q', sp.moments, () => bare.toMoments(Q));
  if (P.family === 'full') {
    checkFinite(`${where}: the covariance Σ of q`, m.Sigma);
    factorises(where, 'the covariance Σ of q', m.Sigma);
  } else {
    checkFinite(`${where}: the variance σ² of q`, m.sigma2);
    checkSign(where, 'the variance σ² of q', m.sigma2, 1);
  }
  checkFinite(`${where}: the mean μ of q`, m.mu);
  const theta = computed('the natural parameters of q', sp.natural, () => bare.toNatural(Q));
  checkFinite(`${where}: the natural parameter θ₂ of q`, theta.theta2);
  checkFinite(`${where}: the natural parameter θ₁ of q`, theta.theta1);
  if (P.family === 'full') factorises(where, 'the precision −2θ₂ of q', mul(theta.theta2, -2) as Tensor);
  else checkSign(where, 'the natural parameter θ₂ of q', theta.theta2, -1);
  const eta = computed('the expectation parameters of q', sp.expectation, () => bare.toExpectation(Q));
  checkFinite(`${where}: the expectation parameter η₂ of q`, eta.eta2);
}
