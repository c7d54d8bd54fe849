/**
 * The public API answers bad arguments with typed errors: every function of the package, called with junk in each
 * argument (fast-check), either works or throws a NatgradError — never a TypeError such as "r.init is not a function".
 */
import { NatgradError, Tensor } from '@natgrad/core';
import * as O from '@natgrad/optim';
import * as N from '@natgrad/optim/natural';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const p = { w: Tensor.from([1, 2]) };
const opt = O.setup(O.Adam(0.1), p);
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
  ['adjust opt', (j) => O.adjust(j, { lr: 0.1 })],
  ['adjust target', (j) => O.adjust(opt, j, { lr: 0.1 })],
  ['adjust changes', (j) => O.adjust(opt, '', j)],
  ['adjust changes (no target)', (j) => O.adjust(opt, j)],
  ['backtrack rule', (j) => O.backtrack(j, { name: 'c', valid: () => true })],
  ['backtrack constraint', (j) => O.backtrack(O.Descent(), j)],
  ['backtrack options', (j) => O.backtrack(O.Descent(), { name: 'c', valid: () => true }, j)],
  ['registerConstraint', (j) => O.registerConstraint(j)],
  ['defineRule', (j) => O.defineRule(j)],
  ['defineTreeRule', (j) => O.defineTreeRule(j)],
  ['defineSchedule', (j) => O.defineSchedule(j)],
  ['checkRule', (j) => O.checkRule('x', j)],
  ['checkOptions', (j) => O.checkOptions('x', j, ['a'])],
  ['accumulate rule', (j) => O.accumulate(2, j)],
  ['accumulate k', (j) => O.accumulate(j, O.Descent())],
  ['applyIfFinite rule', (j) => O.applyIfFinite(j)],
  ['applyIfFinite options', (j) => O.applyIfFinite(O.Descent(), j)],
  ['Registry.registerRule', (j) => new O.Registry().registerRule(j)],
  ['Registry.registerRule options', (j) => new O.Registry().registerRule(O.Adam, j)],
  ['Registry.registerSchedule', (j) => new O.Registry().registerSchedule(j)],
  ['Registry parent', (j) => new O.Registry(j)],
  ['registerRule', (j) => O.registerRule(j)],
  ['registerSchedule', (j) => O.registerSchedule(j)],
  ['describeRule', (j) => O.describeRule(j)],
  ['buildRule', (j) => O.buildRule(j)],
  ['buildSchedule', (j) => O.buildSchedule(j)],
  ['save opt', (j) => O.save(j)],
  ['save params', (j) => O.save(opt, j)],
  ['load json', (j) => O.load(j)],
  ['load options', (j) => O.load(O.save(opt), j)],
  ['saveTrainState', (j) => O.saveTrainState(j)],
  ['loadTrainState json', (j) => O.loadTrainState(j)],
  ['loadTrainState options', (j) => O.loadTrainState('{}', j)],
  ['NaturalGradient inner', (j) => N.NaturalGradient(j)],
  ['NaturalGradient options', (j) => N.NaturalGradient(O.Descent(), j)],
  ['naturalCoordinates P', (j) => N.naturalCoordinates(j)],
  ['naturalCoordinates options', (j) => N.naturalCoordinates(undefined, j)],
  ['nativeCoordinates', (j) => N.nativeCoordinates(j)],
  ['usableGaussian', (j) => N.usableGaussian(j)],
  ['registerParametrisation', (j) => N.registerParametrisation(j)],
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
