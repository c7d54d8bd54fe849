/** Held-out scores of a Gaussian predictive distribution, in the data's units (minutes). */

/** Root mean squared error of the predictive means. */
export function rmse(y: Float64Array, mean: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - mean[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** Negative log predictive density per point, −(1/n) Σ log N(y_i | mean_i, variance_i), in nats. */
export function nlpd(y: Float64Array, mean: Float64Array, variance: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += 0.5 * Math.log(2 * Math.PI * variance[i]) + (y[i] - mean[i]) ** 2 / (2 * variance[i]);
  return s / y.length;
}

/** A method's predictions for the held-out flights: mean and variance of y (noise included), minutes and minutes². */
export interface Predictions {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** RMSE and NLPD of `p` on the delays `y`. */
export function score(y: Float64Array, p: Predictions): { rmse: number; nlpd: number } {
  return { rmse: rmse(y, p.mean), nlpd: nlpd(y, p.mean, p.variance) };
}
