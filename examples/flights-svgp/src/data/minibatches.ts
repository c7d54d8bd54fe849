/**
 * The training flights as a minibatch source for optim's `train`: in-memory columns x [n, D] and the standardised
 * delays y [n], reshuffled every epoch by `columns` (epoch e visits the rows in the order
 * `random.permutation(random.foldIn(random.key(seed), e), n)`, the same whatever ran before, so a resumed run sees
 * the same batches). The last n mod batchSize rows of each epoch's order are left out (`dropLast`; different ones
 * each epoch), so every step has the same shape and the same N/B scaling.
 */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import { type Columns, columns } from '@natgrad/optim';
import type { Batch } from '../model/svgp.js';
import type { Table } from './dataset.js';
import { D } from './features.js';

/** Options of {@link trainingColumns}. */
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
 * The minibatch source over `table`: batches `{ x: [B, D], y: [B] }` (fresh tensors), targets standardised with
 * `target`. Hand it to `train({ data })`; `batch(epoch, index)` reads one batch directly.
 * @throws {InvalidArgumentError} if `batchSize` is not an integer in [1, n]
 */
export function trainingColumns(table: Table, options: MinibatchOptions): Columns<Batch> {
  const B = options.batchSize;
  if (!Number.isInteger(B) || B < 1 || B > table.n) {
    throw new InvalidArgumentError(`trainingColumns: batchSize must be an integer in [1, ${table.n}] (the number of rows), got ${B}`);
  }
  const { mean, std } = options.target ?? { mean: 0, std: 1 };
  const y = new Float64Array(table.n);
  for (let r = 0; r < table.n; r++) y[r] = (table.y[r] - mean) / std;
  // The table is never written after loading: wrap its buffer (the full run has 2.9 M × 8 features) instead of copying.
  const x = new Tensor(table.x.subarray(0, table.n * D), [table.n, D]);
  return columns({ x, y }, { batchSize: B, seed: options.seed, dropLast: true });
}
