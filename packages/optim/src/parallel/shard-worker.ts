/**
 * The shard worker: loss and gradient of one shard of a batch, by the objective itself or by `valueAndGrad`. The
 * pool runs it on every thread; a distributed engine can run it anywhere (see docs/SCALE.md).
 * @module
 */
import {
  ArrayValue,
  InvalidArgumentError,
  Tensor,
  type Value,
  isTreeNode,
  type random,
  reshape,
  treeFlatten,
  treeDefEqual,
  treePaths,
  valueAndGrad,
} from '@natgrad/core';
import type { LossAndGrad, ObjectiveResult, Params } from '../index.js';
import type { Batch } from './batch.js';
import type { ShardInfo } from './shards.js';

/**
 * The objective of one shard: the loss of the shard's rows (a sum of per-row terms, so that the batch's loss is the
 * sum over shards), as a scalar written with core ops (differentiated for you) or as `{ loss, grad }`. `key` and
 * `step` are the step's (the same on every shard, so a draw that does not depend on the rows — a sample of the
 * parameters — is the same everywhere); fold `info.start` into the key for per-row noise.
 */
export type ShardObjective<P extends Params = Params> = (
  params: P,
  shard: Batch,
  key: random.Key,
  step: number,
  info: ShardInfo,
) => ObjectiveResult<P>;

/** Loss and gradient of a shard (or, once reduced, of a batch). */
export interface ShardResult<P extends Params = Params> extends LossAndGrad<P> {
  /** The loss, as a number. */
  readonly loss: number;
  /** Its gradient with respect to the parameters, a tree of tensors with their structure and shapes. */
  readonly grad: P;
}

/** Evaluates a {@link ShardObjective} on one shard: what {@link shardWorker} returns. */
export type ShardEvaluator<P extends Params = Params> = (
  params: P,
  shard: Batch,
  key: random.Key,
  step: number,
  info: ShardInfo,
) => ShardResult<P>;

/** Options of {@link shardWorker}. */
export interface ShardWorkerOptions {
  /**
   * `true` when the objective returns a scalar loss (differentiated with `valueAndGrad`), `false` when it returns
   * `{ loss, grad }`. Default: decided by the first call, which then costs one extra, untraced evaluation of a scalar
   * objective.
   */
  readonly differentiate?: boolean;
}

/** The objective returned something that is neither a scalar loss nor a matching `{ loss, grad }`. @internal */
export class BadShardResult extends InvalidArgumentError {}

/**
 * The shard worker: a function that evaluates `objective` on a shard and returns its loss and gradient — on the
 * main thread, in a worker thread, or in a job of a distributed engine; sum the results with {@link sumShards}.
 * @example
 * const evaluate = shardWorker(objective, { differentiate: true });
 * const parts = shardRows(rows, 4).map((s) => evaluate(params, sliceRows(data, s.start, s.end), key, step, s));
 * const { loss, grad } = sumShards(parts);
 * @throws {InvalidArgumentError} (when called) unless `objective` is a function.
 */
export function shardWorker<P extends Params = Params>(objective: ShardObjective<P>, options: ShardWorkerOptions = {}): ShardEvaluator<P> {
  if (typeof objective !== 'function') throw new InvalidArgumentError('shardWorker: objective must be a function (params, shard, key, step, info) => loss');
  let mode = options.differentiate;
  const viaGrad = (params: P, shard: Batch, key: random.Key, step: number, info: ShardInfo): ShardResult<P> => {
    const [value, grad] = valueAndGrad((p: P) => {
      const r = objective(p, shard, key, step, info);
      if (!isScalar(r)) {
        throw new BadShardResult(
          isLossAndGrad(r)
            ? 'shard objective: returned { loss, grad } although differentiate is true'
            : 'shard objective: must return a scalar loss (or { loss, grad } with differentiate: false)',
        );
      }
      return typeof r === 'number' || r.shape.length === 0 ? r : reshape(r, []);
    })(params) as [Value, P];
    return { loss: lossNumber(value), grad };
  };
  const given = (params: P, r: ObjectiveResult<P>): ShardResult<P> => {
    if (!isLossAndGrad(r)) {
      throw new BadShardResult(
        isScalar(r)
          ? 'shard objective: returned a scalar although differentiate is false (return { loss, grad })'
          : 'shard objective: must return { loss, grad } or a scalar loss',
      );
    }
    checkGradient(params, r.grad); // every leaf a tensor: shards' gradients are summed, so none may be missing
    return { loss: lossNumber(r.loss), grad: r.grad as P };
  };
  return (params, shard, key, step, info) => {
    if (mode === true) return viaGrad(params, shard, key, step, info);
    if (mode === false) return given(params, objective(params, shard, key, step, info));
    const r = objective(params, shard, key, step, info);
    if (isLossAndGrad(r)) {
      mode = false;
      return given(params, r);
    }
    if (!isScalar(r)) throw new BadShardResult('shard objective: must return { loss, grad } or a scalar loss');
    mode = true;
    return viaGrad(params, shard, key, step, info);
  };
}

function isLossAndGrad<P extends Params>(r: ObjectiveResult<P>): r is LossAndGrad<P> {
  return isTreeNode(r) && !Array.isArray(r) && 'loss' in r && 'grad' in r;
}

function isScalar(r: unknown): r is Value | number {
  return typeof r === 'number' || (r instanceof ArrayValue && r.size === 1);
}

function lossNumber(loss: unknown): number {
  if (typeof loss === 'number') return loss;
  if (loss instanceof Tensor && loss.size === 1) return loss.data[0];
  throw new BadShardResult(
    `shard objective: the loss must be a number or a concrete scalar Tensor, got ${loss instanceof ArrayValue ? `shape [${loss.shape}]${loss instanceof Tensor ? '' : ' (traced)'}` : typeof loss}`,
  );
}

/** A hand-made gradient must have the parameters' structure and shapes. */
function checkGradient(params: unknown, grad: unknown): void {
  const [pl, pd] = treeFlatten<Tensor>(params);
  const [gl, gd] = treeFlatten<unknown>(grad);
  if (!treeDefEqual(pd, gd)) throw new BadShardResult('shard objective: the gradient does not have the structure of the parameters');
  for (let i = 0; i < gl.length; i++) {
    const g = gl[i];
    const shape = pl[i].shape;
    if (!(g instanceof Tensor) || g.shape.length !== shape.length || g.shape.some((n, j) => n !== shape[j])) {
      const path = treePaths(params)[i] || '<root>';
      throw new BadShardResult(`shard objective: the gradient of "${path}" must be a Tensor of shape [${shape}]`);
    }
  }
}
