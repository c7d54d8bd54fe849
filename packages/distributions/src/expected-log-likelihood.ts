/**
 * Expected log-likelihoods of linear projections f = Xw under w ~ q, by Gauss–Hermite quadrature.
 * @module
 */
import {
  type ArrayInput,
  NonFiniteError,
  ShapeError,
  type Value,
  add,
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
import { checkArray, checkFinite, checkFunction, checkInteger, checkSize, toValue } from './arguments.js';
import { INTERMEDIATE } from './checked-maps.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { computing } from './context.js';
import { InvalidParameterError } from './errors.js';
import { GAUSS_HERMITE_MAX_POINTS, gaussHermite } from './gauss-hermite.js';
import { enumOption, readOptions } from './options.js';
import type { Gaussian, Parametrisation } from './types.js';
import { unravel } from './validate.js';

/**
 * A log-likelihood log p(y | f), vectorised: called with the observations as a column y [N, 1] and function values f
 * [...batch, N, points], it returns the elementwise log densities (broadcast shape [...batch, N, points]). Written
 * with core ops to be differentiable in f (and in any hyperparameter it closes over). −∞ is allowed, NaN is an error.
 */
export type LogLikelihood = (y: Value, f: Value) => ArrayInput;

/** Options of {@link expectedLogLikelihood}. */
export interface ExpectedLogLikelihoodOptions {
  /** Gauss–Hermite points per data point, 1 … 300 (default 20: exact for polynomial log-likelihoods up to degree 39). */
  points?: number;
  /** `'sum'` (default): the total over data points, [...batch]; `'none'`: one value per data point, [...batch, N]. */
  reduce?: 'sum' | 'none';
}

/** Options of {@link gaussHermiteExpectation}. */
export interface GaussHermiteExpectationOptions {
  /** Quadrature points, 1 … 300 (default 20: exact for polynomials in f up to degree 39). */
  points?: number;
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
  const mu = P.unchecked.toMoments(q).mu;
  const scale = P.unchecked.toScale(q);
  const mean = squeeze(matmul(x, expandDims(mu, -1)), -1);
  const variance =
    P.family === 'full'
      ? sum(square(matmul(x, scale)), -1)
      : squeeze(matmul(square(x), expandDims(square(scale), -1)), -1);
  return { mean, variance };
}

/**
 * @internal Checks X [N, D] against q's dimension and y [N] (finite entries), and bounds the [...batch, N, D]
 * product XL; returns them as values.
 */
export function checkDesign(where: string, X: unknown, y: unknown, dim: number, batch: readonly number[]): [Value, Value] {
  const x = checkArray(where, 'X', X), yv = checkArray(where, 'y', y);
  if (x.shape.length !== 2 || x.shape[1] !== dim) {
    throw new ShapeError(`${where}: X must have shape [N, ${dim}] (one row per data point), got [${x.shape.join(', ')}]`);
  }
  const n = x.shape[0];
  if (yv.shape.length !== 1 || yv.shape[0] !== n) {
    const column = yv.shape.length === 2 && yv.shape[0] === n && yv.shape[1] === 1 ? ' (a column [N, 1]: pass it as a vector)' : '';
    throw new ShapeError(`${where}: y must have shape [${n}] (one observation per row of X), got [${yv.shape.join(', ')}]${column}`);
  }
  checkSize(where, 'the product XL', [...batch, n, dim]);
  return [x, yv];
}

/** Quadrature points from an options value, named as the caller's option. */
export function checkPoints(where: string, points: unknown): number {
  return points === undefined ? 20 : checkInteger(where, 'options.points', points, 1, GAUSS_HERMITE_MAX_POINTS);
}

/**
 * @internal The quadrature without argument checks (y [N], mean and variance [...batch, N] with variance ≥ 0); the
 * integrand's output — the caller's code — is checked: its shape, and no NaN.
 */
export function gaussHermiteAt(where: string, label: string, g: LogLikelihood, yv: Value, m: Value, v: Value, points: number): Value {
  const { nodes, weights } = gaussHermite(points);
  // sqrt has an infinite derivative at 0 (e.g. a zero row of X): take it on a safe value there, where f is the mean.
  const positive = greater(v, 0);
  const std = mul(sqrt(mul(select(positive, v, 1), 2)), positive);
  const f = add(expandDims(m, -1), mul(expandDims(std, -1), nodes)); // [...batch, N, points]
  const ll = toValue(where, `the value ${label} returned`, g(expandDims(yv, -1), f));
  const expected = f.shape;
  if (ll.shape.length !== expected.length || ll.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`${where}: ${label} must return shape [${expected.join(', ')}] (broadcast of y and f), got [${ll.shape.join(', ')}]`);
  }
  const d = primalValue(ll).data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== d[i]) {
      const n = Math.floor(i / points) % yv.shape[0];
      throw new NonFiniteError(`${where}: ${label} returned NaN for data point ${n} (y = ${primalValue(yv).data[n]})`, i, d[i]);
    }
  }
  return sum(mul(ll, mul(weights, 1 / Math.sqrt(Math.PI))), -1);
}

