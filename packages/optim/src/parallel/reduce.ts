/**
 * The reducer: the loss and gradient of a batch as the sums of its shards' — the gradient of a sum is the sum of
 * the gradients. Sums in shard order, whatever order the shards finished in, so a result is reproducible.
 * @module
 */
import { InvalidArgumentError, ShapeError, Tensor, type TreeDef, treeDefEqual, treeFlatten, treePaths, treeUnflatten } from '@natgrad/core';
import type { Params } from '../index.js';
import type { ShardResult } from './shard-worker.js';

/**
 * Collects shard results as they arrive, in any order, and sums them in shard order: loss + loss, and the gradients
 * leaf by leaf, each element with Neumaier's compensated summation (so the sum of K shards carries no more rounding
 * than one addition). Where the shards of a batch are evaluated does not change the result; how many there are
 * changes it only by the rounding within each shard.
 * @example
 * const reducer = new ShardReducer(shards.length);
 * for (const r of arrived) reducer.add(r.index, r.result);
 * const { loss, grad } = reducer.result();
 */
export class ShardReducer<P extends Params = Params> {
  private readonly results: (ShardResult<P> | undefined)[];
  private count = 0;

  /**
   * @param shards the number of shards to expect
   * @throws {InvalidArgumentError} unless `shards` is a positive integer.
   */
  constructor(readonly shards: number) {
    if (!Number.isSafeInteger(shards) || shards < 1 || shards > 2 ** 24) {
      throw new InvalidArgumentError(`ShardReducer: shards must be a positive integer (at most 2^24), got ${String(shards)}`);
    }
    this.results = new Array<ShardResult<P> | undefined>(shards).fill(undefined);
  }

  /** Number of shards received so far. */
  get received(): number {
    return this.count;
  }

  /** True when shard `index`'s result has been received (a duplicate of a retried or speculative job can be dropped). */
  has(index: number): boolean {
    return this.results[index] !== undefined;
  }

  /** True once every shard has been received. */
  get complete(): boolean {
    return this.count === this.shards;
  }

  /**
   * Records shard `index`'s result.
   * @throws {InvalidArgumentError} for an index outside 0 … shards − 1, or one received before.
   */
  add(index: number, result: ShardResult<P>): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.shards) {
      throw new InvalidArgumentError(`ShardReducer.add: shard index ${String(index)} is not in 0…${this.shards - 1}`);
    }
    if (this.results[index] !== undefined) throw new InvalidArgumentError(`ShardReducer.add: shard ${index} was already received`);
    this.results[index] = result;
    this.count++;
  }

  /**
   * The sums over all shards.
   * @throws {InvalidArgumentError} while shards are missing (naming the first).
   * @throws {ShapeError} when a shard's gradient differs in structure or shape from shard 0's (naming both).
   */
  result(): ShardResult<P> {
    const missing = this.results.findIndex((r) => r === undefined);
    if (missing >= 0) throw new InvalidArgumentError(`ShardReducer.result: shard ${missing} of ${this.shards} has not been received`);
    return sumShards(this.results as ShardResult<P>[]);
  }
}

/**
 * Sums shard results in the order given (see {@link ShardReducer} for results that arrive out of order).
 * @example const { loss, grad } = sumShards([evaluate(params, a, key, 0, infoA), evaluate(params, b, key, 0, infoB)]);
 * @throws {InvalidArgumentError} for an empty list or a result without a numeric loss.
 * @throws {ShapeError} when gradients differ in structure or shape (naming the shard and the path).
 */
export function sumShards<P extends Params = Params>(results: readonly ShardResult<P>[]): ShardResult<P> {
  if (!Array.isArray(results) || results.length === 0) throw new InvalidArgumentError('sumShards: expected a non-empty array of shard results');
  let def: TreeDef | undefined;
  let first: unknown; // shard 0's gradient, for the paths in error messages
  let sums: Float64Array[] = [];
  let comps: Float64Array[] = [];
  let shapes: (readonly number[])[] = [];
  let loss = 0;
  let lossComp = 0;
  results.forEach((r, s) => {
    if (r === null || typeof r !== 'object' || typeof r.loss !== 'number') {
      throw new InvalidArgumentError(`sumShards: result ${s} must be { loss: number, grad }`);
    }
    [loss, lossComp] = neumaier(loss, lossComp, r.loss);
    const [leaves, d] = treeFlatten<unknown>(r.grad);
    if (def === undefined) {
      def = d;
      first = r.grad;
      shapes = leaves.map((l, i) => tensorLeaf(l, s, first, i).shape);
      sums = leaves.map((l) => new Float64Array((l as Tensor).size));
      comps = leaves.map((l) => new Float64Array((l as Tensor).size));
    } else if (!treeDefEqual(def, d)) {
      throw new ShapeError(`sumShards: the gradient of shard ${s} does not have the structure of shard 0's`);
    }
    for (let i = 0; i < leaves.length; i++) {
      const t = tensorLeaf(leaves[i], s, first, i);
      const shape = shapes[i];
      if (t.shape.length !== shape.length || t.shape.some((n, j) => n !== shape[j])) {
        throw new ShapeError(`sumShards: gradient "${pathOf(first, i)}" of shard ${s} has shape [${t.shape}], shard 0's [${shape}]`);
      }
      accumulate(sums[i], comps[i], t.data);
    }
  });
  const grad = treeUnflatten<P>(
    def as TreeDef,
    sums.map((sum, i) => {
      const c = comps[i];
      for (let j = 0; j < sum.length; j++) if (Number.isFinite(sum[j])) sum[j] += c[j]; // ±∞ stays ±∞, not NaN
      return new Tensor(sum, shapes[i]);
    }),
  );
  return { loss: Number.isFinite(loss) ? loss + lossComp : loss, grad };
}

function tensorLeaf(leaf: unknown, shard: number, tree: unknown, i: number): Tensor {
  if (!(leaf instanceof Tensor)) throw new ShapeError(`sumShards: gradient "${pathOf(tree, i)}" of shard ${shard} is not a Tensor`);
  return leaf;
}

/** The path of leaf `i` (computed only for an error message). */
function pathOf(tree: unknown, i: number): string {
  return treePaths(tree)[i] || '<root>';
}

/** sum += x with Neumaier's compensation, elementwise. */
function accumulate(sum: Float64Array, comp: Float64Array, x: Float64Array): void {
  for (let j = 0; j < sum.length; j++) {
    const s = sum[j];
    const v = x[j];
    const t = s + v;
    comp[j] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    sum[j] = t;
  }
}

function neumaier(sum: number, comp: number, x: number): [number, number] {
  const t = sum + x;
  return [t, comp + (Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum)];
}
