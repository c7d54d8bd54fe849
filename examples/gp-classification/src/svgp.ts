/**
 * A sparse variational GP classifier (SVGP, Hensman, Matthews & Ghahramani 2015), whitened.
 *
 * Prior f ~ GP(0, k) with an RBF kernel k(x, x') = s²·exp(−‖x − x'‖²/(2ℓ²)); inducing values u = f(Z) at M fixed
 * points Z. Whitening: u = L_Z v with L_Z = chol(K_ZZ), so the prior of v is N(0, I) whatever the hyperparameters,
 * and q(v) = N(m, LLᵀ) is the Gaussian block (`{ mu, L }`) that natural gradients act on. With A = K_XZ L_Z⁻ᵀ:
 *
 *   q(f_n) = N(a_nᵀm, k(x_n, x_n) − ‖a_n‖² + ‖Lᵀa_n‖²),
 *   ELBO   = Σ_n E_q(f_n)[log σ(±f_n)] − KL(q(v) ‖ N(0, I)),
 *
 * each expectation by Gauss–Hermite quadrature on the 1-D marginal q(f_n).
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import { type LogLikelihood, bernoulliLogLikelihood, gaussHermiteExpectation, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';

/** Log-hyperparameters of the kernel (scalars: Adam steps on them are unconstrained). */
export type KernelParams = { logLengthscale: Tensor; logVariance: Tensor };
export type Whitened = { mu: Tensor; L: Tensor };
/** The whole parameter tree: the Gaussian block for natural steps, the kernel for Adam. */
export type SvgpParams = { q: Whitened; kernel: KernelParams };

/** RBF kernel matrix between the rows of a [n, 2] and b [m, 2]. */
export function rbf(a: Value, b: Value, kernel: { logLengthscale: Value; logVariance: Value }): Value {
  const d2 = ops.sum(ops.square(ops.sub(ops.expandDims(a, 1), ops.expandDims(b, 0))), -1); // [n, m]
  const scaled = ops.div(d2, ops.mul(2, ops.exp(ops.mul(2, kernel.logLengthscale))));
  return ops.mul(ops.exp(kernel.logVariance), ops.exp(ops.neg(scaled)));
}

/** Jitter added to K_ZZ before its Cholesky factorisation (relative to the kernel variance). */
const JITTER = 1e-6;

/** Means and variances of the marginals q(f_n) at the rows of X. */
export function marginals(X: Value, Z: Tensor, p: { q: { mu: Value; L: Value }; kernel: { logLengthscale: Value; logVariance: Value } }) {
  const M = Z.shape[0];
  const variance = ops.exp(p.kernel.logVariance);
  const Kzz = ops.add(rbf(Z, Z, p.kernel), ops.mul(ops.mul(variance, JITTER), Tensor.eye(M)));
  const Lz = ops.cholesky(Kzz);
  const At = ops.triangularSolve(Lz, ops.matrixTranspose(rbf(X, Z, p.kernel)), { lower: true }); // Aᵀ = L_Z⁻¹K_ZX, [M, N]
  const mean = ops.sum(ops.mul(At, ops.expandDims(p.q.mu, -1)), 0); // a_nᵀm
  const explainedPrior = ops.sum(ops.square(At), 0); // ‖a_n‖²
  const fromQ = ops.sum(ops.square(ops.matmul(ops.matrixTranspose(p.q.L), At)), 0); // ‖Lᵀa_n‖²
  // k(x, x) = s² for the RBF kernel; the clip guards against round-off making a variance slightly negative
  const varianceF = ops.add(ops.maximum(ops.sub(variance, explainedPrior), 0), fromQ);
  return { mean, variance: varianceF };
}

/** σ(f): the probability of class 1 given f (y is ignored). */
const classOneProbability: LogLikelihood = (_y, f) => ops.sigmoid(f);

/** The ELBO of the whitened SVGP on data (X, y). */
export function elbo(X: Tensor, y: Tensor, Z: Tensor, p: SvgpParams, points = 20): Value {
  const M = Z.shape[0];
  const { mean, variance } = marginals(X, Z, p);
  const expected = ops.sum(gaussHermiteExpectation(bernoulliLogLikelihood, y, mean, variance, { points }));
  const whitePrior = { mu: Tensor.zeros([M]), Sigma: Tensor.eye(M) };
  return ops.sub(expected, kl(meanCholesky, p.q, meanCovariance, whitePrior));
}

/** Predictive probabilities p(y* = 1 | x*) = E_q[σ(f*)] at the rows of X*. */
export function predict(Xstar: Tensor, Z: Tensor, p: SvgpParams, points = 20): number[] {
  const { mean, variance } = marginals(Xstar, Z, p);
  return (gaussHermiteExpectation(classOneProbability, Tensor.zeros([Xstar.shape[0]]), mean, variance, { points }) as Tensor).toFlatArray();
}
