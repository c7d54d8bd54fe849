/**
 * The gradient pool on real worker threads (loaded from the TypeScript sources through tsx): the sharded gradient
 * equals the single-thread gradient within 1e-12 relative and is bit-identical to the same shards summed on one
 * thread (so where a shard ran does not matter); batches given per step; a training loop; concurrent steps; typed
 * errors for a throwing, crashing or misbehaving shard, a module that does not load, a closed pool; and no thread
 * left running afterwards (counted in Node's diagnostic report).
 */
import { InvalidArgumentError, Tensor, random } from '@natgrad/core';
import { Adam, type OptimiserState, setup, update } from '@natgrad/optim';
import {
  type Batch,
  type GradientPool,
  GradientPoolError,
  ShardError,
  createGradientPool,
  shardRows,
  shardWorker,
  shareBatch,
  sliceRows,
  sumShards,
} from '@natgrad/optim/parallel';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import logistic, { type LogisticParams, manual } from './fixtures/shard-objectives.js';
import { expectSameBits, logisticData, logisticParams, relativeError } from './parallel/data.js';

const objectives = new URL('./fixtures/shard-objectives.ts', import.meta.url);
const liveWorkers = () => (process.report.getReport() as { workers: unknown[] }).workers.length;
const baseline = liveWorkers();

const N = 4000;
const D = 5;
const data = logisticData(N, D, 42);
const params = logisticParams(D, 7);
const evaluate = shardWorker<LogisticParams>(logistic as never, { differentiate: true });
const single = evaluate(params, data, random.key(0), 0, { index: 0, count: 1, start: 0, end: N, rows: N });

/** The same shards summed on this thread alone. */
function onOneThread(p: LogisticParams, batch: Batch, shards: number, key = random.key(0), step = 0) {
  const rows = batch.y.shape[0];
  return sumShards(shardRows(rows, shards).map((s) => evaluate(p, sliceRows(batch, s.start, s.end), key, step, s)));
}

describe('a pool of 1 worker + the main thread (the default on 2 cores)', () => {
  let pool: GradientPool<LogisticParams>;
  beforeAll(async () => {
    pool = await createGradientPool<LogisticParams>({ module: objectives, data: shareBatch(data), workers: 1, differentiate: true });
  });
  afterAll(() => pool?.close());

  it('equals the single-thread gradient within 1e-12 relative, and the same shards on one thread bit for bit', async () => {
    expect(pool.workers).toBe(1);
    expect(pool.shards).toBe(2);
    const r = await pool.valueAndGrad(params);
    expect(Math.abs(r.loss - single.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(single.loss));
    expect(relativeError(r.grad, single.grad)).toBeLessThanOrEqual(1e-12);
    expect(relativeError(r.grad, manual(params, data).grad)).toBeLessThanOrEqual(1e-12); // the independent route
    const same = onOneThread(params, data, 2);
    expect(r.loss).toBe(same.loss);
    expectSameBits(r.grad, same.grad);
    expectSameBits((await pool.valueAndGrad(params)).grad, r.grad); // reproducible
    expect(r.grad.w).toBeInstanceOf(Tensor);
  });

  it('takes a batch per step (not in shared memory: copied for the step), a key and a step', async () => {
    const batch = sliceRows(data, 1000, 1777);
    const r = await pool.valueAndGrad(params, { x: Tensor.from(batch.x), y: Tensor.from(batch.y) }, random.key(3), 9);
    const expected = evaluate(params, batch, random.key(3), 9, { index: 0, count: 1, start: 0, end: 777, rows: 777 });
    expect(relativeError(r.grad, expected.grad)).toBeLessThanOrEqual(1e-12);
    expectSameBits(r.grad, onOneThread(params, batch, 2, random.key(3), 9).grad);
  });

  it('property: any batch, key and step — within 1e-12 of one thread, and the same shards’ bits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2500 }), fc.integer({ min: 1, max: 7 }), fc.nat(1000), fc.nat(100), async (n, d, seed, step) => {
        const batch = logisticData(n, d, seed);
        const p = logisticParams(d, seed + 1);
        const key = random.key(seed);
        const r = await pool.valueAndGrad(p, shareBatch(batch), key, step);
        const whole = evaluate(p, batch, key, step, { index: 0, count: 1, start: 0, end: n, rows: n });
        expect(Math.abs(r.loss - whole.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(whole.loss));
        expect(relativeError(r.grad, whole.grad)).toBeLessThanOrEqual(1e-12);
        expectSameBits(r.grad, onOneThread(p, batch, 2, key, step).grad);
      }),
      { numRuns: 20 },
    );
  });

  it('runs concurrent steps, each with its own parameters', async () => {
    const ps = [1, 2, 3].map((s) => logisticParams(D, s));
    const rs = await Promise.all(ps.map((p) => pool.valueAndGrad(p)));
    rs.forEach((r, i) => expectSameBits(r.grad, onOneThread(ps[i], data, 2).grad));
  });

  it('drives a training loop: Adam steps on the sharded gradient follow the single-thread run', async () => {
    let [pa, pb] = [params, params];
    let [oa, ob]: OptimiserState[] = [setup(Adam(0.05), params), setup(Adam(0.05), params)];
    for (let t = 0; t < 15; t++) {
      const ga = (await pool.valueAndGrad(pa, undefined, random.key(t), t)).grad;
      const gb = evaluate(pb, data, random.key(t), t, { index: 0, count: 1, start: 0, end: N, rows: N }).grad;
      [oa, pa] = update(oa, pa, ga) as [OptimiserState, LogisticParams];
      [ob, pb] = update(ob, pb, gb) as [OptimiserState, LogisticParams];
    }
    expect(relativeError(pa, pb)).toBeLessThan(1e-10);
    expect(manual(pa, data).loss).toBeLessThan(single.loss); // it trained
  });

  it('rejects bad arguments with typed errors', async () => {
    await expect(pool.valueAndGrad({ w: [1, 2] } as never)).rejects.toThrow(/params: leaf "w.0" must be a concrete Tensor, got number/);
    await expect(pool.valueAndGrad(params, {} as never)).rejects.toThrow(/the batch has no columns/);
    await expect(pool.valueAndGrad(params, undefined, 'k' as never)).rejects.toThrow(InvalidArgumentError);
    await expect(pool.valueAndGrad(params, undefined, undefined, -1)).rejects.toThrow(/step must be a non-negative integer/);
  });
});

