/**
 * Training off the main thread (`@natgrad/optim/worker`), with the two ends of a `MessageChannel` standing in for the
 * page and the Web Worker (the protocol is the same; examples/web/test/browser.test.ts runs it in Chromium): the
 * states on the page are the worker's, bit for bit; unsubscribing stops the worker's run; a bounded buffer drops old
 * states for a slow page but never the last; errors arrive typed; hostile messages are rejected.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Tensor, ops, random } from '@natgrad/core';
import { Adam, type TrainState, lastState, train } from '@natgrad/optim';
import {
  type RemoteTrainState,
  TransferError,
  WorkerTrainingError,
  exposeTraining,
  packTree,
  trainInWorker,
  unpackTree,
} from '@natgrad/optim/worker';
import fc from 'fast-check';
import { EMPTY, finalize, lastValueFrom, take, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';

type P = { w: Tensor; nested: { b: Tensor[] } };
const params: P = { w: Tensor.from([1, -2, 0.5]), nested: { b: [Tensor.from([[0.1, 0.2]]), Tensor.scalar(3)] } };
interface Config {
  readonly steps: number;
  readonly lr: number;
  readonly failAt?: number;
}

/** A stochastic quadratic with its gradient: Σ over the leaves of (θ − 1 − 0.1 ε)², ε drawn from the step's key. */
function objective(p: P, key: random.Key): { loss: number; grad: P } {
  const leaves = [p.w, ...p.nested.b];
  const keys = random.split(key, leaves.length);
  let loss = 0;
  const grads = leaves.map((t, i) => {
    const r = ops.sub(ops.sub(t, 1), ops.mul(0.1, random.normal(keys[i], t.shape))) as Tensor;
    loss += (ops.sum(ops.square(r)) as Tensor).item();
    return ops.mul(2, r) as Tensor;
  });
  return { loss, grad: { w: grads[0], nested: { b: grads.slice(1) } } };
}

const makeRun = (c: Config) =>
  train<P>({
    objective: (p, key, step) => {
      if (step === c.failAt) throw new RangeError(`refusing step ${step}`);
      return objective(p, key);
    },
    params,
    optimiser: Adam(c.lr),
    steps: c.steps,
    seed: 5,
    differentiate: false,
  });

const open: MessagePort[] = [];
/** A page port and a worker port; the worker end serves `factory`. */
function channel(factory: (c: Config) => ReturnType<typeof makeRun> = makeRun): { page: MessagePort; worker: MessagePort; stop: () => void } {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const stop = exposeTraining(port2, factory);
  return { page: port1, worker: port2, stop };
}
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

const bits = (s: RemoteTrainState<P> | TrainState<P>) => ({
  step: s.step,
  loss: s.loss,
  gradNorm: s.gradNorm,
  stepSize: s.stepSize,
  events: s.events,
  seed: s.seed,
  position: [s.epoch, s.batchIndex],
  params: [s.params.w, ...s.params.nested.b].map((t) => [t.shape, Array.from(t.data)]),
});

