/**
 * The model of the demo: a Bayesian linear regression of fuel economy on real data (vega-datasets' cars.json),
 * mpg = w₀ + w₁·horsepower + w₂·weight + w₃·model year + noise, all standardised, with prior w ~ N(0, I).
 *
 * It is conjugate, so the optimum of the ELBO is known exactly: it is log Z, the log marginal likelihood, reached
 * at q = the exact posterior. That is what makes "iterations to reach the optimum" measurable.
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import { type FullMoments, type LogTarget, conjugatePosterior, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { cars, columns, completeRows, fitStandardiser, matrix, vector, withIntercept } from '@natgrad-examples/shared';

/** Predictors (the model year is parsed from "1970-01-01"). */
export const FEATURES = ['Horsepower', 'Weight_in_lbs', 'Year'] as const;

export interface RegressionModel {
  /** Design matrix [N, D]: an intercept column and the standardised features. */
  readonly X: Tensor;
  /** Standardised miles per gallon [N]. */
  readonly y: Tensor;
  /** Noise variance σ² (fixed; see below). */
  readonly noiseVariance: number;
  /** Prior N(0, I). */
  readonly prior: FullMoments;
  /** log π(w) = log p(y | w) + log p(w), for a batch of points w [n, D] → [n]. */
  readonly logTarget: LogTarget;
  /** The exact posterior N(μ, Σ). */
  readonly posterior: FullMoments;
  /** log Z = log p(y): the maximum of the ELBO over all Gaussians. */
  readonly logZ: number;
  /** The exact ELBO of q = N(μ, LLᵀ): log Z − KL(q ‖ posterior) (both Gaussian, so the KL is closed-form). */
  exactElbo(q: { mu: Tensor; L: Tensor }): number;
}

export function carsRegression(): RegressionModel {
  const rows = completeRows(
    cars().map((c) => ({ ...c, Year: Number(c.Year.slice(0, 4)) })),
    ['Miles_per_Gallon', ...FEATURES],
  );
  const features = columns(rows, FEATURES);
  const mpg = columns(rows, ['Miles_per_Gallon']);
  const X = matrix(withIntercept(fitStandardiser(features).apply(features)));
  const y = vector(fitStandardiser(mpg).apply(mpg).map((r) => r[0]));
  const [N, D] = X.shape;

  // σ² is fixed (not learned) to keep the model conjugate: we plug in the least-squares residual variance.
  const Xt = ops.matrixTranspose(X);
  const XtX = ops.matmul(Xt, X);
  const Xty = ops.matmul(Xt, y);
  const wLeastSquares = ops.solve(XtX, Xty);
  const noiseVariance = ops.sum(ops.square(ops.sub(y, ops.matmul(X, wLeastSquares)))).item() / (N - D);

  const prior = { mu: Tensor.zeros([D]), Sigma: Tensor.eye(D) };
  const { posterior, logMarginalLikelihood } = conjugatePosterior(X, y, noiseVariance, meanCovariance, prior);

  // log N(y | Xw, σ²I) needs the data only through XᵀX, Xᵀy and yᵀy, since ‖y − Xw‖² = yᵀy − 2wᵀXᵀy + wᵀXᵀXw:
  // each Monte-Carlo sample then costs O(D²) instead of O(N·D). W holds one sample per row.
  const yty = ops.sum(ops.square(y)).item();
  const constant = -0.5 * N * Math.log(2 * Math.PI * noiseVariance) - 0.5 * D * Math.log(2 * Math.PI);
  const logTarget = (W: Value) => {
    const wXtXw = ops.sum(ops.mul(ops.matmul(W, XtX), W), -1);
    const residual2 = ops.add(ops.sub(wXtXw, ops.mul(2, ops.matmul(W, Xty))), yty);
    const logPrior = ops.mul(-0.5, ops.sum(ops.square(W), -1));
    return ops.add(ops.add(ops.div(residual2, -2 * noiseVariance), logPrior), constant);
  };

  const logZ = logMarginalLikelihood.item();
  return {
    X,
    y,
    noiseVariance,
    prior,
    logTarget,
    posterior: posterior as FullMoments,
    logZ,
    exactElbo: (q) => logZ - kl(meanCholesky, q, meanCovariance, posterior).item(),
  };
}
