/**
 * The Gaussian likelihood and the conjugate linear-Gaussian model: closed forms to check quadrature and
 * Monte-Carlo estimates against, and the exact posterior natural-gradient VI should reach.
 * @module
 */
import {
  type ArrayInput,
  InvalidArgumentError,
  type Value,
  add,
  asValue,
  cholesky,
  choleskyInverse,
  choleskySolve,
  diag,
  div,
  eye,
  log,
  logSigmoid,
  matmul,
  matrixTranspose,
  mul,
  square,
  sub,
  sum,
} from '@natgrad/core';
import { checkParametrisation, validateGaussian } from './checks.js';
import { checkDesign, projectedMoments } from './expected-log-likelihood.js';
import type { LogLikelihood } from './expected-log-likelihood.js';
import { mv, sumLogDiagonal, sym } from './matrix.js';
import type { DiagonalMoments, FullMoments, Gaussian, Parametrisation } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The Bernoulli log-likelihood with the logit link, log σ((2y − 1)f), for labels y ∈ {0, 1}, as a
 * {@link LogLikelihood} (logistic regression, GP classification).
 * @example expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q)
 */
export const bernoulliLogLikelihood: LogLikelihood = (y, f) => logSigmoid(mul(sub(mul(2, y), 1), f));

/**
 * The Gaussian log-likelihood log N(y | f, σ²) as a {@link LogLikelihood}. `variance` may be a number or a value
 * (a hyperparameter to differentiate, e.g. with Adam beside natural steps for q).
 * @example expectedLogLikelihood(gaussianLogLikelihood(0.5), X, y, meanCholesky, q)
 */
export function gaussianLogLikelihood(variance: ArrayInput): LogLikelihood {
  const v = asValue(variance);
  return (y, f) => sub(mul(log(mul(v, 2 * Math.PI)), -0.5), div(square(sub(y, f)), mul(v, 2)));
}

/**
 * Σₙ E_q[log N(yₙ | xₙᵀw, σ²)] in closed form: −½ log(2πσ²) − ((yₙ − xₙᵀμ)² + xₙᵀΣxₙ)/(2σ²) per data point.
 * Options as {@link expectedLogLikelihood} (`reduce`).
 */
export function expectedGaussianLogLikelihood<K extends string>(
  X: ArrayInput,
  y: ArrayInput,
  variance: ArrayInput,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  options: { reduce?: 'sum' | 'none' } = {},
): Value {
  const where = 'expectedGaussianLogLikelihood';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const [x, yv] = checkDesign(where, X, y, c.dim);
  const v = asValue(variance);
  const { mean, variance: fv } = projectedMoments(P, q, x);
  const perPoint = sub(mul(log(mul(v, 2 * Math.PI)), -0.5), div(add(square(sub(yv, mean)), fv), mul(v, 2)));
  if (options.reduce === 'none') return perPoint;
  if (options.reduce !== undefined && options.reduce !== 'sum') {
    throw new InvalidArgumentError(`${where}: reduce must be 'sum' or 'none', got ${String(options.reduce)}`);
  }
  return sum(perPoint, -1);
}

/** Result of {@link conjugatePosterior}. */
export interface ConjugatePosterior {
  /** The exact posterior N(μ, Σ) of w, in {@link meanCovariance} coordinates. */
  readonly posterior: FullMoments;
  /** log Z = log N(y | Xμ₀, XΣ₀Xᵀ + σ²I): the maximum of the ELBO. */
  readonly logMarginalLikelihood: Value;
}

/**
 * Exact posterior and log marginal likelihood of the linear-Gaussian model w ~ p (any parametrisation, unbatched),
 * y = Xw + ε, ε ~ N(0, σ²I): Λ = Σ₀⁻¹ + XᵀX/σ², μ = Λ⁻¹(Σ₀⁻¹μ₀ + Xᵀy/σ²). Differentiable in every argument.
 * @example MATH.md's 2-D model: conjugatePosterior(eye(2), [1, -0.5], 0.5, meanCovariance, { mu: [0, 0], Sigma: K })
 */
export function conjugatePosterior<K extends string>(
  X: ArrayInput,
  y: ArrayInput,
  variance: ArrayInput,
  P: Parametrisation<K>,
  prior: Gaussian<K>,
): ConjugatePosterior {
  const where = 'conjugatePosterior';
  checkParametrisation(P, where);
  const c = validateGaussian(P, prior, where);
  if (c.batch.length > 0) throw new InvalidArgumentError(`${where}: the prior must be a single Gaussian (no batch axes)`);
  const [x, yv] = checkDesign(where, X, y, c.dim);
  const v = asValue(variance);
  const m = P.toMoments(prior);
  const p: FullMoments = P.family === 'full' ? (m as FullMoments) : { mu: m.mu, Sigma: diag((m as DiagonalMoments).sigma2) };
  const l0 = cholesky(p.Sigma);
  const xt = matrixTranspose(x);
  const lambda = sym(add(choleskyInverse(l0), div(matmul(xt, x), v)));
  const ll = cholesky(lambda);
  const mu = choleskySolve(ll, add(choleskySolve(l0, p.mu), div(mv(xt, yv), v)));
  // log Z from the N × N marginal covariance XΣ₀Xᵀ + σ²I (the model's evidence, used to check ELBOs against).
  const n = x.shape[0];
  const k = sym(add(matmul(x, matmul(p.Sigma, xt)), mul(eye(n), v)));
  const lk = cholesky(k);
  const r = sub(yv, mv(x, p.mu));
  const quad = sum(mul(r, choleskySolve(lk, r)));
  const logZ = sub(mul(add(quad, n * LOG_2PI), -0.5), sumLogDiagonal(lk));
  return { posterior: { mu, Sigma: choleskyInverse(ll) }, logMarginalLikelihood: logZ };
}
