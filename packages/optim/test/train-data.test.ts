/**
 * `train` with data sources: one batch per step from columns (epochs, positions, resume with the same batches, also
 * through a whole-run checkpoint), iterables, async iterables, Observables and per-epoch data functions; async
 * objectives; failures of the data; option errors.
 */
import { InvalidArgumentError, NonFiniteError, Tensor, type Value, ops, valueAndGrad } from '@natgrad/core';
import { Observable, from, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CheckpointError,
  DataSourceError,
  Descent,
  type TrainState,
  TrainingError,
  columns,
  lastState,
  loadTrainState,
  saveTrainState,
  setup,
  train,
} from '../src/index.js';

type W = { w: Tensor };
type Batch = { readonly x: Tensor; readonly y: Tensor };

/** 23 rows of y = 2x₀ − x₁ + noise-free offsets. */
function table(n = 23) {
  const x = new Float64Array(2 * n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = Math.sin(i + 1);
    x[2 * i + 1] = Math.cos(2 * i);
    y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.1 * ((i % 5) - 2);
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

/** Mean squared error of a batch: its gradient depends on which rows the batch holds. */
const mse = (p: W, _key: unknown, _step: number, b: Batch): Value => ops.mean(ops.square(ops.sub(ops.matmul(b.x, p.w), b.y)));
const w0 = (): W => ({ w: Tensor.zeros([2]) });
const collect = <T>(o: Observable<T>) => lastValueFrom(o.pipe(toArray()));
const rows = (b: Batch) => Array.from(b.y.data);

describe('train with columns', () => {
  it('hands step t batch t mod K of epoch ⌊t/K⌋, reports epoch and batchIndex, and stops after `epochs`', async () => {
    const data = columns(table(), { batchSize: 5, seed: 7 });
    expect(data.batchesPerEpoch).toBe(5); // 4 × 5 rows and a last batch of 3
    const seen: { step: number; batch: Batch }[] = [];
    const states = await collect(
      train({
        data,
        objective: (p: W, key, step, b) => {
          seen.push({ step, batch: b });
          return mse(p, key, step, b);
        },
        params: w0(),
        optimiser: Descent(0.1),
        epochs: 3,
        yieldEvery: 4,
        differentiate: true, // one call per step (no detecting call)
      }),
    );
    expect(states).toHaveLength(15);
    states.forEach((s, t) => {
      expect([s.step, s.epoch, s.batchIndex]).toEqual([t + 1, Math.floor(t / 5), t % 5]);
      expect(rows(seen[t].batch)).toEqual(rows(data.batch(s.epoch, s.batchIndex)));
    });
    expect(seen.map((s) => s.batch.y.shape[0])).toEqual([5, 5, 5, 5, 3, 5, 5, 5, 5, 3, 5, 5, 5, 5, 3]);
    // steps stops a run within an epoch
    const short = await collect(train({ data, objective: mse, params: w0(), optimiser: Descent(0.1), steps: 7 }));
    expect(short.map((s) => [s.epoch, s.batchIndex]).at(-1)).toEqual([1, 1]);
  });

  it('a run resumed from any state — or from its whole-run checkpoint — sees the same batches and ends bit for bit equal', async () => {
    const data = columns(table(), { batchSize: 4, seed: 1 }); // 6 batches per epoch, the last of 3 rows
    const run = (o: Partial<Parameters<typeof train<W, Batch>>[0]>) =>
      collect(train<W, Batch>({ data, objective: mse, steps: 20, yieldEvery: 3, ...o } as never));
    const full = await run({ params: w0(), optimiser: Adam(0.05) });
    for (const at of [3, 6, 11]) {
      const from = full[at - 1];
      for (const initialState of [from, loadTrainState<W>(saveTrainState(from))]) {
        expect([initialState.epoch, initialState.batchIndex]).toEqual([from.epoch, from.batchIndex]);
        const rest = await run({ initialState });
        expect(rest.map((s) => [s.step, s.epoch, s.batchIndex])).toEqual(full.slice(at).map((s) => [s.step, s.epoch, s.batchIndex]));
        expect(Array.from(rest.at(-1)!.params.w.data)).toEqual(Array.from(full.at(-1)!.params.w.data));
        expect(rest.map((s) => s.loss)).toEqual(full.slice(at).map((s) => s.loss));
      }
    }
  });

  it('a whole-run checkpoint refuses a bad position, and one without a position (an older file) starts after step − 1', async () => {
    const data = columns(table(), { batchSize: 4, seed: 1 });
    const s = await lastState(train<W, Batch>({ data, objective: mse, params: w0(), optimiser: Descent(0.1), steps: 8 }));
    const doc = JSON.parse(saveTrainState(s!));
    expect([doc.run.epoch, doc.run.batchIndex]).toEqual([1, 1]);
    const edited = (run: object) => JSON.stringify({ ...doc, run: { ...doc.run, ...run } });
    for (const [field, value] of [['epoch', -1], ['epoch', 1.5], ['batchIndex', -2], ['batchIndex', '3'], ['epoch', null]] as const) {
      expect(() => loadTrainState(edited({ [field]: value }), { verifyChecksum: false })).toThrow(CheckpointError);
      expect(() => loadTrainState(edited({ [field]: value }), { verifyChecksum: false })).toThrow(new RegExp(`run\\.${field}`));
    }
    const { epoch: _e, batchIndex: _b, ...older } = doc.run;
    const loaded = loadTrainState<W>(JSON.stringify({ ...doc, run: older }), { verifyChecksum: false });
    expect([loaded.epoch, loaded.batchIndex]).toEqual([0, 7]);
  });

  it('without data the objective gets undefined and the run is one epoch: epoch 0, batchIndex = step − 1', async () => {
    const args: unknown[] = [];
    const states = await collect(
      train({ objective: (p: W, ...rest: unknown[]) => (args.push(rest[2]), ops.sum(ops.square(p.w))), params: w0(), optimiser: Descent(0.1), steps: 3 }),
    );
    expect(args).toEqual([undefined, undefined, undefined, undefined]); // + the detecting call
    expect(states.map((s) => [s.epoch, s.batchIndex])).toEqual([[0, 0], [0, 1], [0, 2]]);
  });
});

describe('train with streams of batches', () => {
  const batches = (k: number): Batch[] => {
    const d = columns(table(), { batchSize: 4, shuffle: false });
    return Array.from({ length: k }, (_, i) => d.batch(0, i % d.batchesPerEpoch));
  };
  const reference = async (k: number) => collect(train({ data: batches(k), objective: mse, params: w0(), optimiser: Descent(0.2) }));

  it('takes arrays, generators, async generators and Observables alike, one batch per step, and completes when they end', async () => {
    const ref = await reference(5);
    expect(ref).toHaveLength(5);
    async function* agen() {
      for (const b of batches(5)) {
        await new Promise((r) => setTimeout(r, 1));
        yield b;
      }
    }
    function* gen() {
      yield* batches(5);
    }
    const timed = new Observable<Batch>((s) => {
      const bs = batches(5);
      let i = 0;
      const id = setInterval(() => (i < bs.length ? s.next(bs[i++]) : s.complete()), 2);
      return () => clearInterval(id);
    });
    for (const data of [gen(), agen(), from(batches(5)), timed]) {
      const states = await collect(train<W, Batch>({ data, objective: mse, params: w0(), optimiser: Descent(0.2) }));
      expect(states.map((s) => s.loss)).toEqual(ref.map((s) => s.loss));
      expect(states.map((s) => [s.epoch, s.batchIndex])).toEqual([0, 1, 2, 3, 4].map((i) => [0, i]));
    }
  });

  it('closes a generator when the run stops early (take, steps) and unsubscribes an Observable', async () => {
    let closed = 0;
    function* endless() {
      try {
        for (;;) yield* batches(1);
      } finally {
        closed++;
      }
    }
    async function* asyncEndless() {
      try {
        for (;;) yield* batches(1);
      } finally {
        closed++;
      }
    }
    await collect(train<W, Batch>({ data: endless(), objective: mse, params: w0(), optimiser: Descent(0.1), steps: 4 }));
    await collect(train<W, Batch>({ data: asyncEndless(), objective: mse, params: w0(), optimiser: Descent(0.1) }).pipe(take(3)));
    await new Promise((r) => setTimeout(r, 0)); // an async generator's return() settles asynchronously
    expect(closed).toBe(2);
    let unsubscribed = false;
    const hot = new Observable<Batch>((s) => {
      const id = setInterval(() => s.next(batches(1)[0]), 1);
      return () => {
        unsubscribed = true;
        clearInterval(id);
      };
    });
    const states = await collect(train<W, Batch>({ data: hot, objective: mse, params: w0(), optimiser: Descent(0.1), steps: 3 }));
    expect(states).toHaveLength(3);
    expect(unsubscribed).toBe(true);
  });

  it('a data function is called once per epoch; a resumed run calls it for its epoch and skips the batches used', async () => {
    const calls: number[] = [];
    const perEpoch = (e: number) => {
      calls.push(e);
      const d = columns(table(), { batchSize: 8, seed: e }); // 3 batches per epoch
      return (function* () {
        for (let i = 0; i < d.batchesPerEpoch; i++) yield d.batch(0, i);
      })();
    };
    const full = await collect(train<W, Batch>({ data: perEpoch, objective: mse, params: w0(), optimiser: Adam(0.1), epochs: 3 }));
    expect(calls).toEqual([0, 1, 2]);
    expect(full.map((s) => [s.epoch, s.batchIndex])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
    calls.length = 0;
    const rest = await collect(train<W, Batch>({ data: perEpoch, objective: mse, initialState: full[3], epochs: 3 }));
    expect(calls).toEqual([1, 2]);
    expect(rest.map((s) => s.loss)).toEqual(full.slice(4).map((s) => s.loss));
    expect(rest.at(-1)!.params.w.data).toEqual(full.at(-1)!.params.w.data);
  });

  it('fails with data-failed (and the last good state) when the data throw, reject or error, or an epoch is empty', async () => {
    const failing = async (data: unknown) => {
      const err = await lastValueFrom(train({ data: data as never, objective: mse, params: w0(), optimiser: Descent(0.1), steps: 10 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainingError);
      expect((err as TrainingError).reason).toBe('data-failed');
      return err as TrainingError;
    };
    function* throwsAt2() {
      yield* batches(2);
      throw new Error('disk gone');
    }
    let e = await failing(throwsAt2());
    expect([e.step, e.lastGoodState?.step, (e.cause as Error).message]).toEqual([2, 2, 'disk gone']);
    async function* rejects() {
      yield batches(1)[0];
      throw new Error('network');
    }
    e = await failing(rejects());
    expect([e.step, (e.cause as Error).message]).toEqual([1, 'network']);
    e = await failing(new Observable((s) => (s.next(batches(1)[0]), s.error(new Error('upstream')))));
    expect([e.step, (e.cause as Error).message]).toEqual([1, 'upstream']);
    e = await failing((ep: number) => (ep === 0 ? batches(2) : []));
    expect(e.step).toBe(2);
    expect(e.cause).toBeInstanceOf(DataSourceError);
    expect((e.cause as DataSourceError).code).toBe('INVALID_DATA');
    expect((e.cause as Error).message).toMatch(/epoch 1 has no batches/);
    e = await failing(() => 42);
    expect((e.cause as Error).message).toMatch(/returned number for epoch 0/);
  });
});

describe('train with an async objective', () => {
  const lossAndGrad = valueAndGrad((p: W, b: Batch) => mse(p, undefined, 0, b));
  const sync = (p: W, _k: unknown, _s: number, b: Batch) => {
    const [loss, grad] = lossAndGrad(p, b) as [Tensor, W];
    return { loss, grad };
  };
  const data = () => columns(table(), { batchSize: 6, seed: 2 });

  it('awaits a Promise of { loss, grad } (a gradient pool, a worker): the same run as the synchronous objective', async () => {
    const ref = await collect(train({ data: data(), objective: sync, params: w0(), optimiser: Adam(0.1), steps: 9 }));
    let inFlight = 0;
    const asyncObjective = async (p: W, k: unknown, s: number, b: Batch) => {
      inFlight++;
      expect(inFlight).toBe(1); // one step at a time
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return sync(p, k, s, b);
    };
    for (const differentiate of [undefined, false]) {
      const states = await collect(train({ data: data(), objective: asyncObjective, params: w0(), optimiser: Adam(0.1), steps: 9, differentiate }));
      expect(states.map((s) => s.loss)).toEqual(ref.map((s) => s.loss));
      expect(states.at(-1)!.params.w.data).toEqual(ref.at(-1)!.params.w.data);
    }
  });

  it('fails clearly when an async objective resolves to a scalar, rejects, or meets a non-finite value', async () => {
    const reason = async (objective: unknown, differentiate?: boolean) => {
      const e = (await lastValueFrom(train({ data: data(), objective: objective as never, params: w0(), optimiser: Descent(0.1), steps: 3, differentiate })).catch((x: unknown) => x)) as TrainingError;
      expect(e).toBeInstanceOf(TrainingError);
      return [e.reason, (e.cause as Error).message] as const;
    };
    expect(await reason(async () => 1)).toEqual(['bad-objective-result', expect.stringMatching(/must resolve to \{ loss, grad \}/)]);
    expect(await reason(async () => 1, true)).toEqual(['bad-objective-result', expect.stringMatching(/returned a Promise although differentiate is true/)]);
    expect(await reason(async () => Promise.reject(new Error('worker died')))).toEqual(['objective-threw', 'worker died']);
    expect((await reason(async () => Promise.reject(new NonFiniteError('cholesky', 0, NaN))))[0]).toBe('non-finite-loss');
    expect((await reason(async (p: W) => ({ loss: NaN, grad: p })))[0]).toBe('non-finite-loss');
    // a failure after good steps keeps them
    const e = (await lastValueFrom(
      train({ data: data(), objective: async (p: W, k: unknown, s: number, b: Batch) => (s === 2 ? Promise.reject(new Error('late')) : sync(p, k, s, b)), params: w0(), optimiser: Descent(0.1), steps: 5 }),
    ).catch((x: unknown) => x)) as TrainingError;
    expect([e.step, e.lastGoodState?.step]).toEqual([2, 2]);
  });

  it('stops between steps when unsubscribed while a step is in flight', async () => {
    let calls = 0;
    const slow = async (p: W, k: unknown, s: number, b: Batch) => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return sync(p, k, s, b);
    };
    const sub = train({ data: data(), objective: slow, params: w0(), optimiser: Descent(0.1) }).subscribe();
    await new Promise((r) => setTimeout(r, 2));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(1);
  });
});

describe('train data options', () => {
  it('rejects data that is not a source, and bad epochs', () => {
    const base = { objective: mse, params: w0(), optimiser: Descent(0.1) };
    for (const data of ['abc', 3, { x: Tensor.zeros([3]) }, null]) {
      expect(() => train({ ...base, data } as never)).toThrow(InvalidArgumentError);
      expect(() => train({ ...base, data } as never)).toThrow(/data must be columns/);
    }
    for (const epochs of [-1, 1.5, NaN, '2']) expect(() => train({ ...base, data: [], epochs } as never)).toThrow(/epochs must be a non-negative integer/);
    expect(() => train({ ...base, epochs: 2 } as never)).toThrow(/epochs needs a data source/);
    const state = { step: 1, params: w0(), optimiser: setup(Descent(0.1), w0()), seed: 0 };
    const resume = (pos: object) => () => train({ objective: mse, data: [], initialState: { ...state, ...pos } as never });
    expect(resume({ epoch: -1, batchIndex: 0 })).toThrow(/initialState.epoch must be an integer ≥ 0, got -1/);
    expect(resume({ epoch: 0, batchIndex: 0.5 })).toThrow(/initialState.batchIndex must be an integer ≥ −1, got 0.5/);
    expect(resume({ epoch: 2, batchIndex: -1 })).not.toThrow();
  });

  it('completes at once on empty data or zero epochs, with no step', async () => {
    const base = { objective: mse, params: w0(), optimiser: Descent(0.1) };
    expect(await lastState(train<W, Batch>({ ...base, data: [] }))).toBeUndefined();
    expect(await lastState(train<W, Batch>({ ...base, data: columns(table(), { batchSize: 3 }), epochs: 0 }))).toBeUndefined();
    const s: TrainState<W> | undefined = await lastState(train<W, Batch>({ ...base, data: columns(table(), { batchSize: 23 }), epochs: 2 }));
    expect([s?.step, s?.epoch, s?.batchIndex]).toEqual([2, 1, 0]);
  });
});
