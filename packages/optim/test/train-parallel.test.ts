/**
 * `train` with the gradient pool of @natgrad/optim/parallel as its (async) objective, on minibatches from `columns`:
 * each step's batch is sharded over a worker thread and the main thread, and the run follows the single-thread run
 * on the same batches (losses within 1e-12 relative, parameters within 1e-10).
 */
import { Tensor } from '@natgrad/core';
import { Descent, type Objective, type TrainState, columns, train } from '@natgrad/optim';
import { type GradientPool, createGradientPool } from '@natgrad/optim/parallel';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import logistic, { type LogisticParams } from './fixtures/shard-objectives.js';
import { logisticData, logisticParams } from './parallel/data.js';

const objectives = new URL('./fixtures/shard-objectives.ts', import.meta.url);
const data = logisticData(600, 4, 3);
type Rows = { readonly x: Tensor; readonly y: Tensor };

describe('train + gradient pool on columns', () => {
  let pool: GradientPool<LogisticParams>;
  beforeAll(async () => {
    pool = await createGradientPool<LogisticParams>({ module: objectives, workers: 1, differentiate: true });
  });
  afterAll(() => pool?.close());

  it('runs the sharded gradient of each batch as the step’s objective, on the single-thread trajectory', async () => {
    const source = () => columns({ x: data.x, y: data.y }, { batchSize: 128, seed: 5 }); // 5 batches, the last of 88
    const run = (objective: Objective<LogisticParams, Rows>): Promise<TrainState<LogisticParams>[]> =>
      lastValueFrom(train({ data: source(), objective, params: logisticParams(4, 1), optimiser: Descent(1e-3), epochs: 2 }).pipe(toArray()));
    const parallel = await run((p, key, step, b) => pool.valueAndGrad(p, b, key, step));
    const single = await run((p, _key, _step, b) => logistic(p, b));
    expect(parallel).toHaveLength(10);
    expect(parallel.map((s) => [s.epoch, s.batchIndex])).toEqual(single.map((s) => [s.epoch, s.batchIndex]));
    parallel.forEach((s, i) => expect(Math.abs(s.loss - single[i].loss)).toBeLessThanOrEqual(1e-12 * Math.abs(single[i].loss)));
    const [a, b] = [parallel.at(-1)!.params, single.at(-1)!.params];
    for (const k of ['w', 'b'] as const) a[k].data.forEach((v, j) => expect(Math.abs(v - b[k].data[j])).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(b[k].data[j]))));
  });
});
