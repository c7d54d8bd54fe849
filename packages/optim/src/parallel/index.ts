/**
 * `@natgrad/optim/parallel` (Node only): data-parallel gradients on worker threads. The loss of a batch that is a
 * sum over its rows has the sum of the shards' gradients as its gradient, so one step's batch is split into shards,
 * evaluated on worker threads (and the main thread) over shared memory, and the results summed in a fixed order.
 *
 * - {@link createGradientPool}: the pool; its `valueAndGrad(params, batch?, key?, step?)` is the sharded gradient.
 * - The pieces, usable without the pool (under a distributed engine, say): {@link shardWorker} evaluates one shard,
 *   {@link sumShards} / {@link ShardReducer} sum shard results, {@link shardRows} splits rows deterministically,
 *   {@link sliceRows} and {@link shareBatch} make shards views of shared memory, {@link packTree} /
 *   {@link unpackTree} carry trees across threads.
 *
 * ```ts
 * // objective.ts: the loss of one shard of rows
 * export default (p, shard) => ops.sum(ops.softplus(ops.mul(ops.neg(shard.y), ops.matmul(shard.x, p.w))));
 * // main.ts
 * const pool = await createGradientPool({ module: new URL('./objective.js', import.meta.url), data: shareBatch({ x, y }) });
 * const { loss, grad } = await pool.valueAndGrad(params);
 * await pool.close();
 * ```
 * @module @natgrad/optim/parallel
 */
export { createGradientPool, type GradientPool, type GradientPoolOptions, type ShardedGradient } from './pool.js';
export { shardWorker, type ShardObjective, type ShardEvaluator, type ShardResult, type ShardWorkerOptions } from './shard-worker.js';
export { sumShards, ShardReducer } from './reduce.js';
export { shardRows, type ShardInfo } from './shards.js';
export { type Batch, sliceRows, shareBatch, MAX_BATCH_COLUMNS } from './batch.js';
export { ShardError, GradientPoolError, type ShardFailure, type GradientPoolFailure } from './errors.js';
export { packTree, unpackTree, type PackedTree } from '../worker/packed-tree.js';
export { TransferError } from '../worker/errors.js';
export type { RemoteError } from '../worker/remote-error.js';