describe('trainInWorker + exposeTraining', () => {
  it('delivers the worker’s states bit for bit, frozen, with tensors rebuilt; completes', async () => {
    const { page } = channel();
    const remote = await lastValueFrom(trainInWorker<P>(page, { steps: 40, lr: 0.1 }).pipe(toArray()));
    const local = await lastValueFrom(makeRun({ steps: 40, lr: 0.1 }).pipe(toArray()));
    expect(remote.map(bits)).toEqual(local.map(bits));
    const last = remote[remote.length - 1];
    expect(last.params.nested.b[0]).toBeInstanceOf(Tensor);
    expect(Object.isFrozen(last) && Object.isFrozen(last.params) && Object.isFrozen(last.params.nested.b)).toBe(true);
    expect('optimiser' in last).toBe(false);
    expect(last.wallTime).toBeGreaterThanOrEqual(0);
  });

  it('is cold: each subscription is its own run; two runs share one worker', async () => {
    const { page } = channel();
    const run$ = trainInWorker<P>(page, { steps: 25, lr: 0.05 });
    const [a, b] = await Promise.all([lastState(run$), lastState(trainInWorker<P>(page, { steps: 30, lr: 0.2 }))]);
    expect(a?.step).toBe(25);
    expect(b?.step).toBe(30);
    expect(bits(a!)).toEqual(bits((await lastState(makeRun({ steps: 25, lr: 0.05 })))!));
    expect(bits(b!)).toEqual(bits((await lastState(makeRun({ steps: 30, lr: 0.2 })))!));
    expect((await lastState(run$))?.step).toBe(25); // subscribing again runs again
  });

  it('unsubscribing stops the run in the worker', async () => {
    let stopped = 0;
    let produced = 0;
    const { page } = channel((c) =>
      makeRun(c).pipe(
        tap(() => produced++),
        finalize(() => stopped++),
      ),
    );
    const first = await lastValueFrom(trainInWorker<P>(page, { steps: Infinity, lr: 0.1 }).pipe(take(5), toArray()));
    expect(first.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(1);
    const after = produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBe(after); // nothing more is computed
  });

  it('with a bounded buffer, a slow page sees the newest states and always the last one', async () => {
    const { page } = channel();
    const seen = (await lastValueFrom(trainInWorker<P>(page, { steps: 3000, lr: 0.01 }, { bufferSize: 1 }).pipe(toArray()))).map((s) => s.step);
    expect(seen[seen.length - 1]).toBe(3000);
    expect(seen.every((s, i) => i === 0 || s > seen[i - 1])).toBe(true);
    // a page that blocks for 2 ms per state cannot take 3000 states at the worker's pace: old ones are dropped
    const slow: number[] = [];
    await new Promise<void>((resolve, reject) =>
      trainInWorker<P>(page, { steps: 3000, lr: 0.01 }, { bufferSize: 1 }).subscribe({
        next: (s) => {
          slow.push(s.step);
          const t = performance.now();
          while (performance.now() - t < 2);
        },
        error: reject,
        complete: resolve,
      }),
    );
    expect(slow[slow.length - 1]).toBe(3000);
    expect(slow.length).toBeLessThan(1500);
    expect(slow.every((s, i) => i === 0 || s > slow[i - 1])).toBe(true);
    expect(() => trainInWorker(page, {}, { bufferSize: 0 })).toThrow(/bufferSize must be a positive integer or Infinity/);
  });

  it('a failed training run arrives as a WorkerTrainingError with its step, reason and last good state', async () => {
    const { page } = channel();
    const states: RemoteTrainState<P>[] = [];
    const err = await new Promise<unknown>((resolve) =>
      trainInWorker<P>(page, { steps: 10, lr: 0.1, failAt: 3 }).subscribe({ next: (s) => states.push(s), error: resolve, complete: () => resolve('completed') }),
    );
    expect(err).toBeInstanceOf(WorkerTrainingError);
    const e = err as WorkerTrainingError;
    expect(e.code).toBe('WORKER_TRAINING_FAILED');
    expect(e.reason).toBe('training-failed');
    expect(e.step).toBe(3);
    expect(e.trainingFailure).toBe('objective-threw');
    expect(e.remote?.name).toBe('TrainingError');
    expect(e.remote?.code).toBe('TRAINING_FAILED');
    expect(e.remote?.cause).toMatchObject({ name: 'RangeError', message: 'refusing step 3' });
    expect(e.remote?.cause?.stack).toMatch(/worker\.test\.ts/);
    expect(states.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(bits(e.lastGoodState as RemoteTrainState<P>)).toEqual(bits(states[2]));
  });

  it('a factory that throws or returns no Observable, and a config that cannot be cloned, fail typed', async () => {
    const { page } = channel(() => {
      throw new TypeError('no such model');
    });
    await expect(lastState(trainInWorker(page, {}))).rejects.toMatchObject({ reason: 'stream-failed', remote: { name: 'TypeError', message: 'no such model' } });
    const other = channel(() => 42 as never);
    await expect(lastState(trainInWorker(other.page, {}))).rejects.toThrow(/must return an Observable/);
    const e = (await lastState(trainInWorker(other.page, { f: () => 1 })).catch((x: unknown) => x)) as WorkerTrainingError;
    expect(e).toBeInstanceOf(WorkerTrainingError);
    expect(e.reason).toBe('transfer-failed');
    expect(e.message).toMatch(/config cannot be sent/);
    expect(() => trainInWorker({} as never, {})).toThrow(/worker must be a Worker or a MessagePort/);
    expect(() => exposeTraining({} as never, () => EMPTY)).toThrow(/scope must be a worker scope/);
  });

  it('rejects malformed messages from the worker and ignores other protocols', async () => {
    const { port1: page, port2: fake } = new MessageChannel();
    open.push(page, fake);
    fake.on('message', (m: { type: string; run: string; tag: string }) => {
      if (m.type !== 'start') return;
      fake.postMessage({ hello: 'an application message' });
      fake.postMessage({ ...m, type: 'state', run: 'someone-else', state: null });
      fake.postMessage({ tag: m.tag, type: 'state', run: m.run, state: { step: 1, loss: 0, gradNorm: 0, wallTime: 0, seed: 0, stepSizes: {}, events: [], def: { kind: 'leaf' }, shapes: [[3]], data: new Float64Array(2) } });
    });
    const e = (await lastState(trainInWorker(page, {})).catch((x: unknown) => x)) as WorkerTrainingError;
    expect(e.reason).toBe('transfer-failed');
    expect(e.cause).toBeInstanceOf(TransferError);
    expect(e.message).toMatch(/data holds 2 elements, fewer than the shapes need/);
  });

  it('an error event of the worker ends its runs as worker-error', async () => {
    const target = new EventTarget() as EventTarget & { postMessage: () => void };
    target.postMessage = () => undefined;
    const done = lastState(trainInWorker(target as never, {}));
    target.dispatchEvent(Object.assign(new Event('error'), { message: 'Uncaught SyntaxError: bad token', filename: 'training.worker.js', lineno: 4 }));
    await expect(done).rejects.toMatchObject({ reason: 'worker-error', message: expect.stringMatching(/bad token \(training\.worker\.js:4\)/) });
  });

  it('the function exposeTraining returns stops serving', async () => {
    let stopped = false;
    const { page, stop } = channel((c) => makeRun(c).pipe(finalize(() => (stopped = true))));
    const run = trainInWorker<P>(page, { steps: Infinity, lr: 0.1 }).subscribe();
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(stopped).toBe(true);
    run.unsubscribe();
  });
});

describe('packTree / unpackTree', () => {
  const leaf = fc
    .array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })
    .chain((shape) => fc.array(fc.double({ noNaN: false }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }).map((v) => Tensor.from(v, shape)));
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 })),
  })).node;

  it('round-trips any tree of tensors through structured cloning, bit for bit', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const packed = structuredClone(packTree(t));
        const back = unpackTree(packed);
        const norm = (x: unknown): unknown =>
          x instanceof Tensor ? { shape: x.shape, data: Array.from(x.data, (v) => (Object.is(v, -0) ? '-0' : v)) } : Array.isArray(x) ? x.map(norm) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, norm((x as Record<string, unknown>)[k])])) : x;
        expect(norm(back)).toEqual(norm(t));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a "__proto__" key an own property; rejects malformed packed trees', () => {
    const hostile = JSON.parse('{"__proto__": 1, "a": 2}') as Record<string, number>;
    const t = unpackTree<Record<string, Tensor>>({ def: { kind: 'object', keys: Object.keys(hostile).sort(), children: [{ kind: 'leaf' }, { kind: 'leaf' }] }, shapes: [[], []], data: Float64Array.of(1, 2) });
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    expect(Object.keys(t).sort()).toEqual(['__proto__', 'a']);
    const leafDef = { kind: 'leaf' };
    const cases: [unknown, RegExp][] = [
      [null, /expected a packed tree/],
      [{ def: leafDef, shapes: [[2]], data: [1, 2] }, /data must be a Float64Array/],
      [{ def: leafDef, shapes: [[3]], data: new Float64Array(2) }, /fewer than the shapes need/],
      [{ def: leafDef, shapes: [[1]], data: new Float64Array(2) }, /data holds 2 elements, the shapes 1/],
      [{ def: leafDef, shapes: [[-1]], data: new Float64Array(0) }, /invalid extent/],
      [{ def: leafDef, shapes: [], data: new Float64Array(0) }, /more leaves than the 0 shapes/],
      [{ def: { kind: 'object', keys: ['b', 'a'], children: [leafDef, leafDef] }, shapes: [[], []], data: new Float64Array(2) }, /not sorted and distinct/],
      [{ def: { kind: 'object', keys: ['a', 'a'], children: [leafDef, leafDef] }, shapes: [[], []], data: new Float64Array(2) }, /not sorted and distinct/],
      [{ def: { kind: 'object', keys: ['a'], children: [] }, shapes: [], data: new Float64Array(0) }, /same length/],
      [{ def: { kind: 'weird' }, shapes: [], data: new Float64Array(0) }, /unknown node kind/],
      [{ def: { kind: 'none', value: 5 }, shapes: [], data: new Float64Array(0) }, /holds a value/],
      [{ def: nest(70), shapes: [[]], data: new Float64Array(1) }, /deeper than 64 levels/],
      [{ def: { kind: 'array', children: Array.from({ length: 100_001 }, () => ({ kind: 'none', value: null })) }, shapes: [], data: new Float64Array(0) }, /more than 100000 nodes/],
    ];
    for (const [packed, message] of cases) expect(() => unpackTree(packed, 'test message')).toThrow(message);
    expect(() => unpackTree(null, 'test message')).toThrow(TransferError);
    expect(() => packTree({ a: Tensor.scalar(1), b: { c: 2 } })).toThrow(/leaf "b.c" must be a concrete Tensor, got number/);
  });
});

function nest(depth: number): unknown {
  let d: unknown = { kind: 'leaf' };
  for (let i = 0; i < depth; i++) d = { kind: 'array', children: [d] };
  return d;
}
