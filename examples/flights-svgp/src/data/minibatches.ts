/**
 * Minibatches from in-memory columns: each epoch a fresh seeded permutation of the rows (key `foldIn(key(seed),
 * epoch)`, so epoch e is the same whatever ran before it), cut into batches of exactly `batchSize` rows; the last
 * n mod batchSize rows of each epoch's permutation are left out (different ones each epoch), so every step has the
 * same shape and the same N/B scaling.
 */
import { InvalidArgumentError, Tensor, random } from '@natgrad/core';
import type { Batch } from '../model/svgp.js';
import type { Table } from './dataset.js';
import { D } from './features.js';

/** One step's batch and where it stands in the pass over the data. */
export interface Minibatch extends Batch {
  /** Epoch (0-based). */
  readonly epoch: number;
  /** Index of the batch within its epoch. */
  readonly index: number;
}

/** Options of {@link minibatches}. */
export interface MinibatchOptions {
  readonly batchSize: number;
  readonly seed: number;
  /** Maps each delay (minutes) to the model's target; default the identity. */
  readonly target?: { readonly mean: number; readonly std: number };
}

/** Number of batches per epoch. */
export function batchesPerEpoch(n: number, batchSize: number): number {
  return Math.floor(n / batchSize);
}

/**
 * An endless iterable of minibatches over `table` (stop it by leaving the loop). The inputs are gathered into fresh
 * [B, D] tensors (a tensor never shares a buffer that is later written); targets are standardised with `target`.
 * @throws {InvalidArgumentError} if `batchSize` is not an integer in [1, n]
 */
export function* minibatches(table: Table, options: MinibatchOptions): Generator<Minibatch, never> {
  const B = options.batchSize;
  if (!Number.isInteger(B) || B < 1 || B > table.n) {
    throw new InvalidArgumentError(`minibatches: batchSize must be an integer in [1, ${table.n}] (the number of rows), got ${B}`);
  }
  const { mean, std } = options.target ?? { mean: 0, std: 1 };
  const root = random.key(options.seed);
  const perEpoch = batchesPerEpoch(table.n, B);
  for (let epoch = 0; ; epoch++) {
    const order = random.permutation(random.foldIn(root, epoch), table.n);
    for (let index = 0; index < perEpoch; index++) {
      const x = new Float64Array(B * D);
      const y = new Float64Array(B);
      for (let b = 0; b < B; b++) {
        const r = order[index * B + b];
        for (let j = 0; j < D; j++) x[b * D + j] = table.x[r * D + j];
        y[b] = (table.y[r] - mean) / std;
      }
      yield { x: new Tensor(x, [B, D]), y: new Tensor(y, [B]), epoch, index };
    }
  }
}
