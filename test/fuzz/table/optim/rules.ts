/**
 * Signatures of the optimiser rules, schedules and composition of `@natgrad/optim`. Every rule entry goes on to a
 * `setup` and an `update` with valid parameters, so a hyperparameter that slips through construction still has to be
 * caught before it produces a non-finite step.
 * @module
 */
import * as optim from '@natgrad/optim';
import type { AnyRule } from '@natgrad/optim';
import { HostileError, bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, apply, call, stage } from '../../harness/entry.js';
import { anything, bool, fn, int, list, num, options, slot, str } from '../../harness/slots.js';
import { grads, optState, params, rule } from '../../harness/slots-optim.js';
import type { Slot, Stage } from '../../harness/types.js';

/** The stage after a rule is made: set it up for the parameters and take one update; the result is the new params. */
export const stepWith: Stage = stage([], (r: AnyRule) => optim.update(optim.setup(r, params()), params(), grads())[1]);
/** Errors from the `setup` and `update` the harness calls after making a rule may name those. */
export const stepNames: readonly string[] = ['setup', 'update'];

/** A learning rate: a number ≥ 0 or a schedule. */
export function rate(name: string, valid: number): Slot {
  const n = num(name, { valid, min: 0 });
  return slot(name, () => valid, [
    ...n.bad,
    bad('plain function (not a schedule)', () => () => 0.1, 'reject', 'type'),
    bad('schedule returning NaN', () => optim.makeSchedule('fuzzNaN', {}, () => NaN), 'reject', 'callback'),
    bad('schedule returning a string', () => optim.makeSchedule('fuzzStr', {}, () => 'abc' as unknown as number), 'reject', 'callback'),
    bad('schedule that throws', () => optim.makeSchedule('fuzzThrow', {}, () => {
      throw new HostileError('schedule');
    }), 'any', 'callback'),
    bad('cosineDecay schedule', () => optim.cosineDecay(0.1, 10), 'any', 'type'),
  ], {}, n.random);
}

export const unit = (name: string, valid: number) => num(name, { valid, min: 0, max: 1, open: 'max' });
export const positive = (name: string, valid: number) => num(name, { valid, min: 0, open: 'min' });
export const nonNegative = (name: string, valid: number) => num(name, { valid, min: 0 });

/** Every hyperparameter has a default, so `undefined` is valid: it is dropped from the bad values (and passed as given). */
const defaulted = (s: Slot): Slot => ({ ...s, bad: s.bad.filter((b) => b.label !== 'undefined'), omit: false });

/** A rule constructor `f(...slots)` (every argument defaulted) followed by one update. */
export function ruleEntry(name: string, f: (...a: any[]) => AnyRule, slots: readonly Slot[]): ExportSpec {
  return [call(name, f, slots.map(defaulted), { then: [stepWith], names: stepNames })];
}

/** A schedule constructor followed by a call at a step. `defaults` counts its trailing defaulted arguments. */
export function scheduleEntry(name: string, f: (...a: any[]) => unknown, slots: readonly Slot[], defaults = 0): ExportSpec {
  const given = slots.map((s, i) => (i >= slots.length - defaults ? defaulted(s) : s));
  return [call(name, f, given, { then: [apply([int('step', { valid: 3 })])] })];
}

