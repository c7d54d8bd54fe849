/**
 * Regressions of the fuzz harness's findings in @natgrad/optim (issue 10) that need more than "a typed error": a
 * stream whose write throws must end the run (it used to escape as an uncaught exception from the bar's timer), a
 * step counter must not allocate gigabytes, the checks of options must not read null or `'no'` as a default, and a
 * composite must name a child rule that returns garbage.
 */
import { InvalidArgumentError, Tensor, type Value, ops } from '@natgrad/core';
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  ClipNorm,
  Descent,
  HyperparameterError,
  NON_NEGATIVE,
  Registry,
  type AnyRule,
  type Rate,
  type TrainState,
  backtrack,
  chain,
  checkDomain,
  checkOptions,
  cosineDecay,
  defineRule,
  describeDomain,
  exponentialDecay,
  interval,
  load,
  rate,
  save,
  setup,
  summary,
  train,
  untilConverged,
  update,
} from '../src/index.js';
import { progressBar } from '../src/progress.js';

const params = () => ({ w: Tensor.from([1, -2]) });
const grads = () => ({ w: Tensor.from([0.1, 0.2]) });
const loss = (p: { w: Value }) => ops.sum(ops.square(ops.sub(p.w, 3)));

describe('progressBar on a stream whose write throws', () => {
  it('fails the run with that error (no uncaught exception), and stops the training', async () => {
    const boom = new Error('EPIPE');
    let writes = 0;
    const stream = {
      isTTY: true,
      columns: 80,
      write() {
        writes++;
        throw boom;
      },
    };
    const run = train({ objective: loss, params: params(), optimiser: Descent(0.1), steps: 50 }).pipe(progressBar({ stream, total: 50 }));
    await expect(lastValueFrom(run)).rejects.toBe(boom);
    expect(writes).toBe(1); // nothing more is written once it failed
  });
});

describe('options: null, strings and non-plain objects are not defaults', () => {
  it('checkOptions refuses a Date, a Map and a boxed number, and a known list that is not one', () => {
    for (const bad of [new Date(), new Map(), Object(2)]) expect(() => checkOptions('f', bad, ['a'])).toThrow(/f: options must be a plain object/);
    expect(() => checkOptions('f', {}, 'a' as never)).toThrow(/checkOptions: known must be an array/);
    expect(() => checkOptions('f', { a: 1 }, ['a'])).not.toThrow();
  });

  it('boolean options must be booleans (ClipNorm global, exponentialDecay staircase, registerRule replace, load verifyChecksum)', () => {
    expect(() => ClipNorm(1, 2, { global: 'no' as never })).toThrow(/ClipNorm: option global must be true or false/);
    expect(() => exponentialDecay(0.1, 0.5, 10, { staircase: null as never })).toThrow(/exponentialDecay: option staircase/);
    const SignDescent = defineRule({ name: 'FuzzRegressionSign', hyperparams: (lr: Rate = 0.1) => ({ lr }), check: { lr: rate }, init: () => ({}), apply: (s, _p, g) => [s, g] });
    expect(() => new Registry().registerRule(SignDescent, { replace: 'yes' as never })).toThrow(/registerRule: option replace/);
    const json = save(setup(Descent(0.1), params()));
    expect(() => load(json, { verifyChecksum: 0 as never })).toThrow(/load: option verifyChecksum/);
    expect(() => load(json, { registry: {} as never })).toThrow(/load: option registry must be a Registry/);
  });

  it('untilConverged bounds its window before allocating its rings', () => {
    expect(() => untilConverged({ window: 2 ** 31, rtol: 1e-3 })).toThrow(InvalidArgumentError);
    expect(() => untilConverged({ window: 10, rtol: Infinity })).toThrow(/finite/);
  });
});

describe('domains and schedules', () => {
  it('interval, describeDomain and checkDomain refuse what is not a domain', () => {
    expect(() => interval('0' as never, 1)).toThrow(/interval: lo/);
    expect(() => interval(2, 1)).toThrow(/empty/);
    expect(() => describeDomain({ atLeast: '0' } as never)).toThrow(/describeDomain: d: atLeast/);
    expect(() => describeDomain({ fuzzTypo: 1 } as never)).toThrow(/unknown option/);
    expect(() => checkDomain(7 as never, 1, NON_NEGATIVE)).toThrow(/checkDomain: path/);
    expect(describeDomain(interval(0, 3, true))).toBe('an integer in [0, 3]');
  });

  it('a schedule refuses a step that is not an integer ≥ 0', () => {
    const s = cosineDecay(0.1, 10);
    expect(s(0)).toBeCloseTo(0.1, 12);
    for (const bad of ['3', -1, 1.5, Number.NaN, null]) expect(() => s(bad as never)).toThrow(/cosineDecay: the step must be an integer/);
  });
});

describe('composites name a child rule that returns garbage', () => {
  const garbage: AnyRule = { name: 'Garbage', hyperparams: {}, init: () => ({}), apply: () => 'step' as never };
  it('chain, backtrack and update say which rule returned what', () => {
    expect(() => update(setup(chain(garbage), params()), params(), grads())).toThrow(/Chain \(Garbage\): a rule's apply must return \[state, step\]/);
    const bounded = { name: 'fuzzRegressionBounded', valid: () => true };
    expect(() => update(setup(backtrack(garbage, bounded), params()), params(), grads())).toThrow(/Backtrack \(Garbage\)/);
    expect(() => update(setup(garbage, params()), params(), grads())).toThrow(/update \(Garbage\)/);
  });

  it('a constraint whose valid does not return a boolean is an error, not a truthy accept', () => {
    const sloppy = { name: 'fuzzRegressionSloppy', valid: () => 'no' as never };
    expect(() => update(setup(backtrack(Descent(0.1), sloppy), params()), params(), grads())).toThrow(/valid\(params, path\) must return true or false/);
  });

  it('a defineRule apply that returns a bare tensor is named', () => {
    const Bare = defineRule({ name: 'FuzzRegressionBare', hyperparams: (lr: Rate = 0.1) => ({ lr }), check: { lr: rate }, init: () => ({}), apply: (_s, _p, g) => g as never });
    expect(() => update(setup(Bare(), params()), params(), grads())).toThrow(/FuzzRegressionBare: apply must return \[state, step\]/);
  });

  it('a hyperparameter refused while buildRule rebuilds names buildRule and keeps its class', async () => {
    const { buildRule } = await import('../src/index.js');
    const e = (() => {
      try {
        buildRule({ name: 'Adam', hyperparams: { lr: -1, beta1: 0.9, beta2: 0.999, eps: 1e-8 } });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(HyperparameterError);
    expect((e as Error).message).toMatch(/^buildRule: Adam: hyperparameter lr = -1/);
  });
});

describe('stream operators check their source and what it emits', () => {
  it('summary of a stream emitting null fails with a typed error naming summary', async () => {
    await expect(firstValueFrom(of(null as unknown as TrainState).pipe(summary()))).rejects.toThrow(/^summary: SummaryAccumulator.add/);
    expect(() => summary()('abc' as never)).toThrow(/summary: source: expected an Observable/);
    const states = await lastValueFrom(train({ objective: loss, params: params(), optimiser: Descent(0.1), steps: 3 }).pipe(toArray()));
    expect(states).toHaveLength(3);
  });
});
