/**
 * The Bernoulli and Gaussian likelihoods and the conjugate linear-Gaussian model: closed forms to check quadrature
 * and Monte-Carlo estimates against, and the exact posterior natural-gradient VI should reach.
 * @module
 */
import {
  type ArrayInput,
  InvalidArgumentError,
  type Value,
  add,
  broadcastShapes,
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
  primalValue,
  square,
  sub,
  sum,
} from '@natgrad/core';
import { checkNoNaN, checkNotNaN, checkPositiveScalar, checkSize, toValue } from './arguments.js';
import { INTERMEDIATE } from './checked-maps.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { computing } from './context.js';
import { InvalidParameterError } from './errors.js';
import { checkDesign, projectedMoments } from './expected-log-likelihood.js';
import type { LogLikelihood } from './expected-log-likelihood.js';
import { mv, sumLogDiagonal, sym } from './matrix.js';
import { enumOption, readOptions } from './options.js';
import type { DiagonalMoments, FullMoments, Gaussian, Parametrisation } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The Bernoulli log-likelihood with the logit link, log σ((2y − 1)f), for labels y ∈ {0, 1}, as a
 * {@link LogLikelihood} (logistic regression, GP classification). Any other label is an error — in particular ±1
 * labels, which the formula would silently turn into a wrong likelihood: map them with (y + 1)/2 first.
 * @throws {InvalidParameterError} for a label other than 0 or 1 (`key` `"y"`, `index` its flat index in y: the data
 * point n when called by {@link expectedLogLikelihood}); {@link @natgrad/core!NonFiniteError} for NaN in f;
 * {@link @natgrad/core!InvalidArgumentError} if y or f is not an array.
 * @example expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q)
 */
export const bernoulliLogLikelihood: LogLikelihood = (y, f) => {
  const where = 'bernoulliLogLikelihood';
  const yv = toValue(where, 'y', y), fv = toValue(where, 'f', f);
  checkNotNaN(where, 'f', fv);
  broadcastShapes(yv.shape, fv.shape, `${where}: y against f`);
  const labels = primalValue(yv).data;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new InvalidParameterError(where, 'y', [i], labels[i], 'must hold labels 0 or 1 (map ±1 labels with (y + 1) / 2)');
    }
  }
  return logSigmoid(mul(sub(mul(2, yv), 1), fv));
};

/**
 * The Gaussian log-likelihood log N(y | f, σ²) as a {@link LogLikelihood}. `variance` is a positive number or a
 * positive scalar value (a hyperparameter to differentiate, e.g. with Adam beside natural steps for q).
 * @throws {InvalidParameterError} for a variance ≤ 0; {@link @natgrad/core!NonFiniteError} for NaN or ∞;
 * {@link @natgrad/core!ShapeError} for a variance that is not a scalar. The returned function refuses NaN in y or f
 * ({@link @natgrad/core!NonFiniteError}); ±∞ gives −∞.
 * @example expectedLogLikelihood(gaussianLogLikelihood(0.5), X, y, meanCholesky, q)
 */
export function gaussianLogLikelihood(variance: ArrayInput): LogLikelihood {
  const where = 'gaussianLogLikelihood';
  const v = checkPositiveScalar(where, 'variance', variance);
  return (y, f) => {
    const yv = toValue(where, 'y', y), fv = toValue(where, 'f', f);
    checkNotNaN(where, 'y', yv);
    checkNotNaN(where, 'f', fv);
    broadcastShapes(yv.shape, fv.shape, `${where}: y against f`);
    const diff = sub(yv, fv);
    return sub(mul(log(mul(v, 2 * Math.PI)), -0.5), div(square(diff), mul(v, 2)));
  };
}

/**
 * Σₙ E_q[log N(yₙ | xₙᵀw, σ²)] in closed form: −½ log(2πσ²) − ((yₙ − xₙᵀμ)² + xₙᵀΣxₙ)/(2σ²) per data point
 * (X [N, D], y [N], σ² a positive scalar). Options as {@link expectedLogLikelihood} (`reduce`).
 * @throws {InvalidParameterError} for a variance ≤ 0; the argument errors of {@link expectedLogLikelihood}.
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
  const v = checkPositiveScalar(where, 'variance', variance);
  const reduce = enumOption(where, 'options.reduce', readOptions(where, options, ['reduce']).reduce, ['sum', 'none'], 'sum');
  const [x, yv] = checkDesign(where, X, y, c.dim, c.batch);
  const { mean, variance: fv } = computing(where, INTERMEDIATE, () => projectedMoments(P, q, x));
  const perPoint = sub(mul(log(mul(v, 2 * Math.PI)), -0.5), div(add(square(sub(yv, mean)), fv), mul(v, 2)));
  const out = reduce === 'none' ? perPoint : sum(perPoint, -1);
  checkNoNaN(where, 'the expected log-likelihood', out);
  return out;
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
 * y = Xw + ε, ε ~ N(0, σ²I) with σ² a positive scalar: Λ = Σ₀⁻¹ + XᵀX/σ², μ = Λ⁻¹(Σ₀⁻¹μ₀ + Xᵀy/σ²).
 * Differentiable in every argument. log Z uses the N × N marginal covariance, so N² is bounded by
 * {@link MAX_ARRAY_SIZE}.
 * @throws {InvalidParameterError} for a variance ≤ 0; {@link @natgrad/core!InvalidArgumentError} for a batched prior
 * or too many data points; {@link @natgrad/core!NotPositiveDefiniteError} if a factorisation fails numerically; the
 * argument errors of {@link expectedLogLikelihood}.
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
  const c = validateGaussian(P, prior, where, true, 'prior');
  if (c.batch.length > 0) throw new InvalidArgumentError(`${where}: the prior must be a single Gaussian (no batch axes)`);
  const v = checkPositiveScalar(where, 'variance', variance);
  const [x, yv] = checkDesign(where, X, y, c.dim, c.batch);
  const n = x.shape[0];
  checkSize(where, 'the marginal covariance XΣ₀Xᵀ + σ²I', [n, n]);
  const m = P.unchecked.toMoments(prior);
  const p: FullMoments = P.family === 'full' ? (m as FullMoments) : { mu: m.mu, Sigma: diag((m as DiagonalMoments).sigma2) };
  const [mu, Sigma] = computing(where, 'the posterior', () => {
    const l0 = cholesky(p.Sigma);
    const xt = matrixTranspose(x);
    const ll = cholesky(sym(add(choleskyInverse(l0), div(matmul(xt, x), v))));
    return [choleskySolve(ll, add(choleskySolve(l0, p.mu), div(mv(xt, yv), v))), choleskyInverse(ll)];
  });
  // log Z from the N × N marginal covariance XΣ₀Xᵀ + σ²I (the model's evidence, used to check ELBOs against).
  const logZ = computing(where, 'the log marginal likelihood', () => {
    const k = sym(add(matmul(x, matmul(p.Sigma, matrixTranspose(x))), mul(eye(n), v)));
    const lk = cholesky(k);
    const r = sub(yv, mv(x, p.mu));
    const quad = sum(mul(r, choleskySolve(lk, r)));
    return sub(mul(add(quad, n * LOG_2PI), -0.5), sumLogDiagonal(lk));
  });
  checkNoNaN(where, 'the posterior mean', mu);
  checkNoNaN(where, 'the posterior covariance', Sigma);
  checkNoNaN(where, 'the log marginal likelihood', logZ);
  return { posterior: { mu, Sigma }, logMarginalLikelihood: logZ };
}
