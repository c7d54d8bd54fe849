/**
 * Signatures of what wip/rules and wip/minibatch added to `@natgrad/optim`: the further rules (Lion … LAMB), the
 * Optax-style schedules (linear, polynomial, warm-up, joined, piecewise, SGDR, one-cycle), and the in-memory data
 * source `columns` of `train({ data })` with its class, bound and error.
 * @module
 */
import { Tensor } from '@natgrad/core';
import * as optim from '@natgrad/optim';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, constant, construct, method, stage } from '../../harness/entry.js';
import { bool, field, int, num, options, slot } from '../../harness/slots.js';
import { nonNegative, positive, rate, ruleEntry, scheduleEntry, unit } from './rules.js';

const adamLike = (lr: number, eps: number) => [rate('lr', lr), unit('beta1', 0.9), unit('beta2', 0.999), positive('eps', eps)];

/** A list of schedules (joinSchedules, sgdrSchedule). */
const schedules = (n: number) =>
  slot('schedules', () => Array.from({ length: n }, () => optim.warmupCosineDecay(0, 0.1, 2, 5)), [
    ...wrongTypes(['array']),
    bad('empty list', () => [], 'reject', 'shape'),
    bad('a number in the list', () => [optim.constant(0.1), 0.1], 'reject', 'type'),
    bad('a plain function in the list', () => [optim.constant(0.1), () => 0.1], 'reject', 'type'),
  ]);

/** Columns of 6 rows for `columns`. */
const data = () => ({ x: Tensor.from([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]), y: Tensor.from([1, 0, 1, 0, 1, 1]) });
const dataSlot = () =>
  slot('data', data, [
    ...wrongTypes(['object']),
    bad('empty record', () => ({}), 'reject', 'shape'),
    bad('columns of different lengths', () => ({ ...data(), y: Tensor.from([1, 0]) }), 'reject', 'shape'),
    bad('a scalar column', () => ({ ...data(), y: Tensor.scalar(1) }), 'reject', 'shape'),
    bad('a column of nested arrays', () => ({ ...data(), y: [1, 0, 1, 0, 1, 1] }), 'reject', 'type'),
    bad('a Float64Array column', () => ({ ...data(), y: Float64Array.of(1, 0, 1, 0, 1, 1) }), 'any', 'type'),
    bad('own "__proto__" column (JSON.parse)', () => ({ ...data(), ...JSON.parse('{"__proto__": 1}') }), 'reject', 'hostile'),
  ]);
const columnOptions = () =>
  options('options', {
    batchSize: int('batchSize', { valid: 2, min: 1, size: true }),
    shuffle: bool('shuffle'),
    dropLast: bool('dropLast'),
    seed: int('seed', { valid: 0, expect: { 'bigint 2n': 'any' } }),
  }, { valid: () => ({ batchSize: 2 }), required: ['batchSize'] });
const someColumns = () => optim.columns(data(), { batchSize: 2 });

