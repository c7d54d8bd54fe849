/**
 * The ARD squared-exponential (RBF) kernel k(x, x') = s²·exp(−½ Σ_d (x_d − x'_d)²/ℓ_d²), written with core's ops so
 * that one expression serves the primal, reverse mode (the ELBO's gradient) and plain evaluation (prediction).
 */
import { type Value, ops } from '@natgrad/core';

/** Log-hyperparameters of the ARD RBF kernel: log ℓ (one per input column) and log s² (a scalar). */
export type RbfHyperparams<V = Value> = {
  /** log ℓ_d, shape [D]: one lengthscale per feature (automatic relevance determination). */
  readonly logLengthscales: V;
  /** log s², shape []: the prior variance of f. */
  readonly logVariance: V;
};

/**
 * The kernel matrix K(A, B) between the rows of `a` [n, D] and `b` [m, D], shape [n, m].
 *
 * With ã = a/ℓ and b̃ = b/ℓ, k = exp(log s² − ½‖ã − b̃‖²) and ‖ã − b̃‖² = ‖ã‖² + ‖b̃‖² − 2ã·b̃, so the exponent is
 * (log s² − ½‖ã‖²) + (−½‖b̃‖²) + ã·b̃: one [n, D]·[D, m] product and three passes over the [n, m] result instead
 * of an [n, m, D] tensor of differences. Round-off can push a squared distance slightly below 0; clipping the
 * exponent at log s² is the same as clipping it at 0.
 */
export function rbf(a: Value, b: Value, k: RbfHyperparams): Value {
  const inverseLengthscales = ops.exp(ops.neg(k.logLengthscales));
  const as = ops.mul(a, inverseLengthscales);
  const bs = ops.mul(b, inverseLengthscales);
  const rowTerm = ops.sub(k.logVariance, ops.mul(0.5, ops.sum(ops.square(as), -1, true))); // [n, 1]
  const columnTerm = ops.mul(-0.5, ops.sum(ops.square(bs), -1)); // [m]
  const exponent = ops.add(ops.add(ops.matmul(as, ops.matrixTranspose(bs)), rowTerm), columnTerm);
  return ops.exp(ops.minimum(exponent, k.logVariance));
}