/**
 * E[g(yₙ, fₙ)] for independent fₙ ~ N(meanₙ, varianceₙ), by Gauss–Hermite quadrature: Σᵢ wᵢ/√π · g(yₙ, meanₙ +
 * √(2 varianceₙ)·xᵢ), all data points in one call of `g` (y [N]; mean and variance of one shape [...batch, N] →
 * [...batch, N]; `g` gets y as a column [N, 1]). Use it for any model whose likelihood depends on q only through
 * one-dimensional marginals — a sparse GP's q(fₙ), a predictive probability — and {@link expectedLogLikelihood} for
 * the common case f = Xw. Differentiable in the means and variances (a zero variance is handled: f is then the mean).
 * @throws {ShapeError} for y not [N], mean and variance not of one shape [..., N], or `g` not returning the broadcast
 * shape of y and f; {@link @natgrad/core!NonFiniteError} for NaN or ∞ in y, mean or variance, or NaN from `g`;
 * {@link InvalidParameterError} for a negative variance; {@link @natgrad/core!InvalidArgumentError} for a `g` that is
 * not a function, bad options (`points` an integer in 1 … 300) or a grid larger than {@link MAX_ARRAY_SIZE}.
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
  const where = 'gaussHermiteExpectation';
  checkFunction(where, 'g', g);
  const yv = checkArray(where, 'y', y), m = checkArray(where, 'mean', mean), v = checkArray(where, 'variance', variance);
  const points = checkPoints(where, readOptions(where, options, ['points']).points);
  if (yv.shape.length !== 1) throw new ShapeError(`${where}: y must have shape [N], got [${yv.shape.join(', ')}]`);
  const n = yv.shape[0];
  const ms = m.shape;
  if (ms.length < 1 || ms[ms.length - 1] !== n || v.shape.length !== ms.length || v.shape.some((s, i) => s !== ms[i])) {
    throw new ShapeError(
      `${where}: mean and variance must both have shape [..., ${n}] (the last axis matching y), got [${ms.join(', ')}] ` +
        `and [${v.shape.join(', ')}]`,
    );
  }
  const vd = primalValue(v).data;
  for (let i = 0; i < vd.length; i++) {
    if (vd[i] < 0) throw new InvalidParameterError(where, 'variance', unravel(i, v.shape), vd[i], 'must be ≥ 0');
  }
  checkSize(where, 'the quadrature grid', [...ms, points]);
  return gaussHermiteAt(where, 'g', g, yv, m, v, points);
}

/**
 * Σₙ E_q[log p(yₙ | fₙ)] for fₙ = xₙᵀw, w ~ q (any parametrisation; X [N, D], y a vector [N]). Each term is a
 * one-dimensional Gauss–Hermite quadrature under N(xₙᵀμ, xₙᵀΣxₙ), all N (and all Gaussians of a batch) at once in one
 * call of `logLik`, which receives y as a column [N, 1] and f as [...batch, N, points]. Differentiable with respect
 * to q, X, y and whatever `logLik` closes over.
 *
 * The variances come from row sums of (XL)², never from the N × N matrix XΣXᵀ.
 * @throws {ShapeError} for X not [N, D] or y not [N] (a column [N, 1] included), or `logLik` not returning
 * [...batch, N, points]; {@link @natgrad/core!NonFiniteError} for NaN or ∞ in X or y, or NaN from `logLik`;
 * {@link @natgrad/core!InvalidArgumentError} for a `logLik` that is not a function, bad options or a quadrature grid
 * larger than {@link MAX_ARRAY_SIZE}; q's validation errors.
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
  checkFunction(where, 'logLik', logLik);
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const o = readOptions(where, options, ['points', 'reduce']);
  const points = checkPoints(where, o.points);
  const reduce = enumOption(where, 'options.reduce', o.reduce, ['sum', 'none'], 'sum');
  const [x, yv] = checkDesign(where, X, y, c.dim, c.batch);
  checkSize(where, 'the quadrature grid', [...c.batch, x.shape[0], points]);
  const { mean, variance } = computing(where, INTERMEDIATE, () => projectedMoments(P, q, x));
  // Overflow here (a valid but unusable q, or huge X) would reach logLik as NaN and be blamed on it: name it here.
  const hint = 'of f = Xw overflows float64 (are q and X numerically usable? see checkUsable)';
  checkFinite(`${where}: the mean ${hint}`, primalValue(mean));
  checkFinite(`${where}: the variance ${hint}`, primalValue(variance));
  const perPoint = gaussHermiteAt(where, 'logLik', logLik, yv, mean, variance, points);
  return reduce === 'sum' ? sum(perPoint, -1) : perPoint;
}