/** The further rules, schedules and data sources of `@natgrad/optim`, by export name. */
export const moreTable: Readonly<Record<string, ExportSpec>> = {
  Lion: ruleEntry('Lion', optim.Lion, [rate('lr', 0.001), unit('beta1', 0.9), unit('beta2', 0.99), nonNegative('decay', 0)]),
  NAdam: ruleEntry('NAdam', optim.NAdam, adamLike(0.001, 1e-8)),
  RAdam: ruleEntry('RAdam', optim.RAdam, [...adamLike(0.001, 1e-8), num('threshold', { valid: 5, min: 4 })]),
  AdaBelief: ruleEntry('AdaBelief', optim.AdaBelief, adamLike(0.001, 1e-16)),
  Yogi: ruleEntry('Yogi', optim.Yogi, [...adamLike(0.01, 1e-3), nonNegative('initialAccumulatorValue', 1e-6)]),
  AdaMax: ruleEntry('AdaMax', optim.AdaMax, adamLike(0.001, 1e-8)),
  AMSGrad: ruleEntry('AMSGrad', optim.AMSGrad, adamLike(0.001, 1e-8)),
  AdaDelta: ruleEntry('AdaDelta', optim.AdaDelta, [unit('rho', 0.9), positive('eps', 1e-8), rate('lr', 1)]),
  Rprop: ruleEntry('Rprop', optim.Rprop, [
    positive('lr', 0.001), num('etaMinus', { valid: 0.5, min: 0, max: 1, open: 'min' }), num('etaPlus', { valid: 1.2, min: 1 }), positive('minStepSize', 1e-6), positive('maxStepSize', 50),
  ]),
  OAdam: ruleEntry('OAdam', optim.OAdam, [rate('lr', 0.001), unit('beta1', 0.5), unit('beta2', 0.9), positive('eps', 1e-8)]),
  SignDecay: ruleEntry('SignDecay', optim.SignDecay, [nonNegative('lambda', 1e-3)]),
  LAMB: ruleEntry('LAMB', optim.LAMB, [...adamLike(0.001, 1e-6), nonNegative('decay', 0)]),
  linearSchedule: scheduleEntry('linearSchedule', optim.linearSchedule, [nonNegative('init', 0.1), nonNegative('end', 0.01), int('transitionSteps', { valid: 10, min: 1 }), int('transitionBegin', { valid: 0 })], 1),
  polynomialSchedule: scheduleEntry('polynomialSchedule', optim.polynomialSchedule, [
    nonNegative('init', 0.1), nonNegative('end', 0.01), positive('power', 2), int('transitionSteps', { valid: 10, min: 1 }), int('transitionBegin', { valid: 0 }),
  ], 1),
  warmupCosineDecay: scheduleEntry('warmupCosineDecay', optim.warmupCosineDecay, [
    nonNegative('init', 0), nonNegative('peak', 0.1), int('warmupSteps', { valid: 2 }), int('decaySteps', { valid: 10, min: 1 }), nonNegative('end', 0), positive('exponent', 1),
  ], 2),
  warmupExponentialDecay: scheduleEntry('warmupExponentialDecay', optim.warmupExponentialDecay, [
    nonNegative('init', 0), nonNegative('peak', 0.1), int('warmupSteps', { valid: 2 }), positive('rate', 0.5), positive('steps', 10),
    options('options', { transitionBegin: int('transitionBegin', { valid: 0 }), staircase: bool('staircase'), endValue: nonNegative('endValue', 0) }, { optional: true }),
  ], 1),
  joinSchedules: scheduleEntry('joinSchedules', optim.joinSchedules, [
    schedules(2),
    slot('boundaries', () => [5], [...wrongTypes(['array']), bad('[-1]', () => [-1], 'reject', 'domain'), bad('[1.5]', () => [1.5], 'reject', 'domain'), bad('[NaN]', () => [NaN], 'reject', 'nonfinite'), bad('two for two schedules', () => [2, 4], 'reject', 'shape')]),
  ]),
  piecewiseConstant: scheduleEntry('piecewiseConstant', optim.piecewiseConstant, [
    nonNegative('init', 0.1),
    slot('boundariesAndScales', () => ({ 5: 0.5, 10: 0.1 }), [...wrongTypes(['object', 'undefined']), bad('scale NaN', () => ({ 5: NaN }), 'reject', 'nonfinite'), bad('scale "0.5"', () => ({ 5: '0.5' }), 'reject', 'type'), bad('boundary "x"', () => ({ x: 0.5 }), 'reject', 'domain'), bad('negative scale', () => ({ 5: -1 }), 'reject', 'domain')], { optional: true }),
  ]),
  sgdrSchedule: scheduleEntry('sgdrSchedule', optim.sgdrSchedule, [{ ...schedules(2), bad: [...schedules(2).bad, bad('a cosineDecay cycle (not a warm-up cosine)', () => [optim.cosineDecay(0.1, 5)], 'reject', 'domain')] }]),
  oneCycle: scheduleEntry('oneCycle', optim.oneCycle, [
    int('transitionSteps', { valid: 10, min: 1 }), nonNegative('peak', 0.1),
    options('options', { pctStart: num('pctStart', { valid: 0.3, min: 0, max: 1 }), divFactor: positive('divFactor', 25), finalDivFactor: positive('finalDivFactor', 1e4) }, { optional: true }),
  ]),
  linearOneCycle: scheduleEntry('linearOneCycle', optim.linearOneCycle, [
    int('transitionSteps', { valid: 10, min: 1 }), nonNegative('peak', 0.1),
    options('options', { pctStart: num('pctStart', { valid: 0.3, min: 0, max: 1 }), pctFinal: num('pctFinal', { valid: 0.85, min: 0, max: 1 }), divFactor: positive('divFactor', 25), finalDivFactor: positive('finalDivFactor', 1e4) }, { optional: true }),
  ]),
  columns: [call('columns', optim.columns, [dataSlot(), columnOptions()], { then: [stage([], (c: optim.Columns<unknown>) => c.batch(1, 0))], result: 'scan' })],
  Columns: [
    method('Columns#order', slot('this', someColumns, []), 'order', [int('epoch', { valid: 1 })], { names: ['columns', 'Columns.order'] }),
    method('Columns#batch', slot('this', someColumns, []), 'batch', [int('epoch', { valid: 1 }), int('index', { valid: 1, extra: [bad('index 3 (past the last batch)', () => 3, 'reject', 'domain')] })], { names: ['columns', 'Columns.batch'] }),
    construct('new Columns', optim.Columns as never, [
      slot('data', () => Object.entries(data()), [...wrongTypes(['array'])]),
      int('size', { valid: 6, size: true }),
      slot('o', () => ({ batchSize: 2, shuffle: true, dropLast: false, seed: 0 }), [...wrongTypes(['object'])]),
    ], { names: ['columns', 'Columns'] }),
  ],
  MAX_ROWS: constant(optim.MAX_ROWS, 2 ** 24),
  DataSourceError: [construct('new DataSourceError', optim.DataSourceError, [field('message', () => 'fuzz')])],
};