describe('other layouts give the same bits', () => {
  it('2 workers without the main thread, and 2 workers + main with 6 shards', async () => {
    const a = await createGradientPool<LogisticParams>({ module: objectives, data: shareBatch(data), workers: 2, mainThread: false });
    try {
      expect(a.shards).toBe(2);
      expectSameBits((await a.valueAndGrad(params)).grad, onOneThread(params, data, 2).grad);
    } finally {
      await a.close();
    }
    const b = await createGradientPool<LogisticParams>({ module: objectives, exportName: 'manual', data: shareBatch(data), workers: 2, shards: 6 });
    try {
      const r = await b.valueAndGrad(params);
      expect(relativeError(r.grad, single.grad)).toBeLessThanOrEqual(1e-12);
      const byHand = sumShards(shardRows(N, 6).map((s) => manual(params, sliceRows(data, s.start, s.end))));
      expectSameBits(r.grad, byHand.grad);
    } finally {
      await b.close();
    }
    expect(liveWorkers()).toBe(baseline);
  });
});

describe('failures', () => {
  it('a shard that throws rejects its step with a ShardError (shard, rows, worker, the worker’s stack); the pool goes on', async () => {
    const pool = await createGradientPool<LogisticParams>({ module: objectives, exportName: 'throwsAtStep3', data: shareBatch(data), workers: 1 });
    try {
      const err = await pool.valueAndGrad(params, undefined, random.key(0), 3).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShardError);
      const e = err as ShardError;
      expect(e.code).toBe('SHARD_FAILED');
      expect(e.reason).toBe('threw');
      expect(e.shard).toEqual({ index: 1, count: 2, start: 2000, end: 4000, rows: 4000 });
      expect(e.step).toBe(3);
      expect(e.thread).toBe(0);
      expect(e.remote?.name).toBe('RangeError');
      expect(e.remote?.message).toBe('shard 1 refuses step 3');
      expect(e.remote?.stack).toMatch(/shard-objectives\.ts/);
      expect(e.message).toMatch(/shard 1 of 2 \(rows 2000…3999\) failed at step 3 on worker 0 \(threw\): RangeError: shard 1 refuses step 3/);
      expectSameBits((await pool.valueAndGrad(params, undefined, random.key(0), 4)).grad, onOneThread(params, data, 2).grad);
    } finally {
      await pool.close();
    }
  });

  it('the main thread’s shard failing is reported the same way, with the error as cause', async () => {
    const pool = await createGradientPool<LogisticParams>({ module: objectives, exportName: 'badAtStep2', data: shareBatch(data), workers: 1, shards: 2 });
    try {
      const e = (await pool.valueAndGrad(params, undefined, undefined, 2).catch((x: unknown) => x)) as ShardError;
      expect(e).toBeInstanceOf(ShardError);
      expect(e.shard.index).toBe(0); // both shards fail; the lowest index is reported
      expect(e.thread).toBe('main');
      expect(e.reason).toBe('bad-result');
      expect(e.cause).toBeInstanceOf(InvalidArgumentError);
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies fails its step as crashed, is replaced, and the next step works', async () => {
    const pool = await createGradientPool<LogisticParams>({ module: objectives, exportName: 'exitsAtStep5', data: shareBatch(data), workers: 1 });
    try {
      expect(liveWorkers()).toBe(baseline + 1);
      const e = (await pool.valueAndGrad(params, undefined, undefined, 5).catch((x: unknown) => x)) as ShardError;
      expect(e).toBeInstanceOf(ShardError);
      expect(e.reason).toBe('crashed');
      expect(e.shard.index).toBe(1);
      expect(e.message).toMatch(/exited with code 7/);
      const r = await pool.valueAndGrad(params, undefined, undefined, 6);
      expectSameBits(r.grad, onOneThread(params, data, 2, random.key(0), 6).grad);
      expect(liveWorkers()).toBe(baseline + 1);
    } finally {
      await pool.close();
    }
    expect(liveWorkers()).toBe(baseline);
  });

  it('a module that does not load, or lacks the export, fails the start cleanly: no thread left', async () => {
    const broken = new URL('./fixtures/broken-module.ts', import.meta.url);
    for (const options of [
      { module: broken, mainThread: false, workers: 2 },
      { module: broken },
      { module: objectives, exportName: 'notAFunction', mainThread: false, workers: 1 },
      { module: objectives, exportName: 'missing' },
    ]) {
      const e = (await createGradientPool(options).catch((x: unknown) => x)) as GradientPoolError;
      expect(e).toBeInstanceOf(GradientPoolError);
      expect(e.reason).toBe('start-failed');
      expect(e.message).toMatch(options.module === broken ? /broken-module: this module cannot be loaded/ : /has no function export "(notAFunction|missing)"/);
      expect(liveWorkers()).toBe(baseline);
    }
  });

  it('close() ends the threads; a step in flight or after it rejects as closed', async () => {
    const pool = await createGradientPool<LogisticParams>({ module: objectives, data: shareBatch(data), workers: 1, mainThread: false });
    const inFlight = pool.valueAndGrad(params);
    await pool.close();
    await pool.close(); // idempotent
    expect(pool.closed).toBe(true);
    await expect(inFlight).rejects.toMatchObject({ reason: 'closed' });
    await expect(pool.valueAndGrad(params)).rejects.toBeInstanceOf(GradientPoolError);
    expect(liveWorkers()).toBe(baseline);
  });

  it('rejects bad options', async () => {
    const cases: [object, RegExp][] = [
      [{ module: './objective.js' }, /file: URL or an absolute path/],
      [{ module: new URL('https://example.com/o.js') }, /must be a file: URL/],
      [{ module: objectives, workers: -1 }, /workers must be an integer/],
      [{ module: objectives, workers: 0, mainThread: false }, /mainThread must be true/],
      [{ module: objectives, shards: 0 }, /shards must be an integer/],
      [{ module: objectives, exportName: '' }, /exportName/],
      [{ module: objectives, differentiate: 'yes' }, /differentiate must be a boolean/],
    ];
    for (const [options, message] of cases) await expect(createGradientPool(options as never)).rejects.toThrow(message);
    expect(liveWorkers()).toBe(baseline);
  });

  it('with no workers, the main thread computes every shard', async () => {
    const pool = await createGradientPool<LogisticParams>({ module: objectives, data, workers: 0, shards: 3 });
    try {
      expectSameBits((await pool.valueAndGrad(params)).grad, onOneThread(params, data, 3).grad);
      await expect(createGradientPool({ module: objectives, workers: 0 }).then((p) => p.valueAndGrad(params))).rejects.toThrow(/no batch given/);
    } finally {
      await pool.close();
    }
  });
});