/** The rules, schedules and composition of `@natgrad/optim`, by export name. */
export const rulesTable: Readonly<Record<string, ExportSpec>> = {
  Descent: ruleEntry('Descent', optim.Descent, [rate('lr', 0.1)]),
  Momentum: ruleEntry('Momentum', optim.Momentum, [rate('lr', 0.01), unit('rho', 0.9)]),
  Nesterov: ruleEntry('Nesterov', optim.Nesterov, [rate('lr', 0.01), unit('rho', 0.9)]),
  Adam: ruleEntry('Adam', optim.Adam, [rate('lr', 0.01), unit('beta1', 0.9), unit('beta2', 0.999), positive('eps', 1e-8)]),
  AdamW: ruleEntry('AdamW', optim.AdamW, [rate('lr', 0.01), unit('beta1', 0.9), unit('beta2', 0.999), positive('eps', 1e-8), nonNegative('decay', 0.01)]),
  RMSProp: ruleEntry('RMSProp', optim.RMSProp, [
    rate('lr', 0.01), unit('rho', 0.9), positive('eps', 1e-8),
    options('options', { centred: bool('centred') }, { optional: true, present: true }),
  ]),
  AdaGrad: ruleEntry('AdaGrad', optim.AdaGrad, [rate('lr', 0.1), positive('eps', 1e-8)]),
  IncreasingRate: ruleEntry('IncreasingRate', optim.IncreasingRate, [nonNegative('alpha', 1), nonNegative('gamma', 0.1)]),
  ExpDecay: ruleEntry('ExpDecay', optim.ExpDecay, [
    nonNegative('lr', 0.001), positive('decay', 0.1), int('decayStep', { valid: 1000, min: 1 }), nonNegative('clip', 1e-4), int('start', { valid: 1 }),
  ]),
  WeightDecay: ruleEntry('WeightDecay', optim.WeightDecay, [nonNegative('lambda', 5e-4)]),
  ClipValue: ruleEntry('ClipValue', optim.ClipValue, [positive('delta', 10)]),
  ClipNorm: ruleEntry('ClipNorm', optim.ClipNorm, [
    positive('omega', 10), num('p', { valid: 2, min: 1 }),
    options('options', { global: bool('global') }, { optional: true, present: true }),
  ]),
  makeSchedule: [
    call('makeSchedule', optim.makeSchedule, [
      str('name', { valid: 'fuzzSchedule' }),
      // an empty list is a parameter too (piecewiseConstant with no boundaries)
      options('params', { a: num('a', { valid: 1 }) }, { valid: () => ({ a: 1 }), strict: false, expect: { 'a: empty array': 'any' } }),
      // makeSchedule wraps fn as given: the schedule returns what fn returns (the rules that evaluate a schedule
      // refuse a non-finite rate: see the rate slot's "schedule returning NaN")
      fn('fn', () => (t: number) => 1 / (1 + t), { garbage: [['a string', 'abc', 'any'], ['undefined', undefined, 'any'], ['NaN', NaN, 'ieee']], expect: { 'async callback (returns a Promise)': 'any' } }),
    ], { then: [apply([int('step', { valid: 3 })])], names: ['fuzzSchedule'] }),
  ],
  isSchedule: [call('isSchedule', optim.isSchedule, [anything('x', () => optim.constant(1))], { result: 'none' })],
  describeSchedule: [
    call('describeSchedule', optim.describeSchedule, [
      slot('s', () => optim.cosineDecay(0.1, 10), [
        ...wrongTypes(),
        bad('plain function', () => () => 1, 'reject', 'type'),
        bad('{ schedule, params } object', () => ({ schedule: 'constant', params: { value: 1 } }), 'reject', 'type'),
      ]),
    ]),
  ],
  constant: scheduleEntry('constant', optim.constant, [nonNegative('value', 0.1)]),
  exponentialDecay: scheduleEntry('exponentialDecay', optim.exponentialDecay, [
    nonNegative('init', 0.1), positive('rate', 0.5), positive('steps', 10),
    options('options', { staircase: bool('staircase') }, { optional: true }),
  ]),
  cosineDecay: scheduleEntry('cosineDecay', optim.cosineDecay, [nonNegative('init', 0.1), int('steps', { valid: 10, min: 1 }), nonNegative('alpha', 0.1)], 1),
  logLinearWarmup: scheduleEntry('logLinearWarmup', optim.logLinearWarmup, [positive('start', 1e-4), positive('end', 0.1), int('n', { valid: 10, min: 1 })]),
  robbinsMonro: scheduleEntry('robbinsMonro', optim.robbinsMonro, [positive('tau', 1), num('kappa', { valid: 0.7, min: 0.5, max: 1, open: 'min' })]),
  chain: [call('chain', optim.chain, [list('...rules', rule('rule', () => optim.Descent(0.1), { applied: true }), 2, { min: 0 })], { spread: true, then: [stepWith], names: ['Chain', ...stepNames] })],
  partition: [
    call('partition', optim.partition, [
      slot('rules', () => ({ a: optim.Descent(0.1), b: optim.Adam(0.01) }), [
        ...wrongTypes(['object']),
        bad('no rules {}', () => ({}), 'reject', 'shape'),
        bad('a branch that is not a rule', () => ({ a: optim.Descent(0.1), b: 'Adam' }), 'reject', 'type'),
        bad('own "__proto__" branch', () => ({ a: optim.Descent(0.1), b: optim.Adam(0.01), ...JSON.parse('{"__proto__": {"init": 1}}') }), 'reject', 'hostile'),
      ]),
      slot('labels', () => ({ w: 'a', b: 'b' }), [
        bad('one label for everything', () => 'a', 'any', 'shape'),
        bad('a leaf without a label', () => ({ w: 'a' }), 'reject', 'shape'),
        bad('a label without a rule', () => ({ w: 'a', b: 'c' }), 'reject', 'domain'),
        bad('label "__proto__"', () => ({ w: 'a', b: '__proto__' }), 'reject', 'hostile'),
        bad('label "toString"', () => ({ w: 'a', b: 'toString' }), 'reject', 'hostile'),
        bad('label function returning undefined', () => () => undefined, 'reject', 'callback'),
        bad('label function that throws', () => () => {
          throw new HostileError('label function');
        }, 'any', 'callback'),
        bad('label function', () => (path: string) => (path === 'w' ? 'a' : 'b'), 'any', 'type'),
        bad('labels as numbers', () => ({ w: 1, b: 2 }), 'reject', 'type'),
        bad('null', () => null, 'reject', 'type'),
        bad('undefined', () => undefined, 'reject', 'type'),
      ]),
    ], { then: [stepWith], names: ['Partition', ...stepNames] }),
  ],
  freeze: [
    call('freeze', optim.freeze, [optState('opt'), str('path', { valid: 'b', extra: [bad('"nothing.here" (matches no parameter)', () => 'nothing.here', 'reject', 'domain')] })], {
      then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])],
      names: ['update'],
    }),
  ],
  thaw: [
    call('thaw', optim.thaw, [optState('opt', () => optim.freeze(optim.setup(optim.Descent(0.1), params()), 'b')), str('path', { valid: 'b', extra: [bad('"nothing.here"', () => 'nothing.here', 'any', 'domain')] })], {
      then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])],
      names: ['update'],
    }),
  ],
  accumulate: [call('accumulate', optim.accumulate, [int('k', { valid: 1, min: 1 }), rule('rule', () => optim.Descent(0.1), { applied: true })], { then: [stepWith], names: ['Accumulate', ...stepNames] })],
  applyIfFinite: [
    call('applyIfFinite', optim.applyIfFinite, [
      rule('rule', () => optim.Descent(0.1), { applied: true, expect: { 'rule whose step is NaN': 'any' } }),
      options('options', { maxConsecutive: int('maxConsecutive', { valid: 3 }) }, { optional: true }),
    ], { then: [stepWith], names: ['ApplyIfFinite', ...stepNames] }),
  ],
};
