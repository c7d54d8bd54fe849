/**
 * Unbiased minibatch ELBOs (Hoffman et al. 2013, "Stochastic Variational Inference"; Hensman et al. 2013): the
 * likelihood sum of a batch of B of the N data points scaled by N/B, the KL term once per step.
 * @module
 */
import { type ArrayInput, InvalidArgumentError, NonFiniteError, ShapeError, type Value, broadcastShapes, mul, primalValue, sub, sum } from '@natgrad/core';
import { checkInteger, checkNoNaN, toValue } from './arguments.js';
import { readOptions } from './options.js';

/** Options of {@link minibatchElbo}. */
export interface MinibatchElboOptions {
  /** N: the number of data points of the full data set (an integer ≥ the batch size B). */
  dataSize: number;
}

/** Largest data set size: counts up to 2⁵³ − 1 are exact in float64. */
const MAX_DATA_SIZE = Number.MAX_SAFE_INTEGER;

/**
 * N/B: the factor that makes the likelihood sum over a batch of B data points, drawn uniformly without replacement
 * from N, an unbiased estimate of the sum over all N. Use it where the batch's sum is computed in one piece (a
 * closed form over sufficient statistics); {@link minibatchElbo} applies it to per-point terms. A short last batch of
 * an epoch is scaled by its own B.
 * @throws {@link @natgrad/core!InvalidArgumentError} unless both are integers with 1 ≤ batchSize ≤ dataSize < 2⁵³
 * @example minibatchScale(60_000, 128) // 468.75
 */
export function minibatchScale(dataSize: number, batchSize: number): number {
  const where = 'minibatchScale';
  const n = checkInteger(where, 'dataSize', dataSize, 1, MAX_DATA_SIZE);
  const b = checkInteger(where, 'batchSize', batchSize, 1, MAX_DATA_SIZE);
  if (b > n) throw new InvalidArgumentError(`${where}: batchSize ${b} is larger than dataSize ${n}`);
  return n / b;
}

/**
 * The minibatch ELBO (N/B)·Σ_{b=1..B} ℓ_b − KL: ℓ_b = E_q[log p(y_b | f_b)] of the batch's B data points (per point,
 * the last axis of `logLik`, e.g. `expectedGaussianLogLikelihood(Xb, yb, σ², P, q, { reduce: 'none' })`), and the
 * KL divergence of q from the prior counted once. When the batch is a uniformly random B-subset of the N points —
 * any batch of a shuffled epoch, the short last one included — its expectation is the full-data ELBO exactly, and
 * so is the expectation of its gradient (and of its natural gradient: both are linear in the ELBO).
 *
 * `logLik` [...batch, B] (B ≥ 1; a point outside the support may have −∞, not +∞ or NaN) and `kl` [...batch]
 * (a scalar for a single q; +∞ allowed, not −∞ or NaN) broadcast over the batch axes of q. Differentiable in both.
 * @throws {@link @natgrad/core!ShapeError} for a scalar `logLik` or a `kl` that does not broadcast against its batch
 * axes; {@link @natgrad/core!InvalidArgumentError} for non-arrays, B larger than N, or bad options (`dataSize` an
 * integer); {@link @natgrad/core!NonFiniteError} for NaN, +∞ in `logLik` or −∞ in `kl`
 * @example
 * const ell = expectedGaussianLogLikelihood(batch.x, batch.y, noise, meanCholesky, q, { reduce: 'none' });
 * const elbo = minibatchElbo(ell, kl(meanCholesky, q, meanCholesky, prior), { dataSize: N });
 */
export function minibatchElbo(logLik: ArrayInput, kl: ArrayInput, options: MinibatchElboOptions): Value {
  const where = 'minibatchElbo';
  const ll = toValue(where, 'logLik', logLik);
  const k = toValue(where, 'kl', kl);
  const o = readOptions(where, options, ['dataSize']);
  if (o.dataSize === undefined) throw new InvalidArgumentError(`${where}: options.dataSize (the number of data points N) is required`);
  const n = checkInteger(where, 'options.dataSize', o.dataSize, 1, MAX_DATA_SIZE);
  if (ll.shape.length === 0) {
    throw new ShapeError(`${where}: logLik must hold one value per data point of the batch, [..., B], got a scalar (for a batch's sum, use minibatchScale)`);
  }
  const b = ll.shape[ll.shape.length - 1];
  if (b === 0) throw new ShapeError(`${where}: logLik has no data points (its last axis is empty)`);
  if (b > n) throw new InvalidArgumentError(`${where}: logLik has ${b} data points (its last axis), more than options.dataSize = ${n}`);
  const lead = ll.shape.slice(0, -1);
  try {
    broadcastShapes(lead, k.shape, where);
  } catch {
    throw new ShapeError(`${where}: kl [${k.shape.join(', ')}] does not broadcast against the batch axes [${lead.join(', ')}] of logLik [${ll.shape.join(', ')}]`);
  }
  const lld = primalValue(ll).data;
  for (let i = 0; i < lld.length; i++) {
    if (lld[i] !== lld[i] || lld[i] === Infinity) {
      throw new NonFiniteError(`${where}: logLik (a log-likelihood may be −∞, not NaN or +∞)`, i, lld[i], ll.shape);
    }
  }
  const kd = primalValue(k).data;
  for (let i = 0; i < kd.length; i++) {
    if (kd[i] !== kd[i] || kd[i] === -Infinity) throw new NonFiniteError(`${where}: kl (a KL divergence may be +∞, not NaN or −∞)`, i, kd[i], k.shape);
  }
  const elbo = sub(mul(sum(ll, -1), n / b), k);
  checkNoNaN(where, 'the minibatch ELBO', elbo);
  return elbo;
}
