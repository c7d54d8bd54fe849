/**
 * The public API answers bad arguments with typed errors: every function of the package, called with junk in each
 * argument (fast-check), either works or throws a NatgradError — never a TypeError such as "r.init is not a function".
 */
import { NatgradError, Tensor } from '@natgrad/core';
import * as O from '@natgrad/optim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const p = { w: Tensor.from([1, 2]) };
const opt = O.setup(O.Adam(0.1), p);
const injected = O.setup(O.injectHyperparams(O.Adam()), p);
const run$ = () => O.train({ objective: () => 1, params: p, optimiser: O.Adam() });

/** One argument of one function replaced by `j`. */
const CALLS: readonly [string, (j: any) => unknown][] = [
  ['Descent', (j) => O.Descent(j)],
  ['Adam', (j) => O.Adam(0.1, j)],
  ['Momentum', (j) => O.Momentum(j)],
  ['Nesterov', (j) => O.Nesterov(0.1, j)],
  ['AdamW', (j) => O.AdamW(0.1, 0.9, 0.999, 1e-8, j)],
  ['RMSProp options', (j) => O.RMSProp(0.1, 0.9, 1e-8, j)],
  ['AdaGrad', (j) => O.AdaGrad(j)],
  ['IncreasingRate', (j) => O.IncreasingRate(j)],
  ['ExpDecay', (j) => O.ExpDecay(j)],
  ['WeightDecay', (j) => O.WeightDecay(j)],
  ['ClipValue', (j) => O.ClipValue(j)],
  ['ClipNorm', (j) => O.ClipNorm(j)],
  ['ClipNorm options', (j) => O.ClipNorm(1, 2, j)],
  ['constant', (j) => O.constant(j)],
  ['exponentialDecay options', (j) => O.exponentialDecay(0.1, 0.5, 10, j)],
  ['cosineDecay', (j) => O.cosineDecay(j, 10)],
  ['logLinearWarmup', (j) => O.logLinearWarmup(j, 1, 10)],
  ['robbinsMonro', (j) => O.robbinsMonro(1, j)],
  ['makeSchedule name', (j) => O.makeSchedule(j, {}, () => 1)],
  ['makeSchedule params', (j) => O.makeSchedule('s', j, () => 1)],
  ['makeSchedule fn', (j) => O.makeSchedule('s', {}, j)],
  ['chain', (j) => O.chain(O.Descent(), j)],
  ['partition rules', (j) => O.partition(j, 'a')],
  ['partition labels', (j) => O.partition({ a: O.Descent() }, j)],
  ['freeze opt', (j) => O.freeze(j, 'w')],
  ['freeze path', (j) => O.freeze(opt, j)],
  ['thaw opt', (j) => O.thaw(j, 'w')],
  ['thaw path', (j) => O.thaw(opt, j)],
  ['injectHyperparams', (j) => O.injectHyperparams(j)],
  ['setHyperparams opt', (j) => O.setHyperparams(j, { lr: 0.1 })],
  ['setHyperparams path', (j) => O.setHyperparams(injected, j)],
  ['setHyperparams values', (j) => O.setHyperparams(injected, '', j)],
  ['getHyperparams', (j) => O.getHyperparams(j)],
  ['accumulate rule', (j) => O.accumulate(2, j)],
  ['accumulate k', (j) => O.accumulate(j, O.Descent())],
  ['applyIfFinite rule', (j) => O.applyIfFinite(j)],
  ['applyIfFinite options', (j) => O.applyIfFinite(O.Descent(), j)],
  ['registerRule factory', (j) => new O.Registry().registerRule('X', j)],
  ['registerRule name', (j) => new O.Registry().registerRule(j, () => O.Descent())],
  ['registerSchedule factory', (j) => new O.Registry().registerSchedule('X', j)],
  ['describeRule', (j) => O.describeRule(j)],
  ['buildRule', (j) => O.buildRule(j)],
  ['buildSchedule', (j) => O.buildSchedule(j)],
  ['save opt', (j) => O.save(j)],
  ['save params', (j) => O.save(opt, j)],
  ['load json', (j) => O.load(j)],
  ['load options', (j) => O.load(O.save(opt), j)],
  ['NaturalGradient inner', (j) => O.NaturalGradient(j)],
  ['NaturalGradient options', (j) => O.NaturalGradient(O.Descent(), j)],
  ['registerParametrisation', (j) => O.registerParametrisation(j)],
  ['setup rule', (j) => O.setup(j, p)],
  ['setup params', (j) => O.setup(O.Adam(), j)],
  ['update opt', (j) => O.update(j, p, p)],
  ['update params', (j) => O.update(opt, j, p)],
  ['update grads', (j) => O.update(opt, p, j)],
  ['train options', (j) => O.train(j)],
  ['train objective', (j) => O.train({ objective: j, params: p, optimiser: O.Adam() })],
  ['train params', (j) => O.train({ objective: () => 1, params: j, optimiser: O.Adam() })],
  ['train optimiser', (j) => O.train({ objective: () => 1, params: p, optimiser: j })],
  ['train steps', (j) => O.train({ objective: () => 1, params: p, optimiser: O.Adam(), steps: j })],
  ['train initialState', (j) => O.train({ objective: () => 1, initialState: j })],
  ['train scheduler', (j) => O.train({ objective: () => 1, params: p, optimiser: O.Adam(), scheduler: j })],
  ['train extra option', (j) => O.train({ objective: () => 1, params: p, optimiser: O.Adam(), [String(j)]: j } as any)],
  ['every', (j) => O.every(j)],
  ['untilConverged', (j) => O.untilConverged(j)],
  ['toAsyncIterable source', (j) => O.toAsyncIterable(j)],
  ['toAsyncIterable options', (j) => O.toAsyncIterable(run$(), j)],
  ['lastState', (j) => O.lastState(j)],
  ['stepSizeOf', (j) => O.stepSizeOf(j)],
  ['stepSizesOf', (j) => O.stepSizesOf(j)],
  ['globalNorm', (j) => O.globalNorm(j)],
  ['formatSummary', (j) => O.formatSummary(j)],
  ['leafRule', (j) => O.leafRule(j)],
  ['subContext', (j) => O.subContext(j, 'a')],
  ['describeSchedule', (j) => O.describeSchedule(j)],
  ['checkDomain', (j) => O.checkDomain('x', j, O.REAL)],
];

const junk = fc.oneof(
  fc.constantFrom(undefined, null, '', 'x', 'Adam', '__proto__', 0, -1, 1.5, Number.NaN, Infinity, true, [], {}, [1], () => 1),
  fc.constantFrom({ w: 1 }, { name: 'x' }, { rule: 1, state: 1, step: 0 }, Tensor.from([1]), { subscribe: 1 }, Symbol('s')),
  fc.anything({ maxDepth: 2 }),
);

describe('junk arguments give typed errors', () => {
  it('every public function, every kind of junk (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CALLS.length - 1 }), junk, (i, j) => {
        const [name, call] = CALLS[i];
        try {
          const r = call(j);
          if (r instanceof Promise) r.catch(() => undefined);
        } catch (e) {
          if (!(e instanceof NatgradError)) throw new Error(`${name}(${String(j)}) threw ${(e as Error).constructor.name}: ${(e as Error).message}`);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('setup(chain("Adam")) names the argument instead of "r.init is not a function"', () => {
    expect(() => O.setup(O.chain('Adam' as any), p)).toThrow(/chain: argument 1 must be an optimiser rule .*the string "Adam"/);
  });
});
