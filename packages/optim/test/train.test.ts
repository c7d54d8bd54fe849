/**
 * Training loops as rxjs streams: `train` (coldness, cancellation, determinism, resume, faults, frozen and shared
 * snapshots, scheduling) and the operators around it (`untilConverged`, `every`, `toAsyncIterable`, `summary`).
 */
import { NonFiniteError, Tensor, type Value, ops, random } from '@natgrad/core';
import {
  EMPTY,
  type Observable,
  VirtualTimeScheduler,
  asyncScheduler,
  firstValueFrom,
  from,
  lastValueFrom,
  map,
  take,
  throwError,
  concat,
  toArray,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  type OptimiserState,
  type Rule,
  type TrainState,
  NonFiniteGradientError,
  TrainingError,
  every,
  globalNorm,
  lastState,
  defineRule,
  setup,
  stepSizeOf,
  stepSizesOf,
  summary,
  toAsyncIterable,
  train,
  untilConverged,
  update,
} from '../src/index.js';

// ---------------------------------------------------------------------------------------------------------------
// fixtures

const any = (_rule: string, _name: string, v: number) => v;

/** Plain gradient descent with learning rate `lr` (hyperparameter named `lr`). */
const TestSGD = defineRule({
  name: 'TestSGD',
  hyperparams: (lr = 0.1) => ({ lr }),
  check: { lr: any },
  init: () => ({}),
  apply: (s, _p, g, h) => [s, ops.mul(g, h.lr) as Tensor],
});
const sgd = (lr: number): Rule => TestSGD(lr);

/** Heavy-ball momentum: a rule with a per-leaf state, so resuming must restore it exactly. */
const TestMomentum = defineRule({
  name: 'TestMomentum',
  hyperparams: (lr = 0.1, beta = 0.9) => ({ lr, beta }),
  check: { lr: any, beta: any },
  init: (p) => ({ v: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const v = ops.add(ops.mul(s.v, h.beta), g) as Tensor;
    return [{ v }, ops.mul(v, h.lr) as Tensor];
  },
});
const momentum = (lr: number, beta = 0.9): Rule => TestMomentum(lr, beta);

/** A rule with no learning-rate hyperparameter that reports an event on every update of leaf "w". */
const TestEvents = defineRule({
  name: 'TestEvents',
  hyperparams: (scale = 0.05) => ({ scale }),
  check: { scale: any },
  init: () => ({}),
  apply: (s, _p, g, h, ctx) => {
    ctx.emit({ type: 'backtrack', message: 'halved once', data: { halvings: 1 } });
    return [s, ops.mul(g, h.scale) as Tensor];
  },
});
const noisyRule = (): Rule => TestEvents();

type Quad = { w: Tensor };

/** Σ (w − target)² + floor, written with core ops (train differentiates it). */
function quadratic(target = 3, floor = 0): (p: Quad) => Value {
  return (p) => ops.add(ops.sum(ops.square(ops.sub(p.w, target))), floor) as Value;
}

/** A stochastic objective: Σ (w − 3 − 0.1 ε)², ε ~ N(0, I) drawn from the step key. */
function noisyQuadratic(p: Quad, key: random.Key): Value {
  const eps = random.normal(key, p.w.shape);
  return ops.sum(ops.square(ops.sub(ops.sub(p.w, 3), ops.mul(eps, 0.1))));
}

/** The same stochastic objective with a hand-written gradient: returns `{ loss, grad }`. */
function noisyQuadraticExplicit(p: Quad, key: random.Key): { loss: number; grad: Quad } {
  const eps = random.normal(key, p.w.shape);
  const r = ops.sub(ops.sub(p.w, 3), ops.mul(eps, 0.1)) as Tensor;
  return { loss: (ops.sum(ops.square(r)) as Tensor).item(), grad: { w: ops.mul(r, 2) as Tensor } };
}

const w0 = (): Quad => ({ w: Tensor.from([0, 1, -2]) });

/** Hex dump of every tensor leaf (and number) in a tree, in flatten order: equality means bitwise equality. */
function bits(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x instanceof Tensor) {
      out.push(`${path}:${Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength).toString('hex')}`);
    } else if (typeof x === 'number') {
      out.push(`${path}:${Buffer.from(Float64Array.of(x).buffer).toString('hex')}`);
    } else if (Array.isArray(x)) {
      x.forEach((c, i) => walk(c, `${path}.${i}`));
    } else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k], `${path}.${k}`);
    }
  };
  walk(tree, '');
  return out;
}

