/**
 * Expected log-likelihoods of linear projections f = Xw under w ~ q, by Gauss–Hermite quadrature.
 * @module
 */
import {
  type ArrayInput,
  InvalidArgumentError,
  ShapeError,
  type Tensor,
  type Value,
  add,
  asValue,
  expandDims,
  greater,
  matmul,
  mul,
  primalValue,
  sqrt,
  square,
  squeeze,
  sum,
  where as select,
} from '@natgrad/core';
import { checkParametrisation, validateGaussian } from './checks.js';
import { gaussHermite } from './gauss-hermite.js';
import { checkFinite } from './validate.js';
import type { Gaussian, Parametrisation } from './types.js';

/**
 * A log-likelihood log p(y | f), vectorised: called with observations y [N, 1] and function values f
 * [...batch, N, points], it returns the elementwise log densities (broadcast shape [...batch, N, points]).
 * Written with core ops to be differentiable in f (and in any hyperparameter it closes over).
 */
export type LogLikelihood = (y: Value, f: Value) => ArrayInput;

/** Options of {@link expectedLogLikelihood}. */
export interface ExpectedLogLikelihoodOptions {
  /** Gauss–Hermite points per data point (default 20: exact for polynomial log-likelihoods up to degree 39). */
  points?: number;
  /** `'sum'` (default): the total over data points, [...batch]; `'none'`: one value per data point, [...batch, N]. */
  reduce?: 'sum' | 'none';
}

/** Mean and variance of f = Xw under q, without checks. */
export interface ProjectedMoments {
  /** x_nᵀμ, [...batch, N]. */
  readonly mean: Value;
  /** x_nᵀΣx_n, [...batch, N]. */
  readonly variance: Value;
}

/**
 * @internal Means x_nᵀμ and variances x_nᵀΣx_n of f = Xw. The variances are row sums of (XL)² (or of X²σ² for the
 * diagonal family): O(ND²), and XΣXᵀ (N × N) is never formed.
 */
export function projectedMoments<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, x: Value): ProjectedMoments {
  const mu = P.toMoments(q).mu;
  const scale = P.toScale(q);
  const mean = squeeze(matmul(x, expandDims(mu, -1)), -1);
  const variance =
    P.family === 'full'
      ? sum(square(matmul(x, scale)), -1)
      : squeeze(matmul(square(x), expandDims(square(scale), -1)), -1);
  return { mean, variance };
}

/** @internal Checks X [N, D] against q's dimension and y [N]; returns them as values. */
export function checkDesign(where: string, X: ArrayInput, y: ArrayInput, dim: number): [Value, Value] {
  const x = asValue(X), yv = asValue(y);
  if (x.shape.length !== 2 || x.shape[1] !== dim) {
    throw new ShapeError(`${where}: X must have shape [N, ${dim}] (one row per data point), got [${x.shape.join(', ')}]`);
  }
  if (yv.shape.length !== 1 || yv.shape[0] !== x.shape[0]) {
    throw new ShapeError(`${where}: y must have shape [${x.shape[0]}] to match X, got [${yv.shape.join(', ')}]`);
  }
  checkFinite(`${where}: X`, primalValue(x) as Tensor);
  checkFinite(`${where}: y`, primalValue(yv) as Tensor);
  return [x, yv];
}

/** Options of {@link gaussHermiteExpectation}. */
export interface GaussHermiteExpectationOptions {
  /** Quadrature points (default 20: exact for polynomials in f up to degree 39). */
  points?: number;
  /** @internal Name of the calling function, for error messages. */
  where?: string;
}

/**
 * E[g(yₙ, fₙ)] for independent fₙ ~ N(meanₙ, varianceₙ), by Gauss–Hermite quadrature: Σᵢ wᵢ/√π · g(yₙ, meanₙ +
 * √(2 varianceₙ)·xᵢ), all data points in one call of `g` (y [N], mean and variance [...batch, N] → [...batch, N]).
 * Use it for any model whose likelihood depends on q only through one-dimensional marginals — a sparse GP's q(fₙ),
 * a predictive probability — and {@link expectedLogLikelihood} for the common case f = Xw.
 * Differentiable in the means and variances (a zero variance is handled: f is then the mean).
 * @throws {ShapeError} if `g` does not return the broadcast shape of y and f; {@link InvalidArgumentError} for a bad
 * `points`.
 * @example
 * const p = gaussHermiteExpectation((_y, f) => ops.sigmoid(f), y, mean, variance); // E[σ(f)] per data point
 */
export function gaussHermiteExpectation(
  g: LogLikelihood,
  y: ArrayInput,
  mean: ArrayInput,
  variance: ArrayInput,
  options: GaussHermiteExpectationOptions = {},
): Value {
  const where = options.where ?? 'gaussHermiteExpectation';
  const { nodes, weights } = gaussHermite(options.points ?? 20);
  const m = asValue(mean), v = asValue(variance), yv = asValue(y);
  // sqrt has an infinite derivative at 0 (e.g. a zero row of X): take it on a safe value there, where f is the mean.
  const positive = greater(v, 0);
  const std = mul(sqrt(mul(select(positive, v, 1), 2)), positive);
  const f = add(expandDims(m, -1), mul(expandDims(std, -1), nodes)); // [...batch, N, points]
  const ll = asValue(g(expandDims(yv, -1), f));
  const expected = f.shape;
  if (ll.shape.length !== expected.length || ll.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`${where}: the integrand must return shape [${expected.join(', ')}] (broadcast of y and f), got [${ll.shape.join(', ')}]`);
  }
  return sum(mul(ll, mul(weights, 1 / Math.sqrt(Math.PI))), -1);
}

/**
 * Σₙ E_q[log p(yₙ | fₙ)] for fₙ = xₙᵀw, w ~ q (any parametrisation; X [N, D], y [N]). Each term is a one-dimensional
 * Gauss–Hermite quadrature under N(xₙᵀμ, xₙᵀΣxₙ), all N (and all Gaussians of a batch) at once in one call of
 * `logLik`. Differentiable with respect to q, X, y and whatever `logLik` closes over.
 *
 * The variances come from row sums of (XL)², never from the N × N matrix XΣXᵀ.
 * @throws {ShapeError} for X not [N, D] or y not [N]; {@link InvalidArgumentError} for a bad `points`.
 * @example
 * const bernoulliLogit: LogLikelihood = (y, f) => ops.logSigmoid(ops.mul(ops.sub(ops.mul(2, y), 1), f));
 * const ell = expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q, { points: 32 });
 */
export function expectedLogLikelihood<K extends string>(
  logLik: LogLikelihood,
  X: ArrayInput,
  y: ArrayInput,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  options: ExpectedLogLikelihoodOptions = {},
): Value {
  const where = 'expectedLogLikelihood';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const reduce = options.reduce ?? 'sum';
  if (reduce !== 'sum' && reduce !== 'none') throw new InvalidArgumentError(`${where}: reduce must be 'sum' or 'none', got ${String(reduce)}`);
  const [x, yv] = checkDesign(where, X, y, c.dim);
  const { mean, variance } = projectedMoments(P, q, x);
  const perPoint = gaussHermiteExpectation(logLik, yv, mean, variance, { points: options.points, where });
  return reduce === 'sum' ? sum(perPoint, -1) : perPoint;
}
