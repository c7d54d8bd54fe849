/**
 * Regressions of issue 10 (optim half), one block per item: each test here failed before the fix. New error classes
 * are matched by their `code`. (Issue 12 moved NaturalGradient to `@natgrad/optim/natural`, replaced `leafRule` by
 * `defineRule` and wrote tensors of checkpoints in core's JSON form; the assertions are unchanged.)
 */
import { NatgradError, Tensor, cholesky, grad, ops } from '@natgrad/core';
import { kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { type Observable, config as rxjsConfig, filter, firstValueFrom, from, lastValueFrom, map, take, toArray } from 'rxjs';
import {
  AdaGrad,
  Adam,
  type AnyRule,
  CheckpointError,
  ClipNorm,
  Descent,
  IncreasingRate,
  Momentum,
  RMSProp,
  accumulate,
  applyIfFinite,
  chain,
  cosineDecay,
  defineRule,
  every,
  freeze,
  load,
  partition,
  save,
  setup,
  thaw,
  train,
  untilConverged,
  update,
} from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { progressBar } from '@natgrad/optim/progress';
import { describe, expect, it } from 'vitest';
import { checksum } from '../src/checkpoint/hash.js';
import { bodyString } from '../src/checkpoint/save.js';
import { bitwiseEqual, builtinsSnapshot, choleskyOk, lowerTimesTranspose, snapshot } from './helpers.js';

const t = (x: number[]) => Tensor.from(x);

/** Re-seals an edited checkpoint document: the checksum is public, so an attacker can always do this. */
function reseal(doc: any): string {
  doc.checksum = checksum(bodyString(doc));
  return JSON.stringify(doc);
}

/** The error `f` throws (fails the test if it returns). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('10.1: no prototype pollution through checkpoints or user trees', () => {
  const clean = () => save(setup(Descent(0.1), { w: t([1, 2]) }));

  it.each(['__proto__.polluted', 'constructor.prototype.polluted', 'a.__proto__.polluted', 'toString.polluted', 'a.constructor.polluted', 'hasOwnProperty.x'])(
    'a layout path %s is a CheckpointError and reaches no existing object',
    (path) => {
      const before = builtinsSnapshot();
      for (const verifyChecksum of [false, true]) {
        const d = JSON.parse(clean());
        d.params = { [path]: [2] };
        d.state = {};
        const text = verifyChecksum ? reseal(d) : JSON.stringify(d);
        expect(thrown(() => load(text, { verifyChecksum }))).toBeInstanceOf(CheckpointError);
      }
      expect(({} as any).polluted).toBeUndefined();
      expect((Object.prototype.toString as any).polluted).toBeUndefined();
      expect(builtinsSnapshot()).toEqual(before);
      // and a clean checkpoint still loads afterwards
      expect(load(clean()).step).toBe(0);
    },
  );

  it('a parameter tree with an own "__proto__", "constructor" or dotted key is refused by setup and update (typed)', () => {
    for (const key of ['__proto__', 'constructor', 'prototype', 'a.b', '']) {
      const p = JSON.parse(`{"w": 0}`);
      Object.defineProperty(p, key, { value: t([1]), enumerable: true, configurable: true, writable: true });
      p.w = t([1]);
      const e = thrown(() => setup(Descent(0.1), p));
      expect(e).toBeInstanceOf(NatgradError);
      expect((e as NatgradError).code).toBe('INVALID_KEY');
      expect(e.message).toContain(JSON.stringify(key));
      const opt = setup(Descent(0.1), { w: t([1]) });
      expect(() => update(opt, p, p)).toThrow(NatgradError);
    }
  });

  it('a partition label or rule name that reaches a prototype is refused at construction', () => {
    const rules = {};
    Object.defineProperty(rules, '__proto__', { value: Descent(0.1), enumerable: true, configurable: true, writable: true });
    expect((thrown(() => partition(rules, '__proto__')) as NatgradError).code).toBe('INVALID_KEY');
    const named = (name: string) => defineRule({ name, hyperparams: () => ({}), check: {}, init: () => ({}), apply: (s, _p, g) => [s, g] })();
    for (const name of ['__proto__', 'constructor', 'a.b', '']) expect(() => chain(named(name))).toThrow(NatgradError);
  });
});

describe('10.3: a rule state that becomes non-finite is a typed error, and the state is unchanged', () => {
  const p = { w: t([1, 2]) };
  const huge = { w: t([1e200, 1]) };
  it.each<[string, () => AnyRule]>([
    ['Adam', () => Adam(0.1)],
    ['RMSProp', () => RMSProp(0.1)],
    ['AdaGrad', () => AdaGrad(0.1)],
    ['Momentum', () => Momentum(1e200, 0.9)],
  ])('%s', (_name, make) => {
    const opt = setup(make(), p);
    const before = snapshot(opt);
    const e = thrown(() => update(opt, p, huge));
    expect(e).toBeInstanceOf(NatgradError);
    expect((e as NatgradError).code).toBe('NON_FINITE_STATE');
    expect(e.message).toMatch(/state\..*w/);
    expect(snapshot(opt)).toEqual(before);
    expect(() => save(opt)).not.toThrow();
  });

  it('applyIfFinite skips such an update (event) and keeps the inner state', () => {
    const opt = setup(applyIfFinite(Adam(0.1)), p);
    const [o2, p2] = update(opt, p, huge);
    expect(o2.events.map((e) => e.type)).toEqual(['skip-nonfinite']);
    expect(bitwiseEqual((o2.state as any).inner, (opt.state as any).inner)).toBe(true);
    expect(p2).toBe(p);
    expect(() => save(o2)).not.toThrow();
  });
});

describe('10.5: load checks the state against each rule domain and bounds sizes before allocating', () => {
  const p = { w: t([1, 2]) };
  const adam = () => {
    const [o] = update(setup(Adam(0.1), p), p, { w: t([0.5, -0.5]) });
    return JSON.parse(save(o));
  };
  it.each([
    ['Adam v < 0', (d: any) => (d.state.w.v.data = [-1, -1]), /state\.w\.v: entry 0 is -1/],
    ['Adam beta1t > beta1', (d: any) => (d.state.w.beta1t = 2), /state\.w\.beta1t: is 2/],
    ['Adam beta2t < 0', (d: any) => (d.state.w.beta2t = -0.5), /beta2t/],
  ])('%s', (_name, edit, message) => {
    const d = adam();
    edit(d);
    const e = thrown(() => load(reseal(d)));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(message);
  });

  it('integer counters, accumulation counts and skip counters are checked', () => {
    const counter = (rule: any, edit: (s: any) => void) => {
      const d = JSON.parse(save(setup(rule, p)));
      expect(load(reseal(d)).step).toBe(0); // the unedited file loads
      edit(d.state);
      return thrown(() => load(reseal(d)));
    };
    expect(counter(IncreasingRate(1, 0.5), (s) => (s.w.t = 1.5))).toBeInstanceOf(CheckpointError);
    expect(counter(IncreasingRate(1, 0.5), (s) => (s.w.t = -1))).toBeInstanceOf(CheckpointError);
    expect(counter(accumulate(3, Descent(0.1)), (s) => (s.count = 3))).toBeInstanceOf(CheckpointError);
    expect(counter(applyIfFinite(Descent(0.1), { maxConsecutive: 2 }), (s) => (s.consecutive = 5))).toBeInstanceOf(CheckpointError);
    expect(counter(AdaGrad(0.1, 1e-8), (s) => (s.w.acc.data = [0, -1]))).toBeInstanceOf(CheckpointError);
  });

  it('a huge layout in a tiny file is a CheckpointError, not a 20 GB allocation; the limit is configurable', () => {
    const d = JSON.parse(save(setup(Descent(0.1), { w: t([1]) })));
    d.params = { w: [50000, 50000] };
    const text = reseal(d);
    expect(text.length).toBeLessThan(300);
    const e = thrown(() => load(text));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/maxElements/);
    d.params = { w: [1000, 1000] };
    expect(load(reseal(d)).layout).toEqual({ w: [1000, 1000] });
    expect(thrown(() => load(reseal(d), { maxElements: 1000 } as any))).toBeInstanceOf(CheckpointError);
  });
});

describe('10.9: unknown hyperparameters and options in a checkpoint are refused', () => {
  const p = { w: t([1, 2]) };
  it('"bogus" in Adam\'s hyperparameters', () => {
    const d = JSON.parse(save(setup(Adam(0.1), p)));
    d.rule.hyperparams.bogus = 1;
    const e = thrown(() => load(JSON.stringify(d), { verifyChecksum: false }));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/hyperparams\.bogus/);
  });

  it('options.bogus on NaturalGradient, and an unknown schedule parameter', () => {
    const q = { mu: t([0, 0]), L: Tensor.from([[1, 0], [0, 1]]) };
    const d = JSON.parse(save(setup(NaturalGradient(Descent(0.5)), q)));
    d.rule.options.bogus = 1;
    expect(thrown(() => load(JSON.stringify(d), { verifyChecksum: false })).message).toMatch(/options\.bogus/);
    const s = JSON.parse(save(setup(Descent(cosineDecay(0.1, 10)), p)));
    s.rule.options.schedules.lr.params.bogus = 3;
    expect(thrown(() => load(JSON.stringify(s), { verifyChecksum: false }))).toBeInstanceOf(CheckpointError);
  });
});

describe('10.12: a missing top-level field is named', () => {
  it.each(['format', 'version', 'checksum', 'step', 'frozen', 'params', 'rule', 'state'])('%s', (field) => {
    const d = JSON.parse(save(setup(Descent(0.1), { w: t([1]) })));
    delete d[field];
    const e = thrown(() => load(JSON.stringify(d), { verifyChecksum: false }));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toContain(`"${field}"`);
    expect(e.message).not.toMatch(/nonoptional/);
  });
});

/** The (μ, L) block passes meanCholesky's validation and an independent Cholesky of LLᵀ. */
function usableMeanCholesky(q: { mu: Tensor; L: Tensor }): boolean {
  const n = q.mu.size;
  try {
    meanCholesky.validate(q);
  } catch {
    return false;
  }
  return Array.from(q.mu.data).every(Number.isFinite) && choleskyOk(lowerTimesTranspose(q.L.data, n), n);
}

describe('10.2: NaturalGradient emits the state it validated', () => {
  const target = { mu: t([0, 0]), Sigma: Tensor.from([[1e-34, 0], [0, 1]]) };
  const loss = (q: any) => kl(meanCholesky, q, meanCovariance, target);
  const q0 = () => ({ mu: t([0, 0]), L: Tensor.from([[1, 0], [0.2, 1]]) });

  it('the target Σ = diag(1e-34, 1) case: step 1 is a usable Gaussian (it was L = [[0, 0], [0, 1]])', () => {
    const opt = setup(NaturalGradient(Descent(1)), q0());
    const [o2, q] = update(opt, q0(), grad(loss)(q0()));
    expect(usableMeanCholesky(q as any)).toBe(true);
    // the exact candidate L₀₀ = 1e-17 cannot be reached as 1 − step: the step is halved instead, and says so
    expect(o2.events.some((e) => e.type === 'backtrack')).toBe(true);
  });

  it('in a training run every emitted state and the lastGoodState of a failure are usable', async () => {
    const states: any[] = [];
    let failure: any;
    await new Promise<void>((resolve) =>
      train({ objective: loss, params: q0(), optimiser: NaturalGradient(Descent(1)), steps: 20 }).subscribe({
        next: (s) => void states.push(s),
        error: (e) => ((failure = e), resolve()),
        complete: resolve,
      }),
    );
    expect(states.length).toBeGreaterThan(0);
    for (const s of states) expect(usableMeanCholesky(s.params)).toBe(true);
    if (failure !== undefined) expect(usableMeanCholesky(failure.lastGoodState.params)).toBe(true);
    // and it gets close to the near-singular target
    const last = states[states.length - 1].params;
    expect(last.L.data[0]).toBeLessThan(1e-8);
  });
});

describe('10.2: the validated step is not transformed afterwards', () => {
  it('chain refuses a rule after NaturalGradient (also wrapped), and accepts it last', () => {
    const q = { mu: t([0]), L: Tensor.from([[1]]) };
    for (const ng of [NaturalGradient(Descent(1)), accumulate(2, NaturalGradient(Descent(1))), applyIfFinite(NaturalGradient(Descent(1)))]) {
      const e = thrown(() => chain(ng, Descent(0.5)));
      expect((e as NatgradError).code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(/must be the last rule/);
    }
    expect(() => setup(chain(ClipNorm(1), NaturalGradient(Descent(1))), q)).not.toThrow();
  });
});

describe('10.4: a NaturalGradient whose every step is rejected fails loudly, and is never "converged"', () => {
  const target = { mu: t([1, -1]), Sigma: Tensor.from([[1, 0.3], [0.3, 0.5]]) };
  const loss = (q: any) => kl(meanCholesky, q, meanCovariance, target);
  const q0 = () => ({ mu: t([0, 0]), L: Tensor.eye(2) });

  it('Descent(1e4): a typed error after maxConsecutiveRejections rejected steps, not a converged stream', async () => {
    const run$ = train({ objective: loss, params: q0(), optimiser: NaturalGradient(Descent(1e4)), steps: 200 }).pipe(
      untilConverged({ window: 5, rtol: 1e-9 }),
    );
    const seen: number[] = [];
    const outcome = await new Promise<unknown>((resolve) =>
      run$.subscribe({ next: (s) => void seen.push(s.step), error: resolve, complete: () => resolve('completed') }),
    );
    expect(outcome).not.toBe('completed');
    expect((outcome as NatgradError).code).toBe('TRAINING_FAILED');
    expect(((outcome as any).cause as NatgradError).code).toBe('TOO_MANY_REJECTED_STEPS');
    expect(seen).toHaveLength(10); // ten rejections are reported as events; the eleventh in a row fails the run
  });

  it('untilConverged does not count states whose parameters did not move', async () => {
    const p = { w: t([1]) };
    const frozen = Array.from({ length: 50 }, (_, i) => ({ step: i + 1, loss: 2.19, params: p, events: [], wallTime: i }));
    const out = await firstValueFrom(from(frozen).pipe(untilConverged({ window: 5, rtol: 1e-9 }), toArray()));
    expect(out).toHaveLength(50);
  });
});

describe('10.6: an error thrown by a subscriber stops the run (and rxjs still reports it)', () => {
  async function runWith(pipeline: (o: Observable<any>) => Observable<any>): Promise<{ calls: number; reported: unknown[]; thrown: Error }> {
    let calls = 0;
    const objective = (p: any) => {
      calls++;
      return ops.sum(ops.square(ops.sub(p.w, 3)));
    };
    const reported: unknown[] = [];
    const previous = rxjsConfig.onUnhandledError;
    rxjsConfig.onUnhandledError = (e) => void reported.push(e);
    const thrown = new Error('consumer failed');
    try {
      let n = 0;
      pipeline(train({ objective, params: { w: t([0]) }, optimiser: Descent(0.1), steps: 60, yieldEvery: 1 })).subscribe((s) => {
        if (++n === 3) throw thrown;
        return s;
      });
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      rxjsConfig.onUnhandledError = previous;
    }
    return { calls, reported, thrown };
  }

  it.each<[string, (o: Observable<any>) => Observable<any>]>([
    ['directly', (o) => o],
    ['through our operators', (o) => o.pipe(every(1), untilConverged({ window: 100, rtol: 0 }))],
    ['through rxjs operators', (o) => o.pipe(map((s) => s), filter(() => true), take(1000))],
    ['through both', (o) => o.pipe(map((s) => s), every(1), take(1000), every(1))],
    // the progress entry point is bundled apart in CommonJS: the stream is recognised by a registered symbol
    ['through progressBar', (o) => o.pipe(progressBar({ stream: { write: () => true, isTTY: false }, force: true, summary: false }), map((s) => s))],
  ])('%s', async (_name, pipeline) => {
    const { calls, reported, thrown } = await runWith(pipeline);
    expect(calls).toBeLessThanOrEqual(4); // 3 states reached the consumer; the run stopped there
    expect(reported).toEqual([thrown]); // reported once, as rxjs does, the very same error
  });
});

describe('10.8: freeze / thaw with a path that is not in the parameter tree throw', () => {
  const opt = setup(Momentum(0.1), { a: t([1]), b: { c: t([2]) } });
  it.each(['nope', 'b.d', 'a.x', 'b.', '.a'])('%s', (path) => {
    expect(() => freeze(opt, path)).toThrow(NatgradError);
    expect(() => thaw(opt, path)).toThrow(NatgradError);
  });
  it('paths in the tree still work', () => {
    expect(freeze(opt, 'b').frozen).toEqual(['b']);
    expect(freeze(opt, 'b.c').frozen).toEqual(['b.c']);
    expect(thaw(freeze(opt, 'a'), 'a').frozen).toEqual([]);
  });
});

describe('10.12: NonFiniteError while evaluating the objective is a non-finite loss or gradient, with its cause', () => {
  const failure = (objective: (p: any) => any) =>
    lastValueFrom(train({ objective, params: { w: t([1, 2]) }, optimiser: Descent(0.1), steps: 3 })).then(
      () => undefined,
      (e: unknown) => e as any,
    );
  it('a NaN reaching a Cholesky in the forward pass: non-finite-loss', async () => {
    const e = await failure((p) => ops.sum(ops.log(ops.diagonal(cholesky(ops.mul(Number.NaN, ops.diag(p.w)))))));
    expect(e.reason).toBe('non-finite-loss');
    expect(e.cause.code).toBe('NON_FINITE');
  });
  it('a NaN cotangent reaching a linear solve in the backward pass: non-finite-gradient', async () => {
    const e = await failure((p) => {
      const s = ops.solve(ops.add(Tensor.eye(2), ops.diag(ops.square(p.w))), t([1, 1]));
      return ops.sum(ops.sqrt(ops.sub(s, s))); // forward 0; d√ at 0 is ∞, times 0: a NaN cotangent
    });
    expect(e.reason).toBe('non-finite-gradient');
    expect(e.cause.code).toBe('NON_FINITE');
  });
});

describe('found on the way: centred RMSProp with a constant gradient', () => {
  it('stays finite (√ of quad − lin² rounded below 0 was NaN at update 330 for g = 7)', () => {
    let p: any = { w: t([1]) };
    let opt = setup(RMSProp(0.01, 0.9, 1e-8, { centred: true }), p);
    for (let i = 0; i < 1000; i++) [opt, p] = update(opt, p, { w: t([7]) });
    expect(Number.isFinite(p.w.data[0])).toBe(true);
  });
});

describe('10.1 audit: names from a checkpoint never become prototype writes', () => {
  it('a Partition whose branches name "__proto__" is a CheckpointError', () => {
    const p = { a: t([1]), b: t([2]) };
    const d = JSON.parse(save(setup(partition({ x: Descent(0.1), y: Adam(0.1) }, { a: 'x', b: 'y' }), p)));
    d.rule.options.branches = ['__proto__', 'y'];
    d.rule.options.labels = { a: '__proto__', b: 'y' };
    const before = builtinsSnapshot();
    expect(thrown(() => load(JSON.stringify(d), { verifyChecksum: false }))).toBeInstanceOf(CheckpointError);
    expect(builtinsSnapshot()).toEqual(before);
  });
});

describe('found on the way: NaturalGradient checks its blocks\' shapes at setup', () => {
  it('μ [2] with L [3, 3], or L [4, 2], is a ShapeError at setup (and so a CheckpointError at load)', () => {
    for (const L of [Tensor.eye(3), Tensor.zeros([4, 2])]) {
      const e = thrown(() => setup(NaturalGradient(Descent(0.1)), { mu: t([0, 0]), L }));
      expect((e as NatgradError).code).toBe('SHAPE_MISMATCH');
    }
    const d = JSON.parse(save(setup(NaturalGradient(Descent(0.1)), { mu: t([0, 0]), L: Tensor.eye(2) })));
    d.params.L = [2000000, 2];
    expect(thrown(() => load(reseal(d)))).toBeInstanceOf(CheckpointError);
  });
});