/** What must be identical between two runs: step, params, optimiser state and step count, loss, grad norm. */
function trajectory(states: readonly TrainState[]): string[][] {
  return states.map((s) => [
    String(s.step),
    ...bits(s.params),
    ...bits(s.optimiser.state),
    String(s.optimiser.step),
    ...bits(s.loss),
    ...bits(s.gradNorm),
  ]);
}

function collect<T>(o: Observable<T>): Promise<T[]> {
  return firstValueFrom(o.pipe(toArray()));
}

function isDeepFrozen(x: unknown, seen = new Set<unknown>()): boolean {
  if (x === null || typeof x !== 'object' || seen.has(x) || x instanceof Tensor) return true;
  seen.add(x);
  if (!Object.isFrozen(x)) return false;
  return Object.values(x).every((c) => isDeepFrozen(c, seen));
}



/** An objective wrapper that counts its calls. */
function counted<A extends unknown[], R>(f: (...args: A) => R): ((...args: A) => R) & { calls: number } {
  const g = ((...args: A) => {
    g.calls++;
    return f(...args);
  }) as ((...args: A) => R) & { calls: number };
  g.calls = 0;
  return g;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Synthetic states for operator tests (only the fields the operators read). */
function fakeStates(losses: readonly number[], firstStep = 1): TrainState[] {
  return losses.map((loss, i) => ({ step: firstStep + i, loss, events: [], wallTime: i }) as unknown as TrainState);
}

// ---------------------------------------------------------------------------------------------------------------
describe('train: the stream', () => {
  it('emits one frozen snapshot per update, with loss, gradient norm, step size, wall time and seed', async () => {
    const states = await collect(train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 30, seed: 7 }));
    expect(states.map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // step 1: loss and gradient at w0 = [0, 1, −2]: Σ (w − 3)² = 9 + 4 + 25, ∇ = 2 (w − 3)
    expect(states[0].loss).toBe(38);
    expect(states[0].gradNorm).toBeCloseTo(Math.hypot(6, 4, 10), 12);
    Array.from(states[0].params.w.data).forEach((x, i) => expect(x).toBeCloseTo([0.6, 1.4, -1][i], 14));
    for (let i = 1; i < states.length; i++) expect(states[i].loss).toBeLessThan(states[i - 1].loss);
    expect(Array.from(states[29].params.w.data).every((x) => Math.abs(x - 3) < 1e-2)).toBe(true);
    for (const s of states) {
      expect(s.stepSize).toBe(0.1);
      expect(s.seed).toBe(7);
      expect(s.optimiser.step).toBe(s.step);
      expect(s.wallTime).toBeGreaterThanOrEqual(0);
      expect(s.events).toEqual([]);
      expect(Number.isFinite(s.loss) && Number.isFinite(s.gradNorm)).toBe(true);
    }
  });

  it('differentiates a scalar objective and uses a given { loss, grad } as is: same trajectory, bit for bit', async () => {
    const base = { params: w0(), optimiser: momentum(0.05), steps: 25, seed: 3 } as const;
    const auto = await collect(train({ ...base, objective: noisyQuadratic }));
    const given = await collect(train({ ...base, objective: noisyQuadraticExplicit }));
    expect(trajectory(given)).toEqual(trajectory(auto));
  });

  it('detects the objective kind from the first call (one extra call for a scalar loss); differentiate skips that', async () => {
    const scalar = counted(quadratic());
    await collect(train({ objective: scalar, params: w0(), optimiser: sgd(0.1), steps: 5 }));
    expect(scalar.calls).toBe(6);
    const declared = counted(quadratic());
    await collect(train({ objective: declared, params: w0(), optimiser: sgd(0.1), steps: 5, differentiate: true }));
    expect(declared.calls).toBe(5);
    const explicit = counted(noisyQuadraticExplicit);
    await collect(train({ objective: explicit, params: w0(), optimiser: sgd(0.1), steps: 5 }));
    expect(explicit.calls).toBe(5);
  });

  it('derives the key of step t from the seed and t: foldIn(key(seed), t)', async () => {
    const seen: [number, number, number][] = [];
    await collect(
      train({
        objective: (p: Quad, key, step) => {
          seen.push([step, key.k0, key.k1]);
          return noisyQuadraticExplicit(p, key);
        },
        params: w0(),
        optimiser: sgd(0.1),
        steps: 4,
        seed: 11,
      }),
    );
    const expected = [0, 1, 2, 3].map((t) => {
      const k = random.foldIn(random.key(11), t);
      return [t, k.k0, k.k1];
    });
    expect(seen).toEqual(expected);
  });

  it('is cold: nothing runs before subscribe, and each subscription is its own run', async () => {
    const f = counted(noisyQuadraticExplicit);
    const run$ = train({ objective: f, params: w0(), optimiser: momentum(0.05), steps: 40, seed: 5, yieldEvery: 1 });
    await sleep(5);
    expect(f.calls).toBe(0);
    // two concurrent subscriptions, interleaved slice by slice, must not disturb each other
    const [a, b] = await Promise.all([collect(run$), collect(run$)]);
    expect(f.calls).toBe(80);
    expect(trajectory(a)).toEqual(trajectory(b));
    expect(a[10]).not.toBe(b[10]);
    // and a later subscription starts over from the initial parameters
    const c = await collect(run$);
    expect(trajectory(c)).toEqual(trajectory(a));
  });

  it('matches a bare loop of update calls exactly', async () => {
    const states = await collect(train({ objective: noisyQuadraticExplicit, params: w0(), optimiser: momentum(0.05), steps: 12, seed: 9 }));
    let opt: OptimiserState = setup(momentum(0.05), w0());
    let params: Quad = w0();
    const base = random.key(9);
    for (let t = 0; t < 12; t++) {
      const { grad } = noisyQuadraticExplicit(params, random.foldIn(base, t));
      [opt, params] = update(opt, params, grad) as [OptimiserState, Quad];
    }
    expect(bits(states[11].params)).toEqual(bits(params));
    expect(bits(states[11].optimiser.state)).toEqual(bits(opt.state));
  });

  it('completes at once when a resumed run has already reached steps', async () => {
    const states = await collect(train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 3 }));
    const more = await collect(train({ objective: quadratic(), initialState: states[2], steps: 3 }));
    expect(more).toEqual([]);
    expect(await lastState(train({ objective: quadratic(), initialState: states[2], steps: 3 }))).toBeUndefined();
  });

  it('reports the events of each update, and the learning rate only when the rule has one', async () => {
    const states = await collect(train({ objective: quadratic(), params: w0(), optimiser: noisyRule(), steps: 3 }));
    for (const s of states) {
      expect(s.events).toHaveLength(1);
      expect(s.events[0]).toMatchObject({ type: 'backtrack', path: 'w', step: s.step - 1, data: { halvings: 1 } });
      expect(s.events).toBe(s.optimiser.events);
      expect(s.stepSize).toBeUndefined();
    }
  });

  it('rejects invalid options when called', () => {
    const objective = quadratic();
    expect(() => train({ objective, params: w0(), optimiser: sgd(0.1), steps: -1 })).toThrow(/steps/);
    expect(() => train({ objective, params: w0(), optimiser: sgd(0.1), steps: 1.5 })).toThrow(/steps/);
    expect(() => train({ objective, params: w0(), optimiser: sgd(0.1), yieldEvery: 0 })).toThrow(/yieldEvery/);
    expect(() => train({ objective, params: w0(), optimiser: sgd(0.1), yieldEvery: { ms: -1 } })).toThrow(/yieldEvery/);
    expect(() => train({ objective, params: w0(), optimiser: sgd(0.1), seed: -3 })).toThrow(/seed/);
    expect(() => train({ objective, params: w0() } as never)).toThrow(/optimiser/);
    expect(() => train({ objective, optimiser: sgd(0.1) } as never)).toThrow(/params/);
    expect(() => train({ objective: 3, params: w0(), optimiser: sgd(0.1) } as never)).toThrow(/objective/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('train: cancellation and scheduling', () => {
  it('stops work at the next step when a downstream take(n) unsubscribes mid-slice', async () => {
    const f = counted(noisyQuadraticExplicit);
    const states = await collect(
      train({ objective: f, params: w0(), optimiser: sgd(0.1), steps: 1000, yieldEvery: 100 }).pipe(take(5)),
    );
    expect(states).toHaveLength(5);
    expect(f.calls).toBe(5);
    await sleep(20);
    expect(f.calls).toBe(5);
  });

  it('stops work when unsubscribed from outside between slices', async () => {
    const f = counted((p: Quad, key: random.Key) => {
      const t0 = performance.now();
      while (performance.now() - t0 < 0.2); // a step of ~0.2 ms
      return noisyQuadraticExplicit(p, key);
    });
    let seen = 0;
    const sub = train({ objective: f, params: w0(), optimiser: sgd(0.01), yieldEvery: { ms: 2 } }).subscribe(() => seen++);
    await sleep(30);
    sub.unsubscribe();
    const calls = f.calls;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBe(seen);
    await sleep(30);
    expect(f.calls).toBe(calls);
  });

  it('does not block the event loop: a timer set during a long run fires before the run ends', async () => {
    for (const yieldEvery of [10, { ms: 5 }] as const) {
      const heavy = (p: Quad, key: random.Key) => {
        const t0 = performance.now();
        while (performance.now() - t0 < 0.1);
        return noisyQuadraticExplicit(p, key);
      };
      let timerFiredAtStep: number | undefined;
      let lastStep = 0;
      const done = lastValueFrom(
        train({ objective: heavy, params: w0(), optimiser: sgd(0.01), steps: 500, yieldEvery }).pipe(
          map((s) => (lastStep = s.step)),
        ),
      );
      setTimeout(() => {
        timerFiredAtStep = lastStep;
      }, 0);
      await done;
      expect(timerFiredAtStep).toBeDefined();
      expect(timerFiredAtStep!).toBeLessThan(500);
    }
  });

  it('runs slice by slice on a virtual-time scheduler, letting other actions run in between', () => {
    const scheduler = new VirtualTimeScheduler();
    const emitted: number[] = [];
    const probes: number[] = [];
    let completed = false;
    train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 9, yieldEvery: 3, scheduler }).subscribe({
      next: (s) => emitted.push(s.step),
      complete: () => (completed = true),
    });
    // nothing runs before the scheduler does
    expect(emitted).toEqual([]);
    scheduler.schedule(function probe(this: { schedule(state?: unknown, delay?: number): unknown }) {
      probes.push(emitted.length);
      if (emitted.length < 9) this.schedule(undefined, 0);
    });
    scheduler.flush();
    expect(emitted).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(completed).toBe(true);
    expect(probes).toEqual([3, 6, 9]);
  });

  it('works with TestScheduler marbles, and reads wall time from the scheduler clock', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ expectObservable }) => {
      const steps$ = train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 4, yieldEvery: 2, scheduler: testScheduler }).pipe(
        map((s) => `${s.step}@${s.wallTime}`),
      );
      expectObservable(steps$).toBe('(abcd|)', { a: '1@0', b: '2@0', c: '3@0', d: '4@0' });
    });
  });

  it('uses asyncScheduler by default and the scheduler given otherwise', async () => {
    const scheduler = new VirtualTimeScheduler();
    const got: number[] = [];
    train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 2, scheduler }).subscribe((s) => got.push(s.step));
    await sleep(5);
    expect(got).toEqual([]); // waits for the virtual scheduler, not for a macrotask
    scheduler.flush();
    expect(got).toEqual([1, 2]);
    expect(asyncScheduler.now()).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('train: snapshots are frozen and structurally shared', () => {
  type Two = { moving: { w: Tensor }; fixed: { v: Tensor; u: Tensor } };
  const two = (): Two => ({ moving: { w: Tensor.from([1, 2]) }, fixed: { v: Tensor.from([5]), u: Tensor.from([[1, 2]]) } });
  const onlyMoving = (p: Two) => ops.sum(ops.square(p.moving.w)) as Value;

  it('freezes every emitted state deeply', async () => {
    const states = await collect(train({ objective: onlyMoving, params: two(), optimiser: momentum(0.1), steps: 3 }));
    for (const s of states) {
      expect(isDeepFrozen(s)).toBe(true);
      expect(() => {
        (s as { loss: number }).loss = 0;
      }).toThrow(TypeError);
      expect(() => {
        (s.params as { moving: unknown }).moving = null;
      }).toThrow(TypeError);
    }
  });

  it('shares unchanged subtrees (===) between consecutive states', async () => {
    const init = two();
    const states = await collect(train({ objective: onlyMoving, params: init, optimiser: sgd(0.1), steps: 4 }));
    for (let i = 1; i < states.length; i++) {
      const [a, b] = [states[i - 1], states[i]];
      expect(b.params).not.toBe(a.params);
      expect(b.params.moving).not.toBe(a.params.moving);
      expect(b.params.fixed).toBe(a.params.fixed); // the zero-gradient branch: the same object
      expect(b.optimiser.rule).toBe(a.optimiser.rule);
      expect(b.optimiser.state).toBe(a.optimiser.state); // SGD's per-leaf states never change
      expect(b.events).toBe(a.events); // no events: the same empty array
    }
    expect(states[0].params.fixed.v).toBe(init.fixed.v); // tensors are shared from the very first step
    expect(Object.isFrozen(init)).toBe(false); // the caller's own objects are never frozen or adopted
    expect(states[3].params.fixed).toBe(states[0].params.fixed);
  });

  it('shares unchanged optimiser sub-states while replacing the changed ones', async () => {
    const states = await collect(train({ objective: onlyMoving, params: two(), optimiser: momentum(0.1), steps: 3 }));
    const [a, b] = [states[1].optimiser.state as Record<string, { v: Tensor }>, states[2].optimiser.state as Record<string, { v: Tensor }>];
    expect(b).not.toBe(a);
    expect(b['moving.w']).not.toBe(a['moving.w']);
    expect(b['moving.w'].v.toArray()).not.toEqual(a['moving.w'].v.toArray());
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('train: faults', () => {
  const failingAt =
    (bad: number, what: 'throw' | 'nan-loss' | 'nan-grad' | 'inf-grad' | 'junk') =>
    (p: Quad, key: random.Key, step: number) => {
      const r = noisyQuadraticExplicit(p, key);
      if (step !== bad) return r;
      switch (what) {
        case 'throw':
          throw new RangeError('simulated failure');
        case 'nan-loss':
          return { ...r, loss: NaN };
        case 'nan-grad':
          return { ...r, grad: { w: Tensor.from([0, NaN, 0]) } };
        case 'inf-grad':
          return { ...r, grad: { w: Tensor.from([0, 0, -Infinity]) } };
        case 'junk':
          return 'oops' as never;
      }
    };

  async function failure(objective: (p: Quad, key: random.Key, step: number) => unknown): Promise<[TrainState[], TrainingError]> {
    const seen: TrainState[] = [];
    const err = await lastValueFrom(
      train({ objective: objective as never, params: w0(), optimiser: momentum(0.05), steps: 20, seed: 1 }).pipe(
        map((s) => {
          seen.push(s);
          return s;
        }),
      ),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingError);
    return [seen, err as TrainingError];
  }

  it.each([
    ['throw', 'objective-threw', RangeError],
    ['nan-loss', 'non-finite-loss', NonFiniteError],
    ['nan-grad', 'non-finite-gradient', NonFiniteGradientError],
    ['inf-grad', 'non-finite-gradient', NonFiniteGradientError],
    ['junk', 'bad-objective-result', Error],
  ] as const)('an objective that fails with %s ends the stream with a TrainingError (%s)', async (what, reason, causeType) => {
    const [seen, err] = await failure(failingAt(6, what));
    expect(err.reason).toBe(reason);
    expect(err.code).toBe('TRAINING_FAILED');
    expect(err.step).toBe(6);
    expect(err.cause).toBeInstanceOf(causeType);
    expect(err.message).toMatch(/training step 6 failed/);
    expect(seen).toHaveLength(6);
    expect(err.lastGoodState).toBe(seen[5]);
    expect(err.lastGoodState!.step).toBe(6);
    for (const s of seen) {
      expect(Number.isFinite(s.loss) && Number.isFinite(s.gradNorm)).toBe(true);
      expect(Array.from((s.params as Quad).w.data).every((x) => Number.isFinite(x))).toBe(true);
    }
  });

  it('has no last good state when the first step of a fresh run fails', async () => {
    const [seen, err] = await failure(failingAt(0, 'throw'));
    expect(seen).toEqual([]);
    expect(err.step).toBe(0);
    expect(err.lastGoodState).toBeUndefined();
  });

  it('reports an update that would make a parameter non-finite', async () => {
    const huge = (p: Quad) => ({ loss: 1, grad: { w: Tensor.full(p.w.shape, 1e308) } });
    const err = await lastValueFrom(train({ objective: huge, params: w0(), optimiser: sgd(-1e10), steps: 3 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).reason).toBe('update-failed');
    expect((err as TrainingError).cause).toBeInstanceOf(NonFiniteError);
  });

  it('hands a non-finite gradient to a rule that handles it, which skips the step and reports it', async () => {
    const skipping: Rule = {
      ...sgd(0.1),
      name: 'TestSkipIfNonFinite',
      handlesNonFinite: true,
      apply(state, param, grad, ctx) {
        const finite = globalNorm(grad) < Infinity;
        if (finite) return sgd(0.1).apply(state, param, grad, ctx);
        ctx.emit({ type: 'skip-nonfinite', message: 'skipped' });
        return [state, { w: Tensor.zeros((param as Quad).w.shape) }];
      },
    };
    const states = await collect(train({ objective: failingAt(2, 'nan-grad') as never, params: w0(), optimiser: skipping, steps: 4 }));
    expect(states.map((s) => s.events.map((e) => e.type))).toEqual([[], [], ['skip-nonfinite'], []]);
    expect(states[2].params).toBe(states[1].params); // nothing changed: all shared
    expect(Number.isNaN(states[2].gradNorm)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('train: resuming', () => {
  const opts = { objective: noisyQuadratic, params: w0(), optimiser: momentum(0.05), steps: 30, seed: 21 } as const;

  it('from a mid-run state continues exactly as an uninterrupted run (bitwise)', async () => {
    const full = await collect(train(opts));
    const first = await collect(train({ ...opts, steps: 12 }));
    const rest = await collect(train({ objective: noisyQuadratic, initialState: first[11], steps: 30 }));
    expect(rest[0].step).toBe(13);
    expect(trajectory([...first, ...rest])).toEqual(trajectory(full));
    expect(rest[0].seed).toBe(21);
    expect(rest[0].wallTime).toBeGreaterThanOrEqual(first[11].wallTime);
  });

  it('from the last good state of a failed run (after fixing the cause) continues on the same trajectory', async () => {
    const full = await collect(train(opts));
    let fail = true;
    const flaky = (p: Quad, key: random.Key, step: number) => {
      if (step === 17 && fail) throw new Error('transient');
      return noisyQuadratic(p, key);
    };
    const err = (await lastValueFrom(train({ ...opts, objective: flaky })).catch((e: unknown) => e)) as TrainingError;
    expect(err).toBeInstanceOf(TrainingError);
    fail = false;
    const rest = await collect(train({ objective: flaky, initialState: err.lastGoodState as TrainState<Quad>, steps: 30 }));
    expect(trajectory(rest)).toEqual(trajectory(full.slice(17)));
  });

  it('from an optimiser state and parameters (a checkpoint) continues exactly', async () => {
    const full = await collect(train(opts));
    const mid = full[9];
    // a checkpoint holds plain data: rebuild the tensors from copies, as a load would
    const params = { w: Tensor.from(Array.from(mid.params.w.data)) };
    const rest = await collect(train({ objective: noisyQuadratic, params, optimiser: mid.optimiser, steps: 30, seed: 21 }));
    expect(trajectory(rest)).toEqual(trajectory(full.slice(10)));
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('stepSizeOf', () => {
  it('reads lr, then alpha etc., depth first from the rule tree', () => {
    const p = w0();
    expect(stepSizeOf(setup(sgd(0.25), p))).toBe(0.25);
    const alphaRule = defineRule({ name: 'A', hyperparams: (alpha = 0.5, beta = 2) => ({ alpha, beta }), check: { alpha: any, beta: any }, init: () => ({}), apply: (s, _p, g) => [s, g] })();
    expect(stepSizeOf(setup(alphaRule, p))).toBe(0.5);
    expect(stepSizeOf(setup(noisyRule(), p))).toBeUndefined();
    const composite: Rule = {
      name: 'TestChain',
      hyperparams: {},
      children: [noisyRule(), sgd(0.125), sgd(9)],
      init: () => ({}),
      apply: (s, _p, g) => [s, g],
    };
    // two different rates: no single step size, both by rule path (a composite without child keys: by position)
    expect(stepSizeOf(setup(composite, p))).toBeUndefined();
    expect(stepSizesOf(setup(composite, p))).toEqual({ '1': 0.125, '2': 9 });
    expect(stepSizeOf(setup({ ...composite, children: [sgd(0.125), noisyRule(), sgd(0.125)] }, p))).toBe(0.125);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('untilConverged', () => {
  it('completes once the loss flattens, which stops the run', async () => {
    const f = counted(quadratic(3, 1)); // minimum 1 at w = 3
    const states = await collect(
      train({ objective: f, params: w0(), optimiser: sgd(0.1), steps: 100_000, differentiate: true }).pipe(
        untilConverged({ window: 10, rtol: 1e-9 }),
      ),
    );
    const last = states[states.length - 1];
    expect(states.length).toBeGreaterThan(20);
    expect(states.length).toBeLessThan(1000);
    expect(last.loss).toBeCloseTo(1, 8);
    await sleep(10);
    expect(f.calls).toBe(states.length);
  });

  it('does not fire on a loss that is still improving', async () => {
    // loss → 0 geometrically: the relative change between windows stays 1 − 0.99^window
    const losses = Array.from({ length: 3000 }, (_, t) => 0.99 ** t);
    const out = await collect(from(fakeStates(losses)).pipe(untilConverged({ window: 20, rtol: 1e-3 })));
    expect(out).toHaveLength(3000);
    // the same on a real run: SGD on Σ(w − 3)² has loss ∝ 0.64^t (100 steps stay far from the rounding floor)
    const run = await collect(
      train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 100 }).pipe(untilConverged({ window: 5, rtol: 1e-6 })),
    );
    expect(run).toHaveLength(100);
  });

  it('fires on a noisy but flat loss, comparing window means', async () => {
    let s = 1;
    const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.01;
    const losses = Array.from({ length: 2000 }, (_, t) => 1 + Math.exp(-t / 50) + noise());
    const out = await collect(from(fakeStates(losses)).pipe(untilConverged({ window: 200, rtol: 1e-3 })));
    expect(out.length).toBeLessThan(2000);
    expect(out.length).toBeGreaterThanOrEqual(400);
  });

  it('uses atol for losses that converge to zero, and passes errors through', async () => {
    const losses = Array.from({ length: 500 }, (_, t) => 0.9 ** t);
    const out = await collect(from(fakeStates(losses)).pipe(untilConverged({ window: 10, rtol: 0, atol: 1e-6 })));
    expect(out.length).toBeLessThan(500);
    const err = await lastValueFrom(concat(from(fakeStates([1, 2])), throwError(() => new Error('x'))).pipe(untilConverged({ window: 1, rtol: 0 }))).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('x');
    expect(() => untilConverged({ window: 0, rtol: 1 })).toThrow(/window/);
    expect(() => untilConverged({ window: 2, rtol: -1 })).toThrow(/rtol/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('every', () => {
  it('emits every k-th step plus the last', async () => {
    const steps = (n: number, first = 1) => collect(from(fakeStates(Array(n).fill(1), first)).pipe(every(5), map((s) => s.step)));
    expect(await steps(23)).toEqual([5, 10, 15, 20, 23]);
    expect(await steps(20)).toEqual([5, 10, 15, 20]);
    expect(await steps(3)).toEqual([3]);
    expect(await steps(9, 8)).toEqual([10, 15, 16]); // by step number, so a resumed run shows the same steps
    expect(await collect(EMPTY.pipe(every(5)))).toEqual([]);
  });

  it('flushes the last state before passing an error on', async () => {
    const got: number[] = [];
    const err = await lastValueFrom(
      concat(from(fakeStates(Array(7).fill(1))), throwError(() => new Error('boom'))).pipe(
        every(5),
        map((s) => got.push(s.step)),
      ),
    ).catch((e: unknown) => e);
    expect(got).toEqual([5, 7]);
    expect((err as Error).message).toBe('boom');
  });

  it('thins a real run', async () => {
    const states = await collect(train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 25 }).pipe(every(10)));
    expect(states.map((s) => s.step)).toEqual([10, 20, 25]);
    expect(() => every(0)).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('toAsyncIterable', () => {
  it('iterates over every state with for await', async () => {
    const steps: number[] = [];
    for await (const s of toAsyncIterable(train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 15 }))) {
      steps.push(s.step);
    }
    expect(steps).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('stops the run when the loop is left early', async () => {
    const f = counted(noisyQuadraticExplicit);
    const it$ = toAsyncIterable(train({ objective: f, params: w0(), optimiser: sgd(0.1), yieldEvery: 4 }));
    let n = 0;
    for await (const s of it$) {
      n++;
      if (s.step === 10) break;
    }
    expect(n).toBe(10);
    const calls = f.calls;
    expect(calls).toBeLessThanOrEqual(12); // at most the rest of the slice in flight
    await sleep(20);
    expect(f.calls).toBe(calls);
  });

  it('throws the stream error after the values before it', async () => {
    const steps: number[] = [];
    const boom = (p: Quad, key: random.Key, step: number) => {
      if (step === 3) throw new Error('boom');
      return noisyQuadraticExplicit(p, key);
    };
    const run = async () => {
      for await (const s of toAsyncIterable(train({ objective: boom, params: w0(), optimiser: sgd(0.1), steps: 10 }))) steps.push(s.step);
    };
    await expect(run()).rejects.toBeInstanceOf(TrainingError);
    expect(steps).toEqual([1, 2, 3]);
  });

  it('keeps the latest values when a bounded buffer overflows', async () => {
    const it = toAsyncIterable(from([1, 2, 3, 4, 5]), { bufferSize: 2 })[Symbol.asyncIterator]();
    const first = await it.next(); // subscribes; `from` emits everything at once
    expect(first).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 4, done: false });
    expect(await it.next()).toEqual({ value: 5, done: false });
    expect((await it.next()).done).toBe(true);
  });

  it('is cold: each iteration is its own run', async () => {
    const iterable = toAsyncIterable(train({ objective: noisyQuadratic, params: w0(), optimiser: sgd(0.1), steps: 5, seed: 4 }));
    const runs: TrainState[][] = [];
    for (let r = 0; r < 2; r++) {
      const states: TrainState[] = [];
      for await (const s of iterable) states.push(s);
      runs.push(states);
    }
    expect(trajectory(runs[1])).toEqual(trajectory(runs[0]));
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('summary and lastState', () => {
  it('summarises a run: steps, final and best loss, time, events', async () => {
    const [s] = await collect(train({ objective: quadratic(), params: w0(), optimiser: noisyRule(), steps: 12 }).pipe(summary()));
    expect(s.steps).toBe(12);
    expect(s.firstStep).toBe(1);
    expect(s.lastStep).toBe(12);
    expect(s.finalLoss).toBe(s.lastState!.loss);
    expect(s.bestLoss).toBe(s.finalLoss);
    expect(s.bestStep).toBe(12);
    expect(s.events).toEqual({ backtrack: 12 });
    expect(s.wallTime).toBeGreaterThanOrEqual(0);
  });

  it('resolves lastState with the final state', async () => {
    const run$ = train({ objective: quadratic(), params: w0(), optimiser: sgd(0.1), steps: 7 });
    const last = await lastState(run$);
    expect(last!.step).toBe(7);
    expect(await firstValueFrom(run$.pipe(toArray(), map((a) => a.length)))).toBe(7);
  });
});
