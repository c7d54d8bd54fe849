/**
 * The −minibatch ELBO as a shard objective for `@natgrad/optim/parallel`: the loss of a batch must be the sum of its
 * shards' losses. The expected log-likelihood is a sum over the rows already; the KL is not, so each shard carries the
 * fraction of it that its rows are of the batch. Summed over the shards of a batch of B rows:
 *
 *   Σ_s [(N/B)·Σ_{n∈s} E_q[log p(y_n|f_n)] − (|s|/B)·KL] = (N/B)·Σ_batch E_q[log p(y|f)] − KL,
 *
 * the minibatch ELBO of the whole batch, up to rounding. (The KL on shard 0 alone would sum to the same; spreading it
 * keeps the shards' work equal.) What sharding cannot split: every shard factorises K_ZZ and solves with L_Z itself,
 * O(M³) work per shard besides its O(M²|s|) share of the Gram product.
 */
import { InvalidArgumentError, type Tensor, type Value, ops } from '@natgrad/core';
import type { ShardObjective } from '@natgrad/optim/parallel';
import { type SvgpParams, expectedLogLikelihood, whitenedKl } from './svgp.js';

/**
 * The shard objective −[(N/B)·Σ_shard E_q[log p(y|f)] − (|shard|/B)·KL(q ‖ p)] for `n` = N training points, the
 * batch's rows B and the shard's |shard| taken from the pool's `info`. Export it from a module for
 * `createGradientPool({ module })` (each thread imports it): `export default shardNegativeElbo(2_900_000)`.
 * @throws {InvalidArgumentError} unless `n` is a positive integer
 */
export function shardNegativeElbo(n: number): ShardObjective<SvgpParams> {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`shardNegativeElbo: n must be a positive integer (the training points), got ${String(n)}`);
  return (p, shard, _key, _step, info): Value => {
    const rows = { x: column(shard, 'x'), y: column(shard, 'y') };
    const likelihood = ops.mul(n / info.rows, expectedLogLikelihood(p, rows));
    return ops.neg(ops.sub(likelihood, ops.mul((info.end - info.start) / info.rows, whitenedKl(p.q))));
  };
}

function column(shard: Readonly<Record<string, Tensor>>, name: 'x' | 'y'): Tensor {
  const c = shard[name];
  if (c === undefined) throw new InvalidArgumentError(`shardNegativeElbo: the shard has no column "${name}" (its columns: ${Object.keys(shard).join(', ')})`);
  return c;
}
