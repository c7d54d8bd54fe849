/**
 * Signatures of the optimiser state machinery of `@natgrad/optim`: `setup`/`update`, contexts, the registry,
 * checkpoints (`save`/`load` and the whole-run `saveTrainState`/`loadTrainState`, with targeted and random checkpoint
 * mutations), state domains, and the error classes.
 * @module
 */
import { Tensor } from '@natgrad/core';
import * as optim from '@natgrad/optim';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, constant, construct, covered, method, stage } from '../../harness/entry.js';
import { bool, field, fixed, int, num, options, slot, str, tree } from '../../harness/slots.js';
import { checkpointJson, grads, optState, params, rule } from '../../harness/slots-optim.js';
import { ruleDefinition, scheduleDefinition } from './definitions.js';
import { stepNames, stepWith } from './rules.js';
import { resumable } from './train.js';

const paramTree = (o: Parameters<typeof tree>[2] = {}) => tree('params', params, { tensorLeaves: true, ...o });
const gradTree = (o: Parameters<typeof tree>[2] = {}) => tree('grads', grads, { tensorLeaves: true, nan: 'reject', expect: { 'extra leaf': 'reject', 'leaf null': 'reject' }, ...o });

const registryArg = () => slot('registry', () => new optim.Registry(), [...wrongTypes(['undefined']), bad('plain object', () => ({ rule: () => undefined }), 'reject', 'type')], { optional: true });

/** `maxElements` of load: a bound the caller sets (up to MAX_SIZE), so a large one is a deliberate choice. */
const maxElements = () => int('maxElements', { valid: 1000, min: 1, size: true, expect: { '1e9': 'any' } });

const replace = () => options('options', { replace: bool('replace', { valid: false }) }, { optional: true });

const description = () => slot('desc', () => optim.describeRule(optim.Adam(0.01)), [
  ...wrongTypes(),
  bad('unknown name', () => ({ name: 'NoSuchRule', hyperparams: {} }), 'reject', 'domain'),
  bad('name "__proto__"', () => ({ name: '__proto__', hyperparams: {} }), 'reject', 'hostile'),
  bad('name "toString"', () => ({ name: 'toString', hyperparams: {} }), 'reject', 'hostile'),
  bad('negative lr', () => ({ name: 'Adam', hyperparams: { lr: -1, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }), 'reject', 'domain'),
  bad('lr as a string', () => ({ name: 'Adam', hyperparams: { lr: '0.1', beta1: 0.9, beta2: 0.999, eps: 1e-8 } }), 'reject', 'type'),
  bad('missing hyperparams', () => ({ name: 'Adam' }), 'reject', 'shape'),
  bad('children not an array', () => ({ name: 'Chain', hyperparams: {}, children: 'x' }), 'reject', 'shape'),
  bad('child rule unknown', () => ({ name: 'Chain', hyperparams: {}, children: [{ name: 'Nope', hyperparams: {} }] }), 'reject', 'domain'),
  bad('own "__proto__" key', () => ({ ...optim.describeRule(optim.Adam(0.01)), ...JSON.parse('{"__proto__": {"name": "Descent"}}') }), 'reject', 'hostile'),
]);

const scheduleDescription = () => slot('desc', () => optim.describeSchedule(optim.cosineDecay(0.1, 10)), [
  ...wrongTypes(),
  bad('unknown name', () => ({ name: 'noSuch', params: {} }), 'reject', 'domain'),
  bad('name "__proto__"', () => ({ name: '__proto__', params: {} }), 'reject', 'hostile'),
  bad('params missing', () => ({ name: 'cosineDecay' }), 'reject', 'shape'),
  bad('negative init', () => ({ name: 'cosineDecay', params: { init: -1, steps: 10, alpha: 0 } }), 'reject', 'domain'),
  bad('steps as a string', () => ({ name: 'cosineDecay', params: { init: 0.1, steps: '10', alpha: 0 } }), 'reject', 'type'),
]);

/** A whole-run state as `train` emits it (after one update), with the ways a user could damage one. */
const trainStateSlot = () =>
  slot('state', resumable, [
    ...wrongTypes(),
    bad('without optimiser', () => ({ ...resumable(), optimiser: undefined }), 'reject', 'shape'),
    bad('params for another layout', () => ({ ...resumable(), params: { z: Tensor.zeros([4]) } }), 'reject', 'shape'),
    bad('params with NaN', () => ({ ...resumable(), params: { ...resumable().params, w: Tensor.from([NaN, 1]) } }), 'reject', 'nonfinite'),
    bad('step not the optimiser\'s', () => ({ ...resumable(), step: 7 }), 'reject', 'domain'),
    bad('seed "0"', () => ({ ...resumable(), seed: '0' }), 'reject', 'type'),
    bad('loss NaN', () => ({ ...resumable(), loss: NaN }), 'any', 'nonfinite'),
    bad('events "x"', () => ({ ...resumable(), events: 'x' }), 'reject', 'type'),
    bad('JSON round trip', () => JSON.parse(JSON.stringify(resumable())), 'reject', 'type'),
  ]);

/** A domain of optimiser state (`NON_NEGATIVE` and the like). */
const domain = () =>
  slot('d', () => optim.NON_NEGATIVE, [
    ...wrongTypes(['object']),
    bad('{ atLeast: "0" }', () => ({ atLeast: '0' }), 'reject', 'type'),
    bad('{ atLeast: NaN }', () => ({ atLeast: NaN }), 'reject', 'nonfinite'),
    bad('{ integer: "yes" }', () => ({ integer: 'yes' }), 'reject', 'option'),
    bad('{ atLeast: 2, atMost: 1 } (empty)', () => ({ atLeast: 2, atMost: 1 }), 'any', 'domain'),
    bad('unknown key { fuzzTypo: 1 }', () => ({ fuzzTypo: 1 }), 'reject', 'option'),
  ]);

const errorArgs = (names: readonly string[]) => names.map((n) => field(n, () => (n === 'message' || n === 'rule' || n === 'path' ? 'fuzz' : 1)));

/** The state machinery of `@natgrad/optim`, by export name. */
export const stateTable: Readonly<Record<string, ExportSpec>> = {
  // the sink is where events are pushed: any array will do
  rootContext: [call('rootContext', optim.rootContext, [int('step', { valid: 3 }), slot('sink', () => [], wrongTypes(['array']), { expect: { 'array of strings': 'any' } })])],
  subContext: [
    call('subContext', optim.subContext, [
      slot('ctx', () => optim.rootContext(0, []), [...wrongTypes(), bad('context without emit', () => ({ step: 0, path: '' }), 'reject', 'type')]),
      str('sub', { valid: 'mu' }),
    ], { then: [stage([], (ctx: optim.ApplyContext) => (ctx.emit({ type: 'fuzz', message: 'x' }), ctx.path))], result: 'none' }),
  ],
  setup: [call('setup', optim.setup, [rule('rule'), paramTree()])],
  // a null gradient leaf is a missing gradient (issue 12: that parameter is not stepped), documented
  update: [call('update', optim.update, [optState('opt', undefined, { updated: true }), paramTree({ nan: 'reject', expect: { 'extra leaf': 'reject', 'leaf null': 'reject' } }), gradTree({ expect: { 'extra leaf': 'reject', 'leaf null': 'any' } })])],
  NonFiniteGradientError: [construct('new NonFiniteGradientError', optim.NonFiniteGradientError, errorArgs(['path', 'index', 'value', 'step']))],
  HyperparameterError: [construct('new HyperparameterError', optim.HyperparameterError, errorArgs(['rule', 'name', 'value', 'requirement']))],
  CheckpointError: [construct('new CheckpointError', optim.CheckpointError, errorArgs(['message']))],
  TooManyNonFiniteStepsError: [construct('new TooManyNonFiniteStepsError', optim.TooManyNonFiniteStepsError, errorArgs(['step', 'consecutive', 'maxConsecutive', 'path']))],
  NonFiniteStateError: [construct('new NonFiniteStateError', optim.NonFiniteStateError, errorArgs(['step', 'rule', 'path', 'index', 'value']))],
  InvalidKeyError: [construct('new InvalidKeyError', optim.InvalidKeyError, errorArgs(['where', 'key', 'path', 'requirement']))],
  InvalidStateError: [construct('new InvalidStateError', optim.InvalidStateError, errorArgs(['path', 'message']))],
  TooManyRejectedStepsError: [construct('new TooManyRejectedStepsError', optim.TooManyRejectedStepsError, errorArgs(['step', 'path', 'consecutive', 'max']))],
  REAL: constant(optim.REAL, {}),
  NON_NEGATIVE: constant(optim.NON_NEGATIVE, { atLeast: 0 }),
  COUNTER: constant(optim.COUNTER, { atLeast: 0, integer: true }),
  UNIT_INTERVAL: constant(optim.UNIT_INTERVAL, { atLeast: 0, below: 1 }),
  DEFAULT_MAX_ELEMENTS: constant(optim.DEFAULT_MAX_ELEMENTS, 2 ** 24),
  interval: [call('interval', optim.interval, [num('lo', { valid: 0 }), num('hi', { valid: 1 }), bool('integer', { valid: false, optional: true })], { result: 'none' })],
  describeDomain: [call('describeDomain', optim.describeDomain, [domain()], { result: 'none' })],
  checkDomain: [
    call('checkDomain', optim.checkDomain, [
      str('path', { valid: 'adam.v' }),
      slot('value', () => Tensor.from([0, 1, 2]), [
        ...wrongTypes(['number']),
        bad('a tensor with -1 (outside the domain)', () => Tensor.from([0, -1]), 'reject', 'domain'),
        bad('a tensor with NaN', () => Tensor.from([0, NaN]), 'reject', 'nonfinite'),
        bad('number -1', () => -1, 'reject', 'domain'),
        bad('number NaN', () => NaN, 'reject', 'nonfinite'),
        bad('number 1.5', () => 1.5, 'any', 'domain'),
      ]),
      domain(),
    ], { result: 'none', names: ['state'] }),
  ],
  Registry: [
    construct('new Registry', optim.Registry, [slot('parent', () => new optim.Registry(), [...wrongTypes(['undefined']), bad('plain object', () => ({}), 'reject', 'type')], { optional: true })], {
      then: [stage([], (r: optim.Registry) => [r.rule('Adam') !== undefined, r.ruleNames().length])],
    }),
    method('Registry#registerRule', fixed('this', () => new optim.Registry()), 'registerRule', [ruleDefinition(), replace()], { result: 'none' }),
    method('Registry#registerSchedule', fixed('this', () => new optim.Registry()), 'registerSchedule', [scheduleDefinition(), replace()], { result: 'none' }),
    method('Registry#rule', fixed('this', () => new optim.Registry()), 'rule', [str('name', { valid: 'Adam' })], { result: 'none' }),
    method('Registry#schedule', fixed('this', () => new optim.Registry()), 'schedule', [str('name', { valid: 'constant' })], { result: 'none' }),
    method('Registry#ruleNames', fixed('this', () => new optim.Registry()), 'ruleNames', [], { result: 'none' }),
    method('Registry#scheduleNames', fixed('this', () => new optim.Registry()), 'scheduleNames', [], { result: 'none' }),
  ],
  defaultRegistry: covered('an instance of Registry: its methods are fuzzed on fresh Registry instances (new Registry)', () =>
    optim.defaultRegistry instanceof optim.Registry ? [] : ['is not a Registry'],
  ),
  registerRule: [call('registerRule', optim.registerRule, [ruleDefinition({ builtins: true }), replace()], { result: 'none' })],
  registerSchedule: [call('registerSchedule', optim.registerSchedule, [scheduleDefinition({ builtins: true }), replace()], { result: 'none' })],
  describeRule: [call('describeRule', optim.describeRule, [rule('rule', () => optim.chain(optim.ClipNorm(1), optim.Adam(0.01)))])],
  buildRule: [call('buildRule', optim.buildRule, [description(), registryArg()], { then: [stepWith], names: stepNames })],
  buildSchedule: [call('buildSchedule', optim.buildSchedule, [scheduleDescription(), registryArg()], { then: [stage([], (s: optim.Schedule) => s(3))] })],
  save: [
    call('save', optim.save, [
      optState('opt', undefined, { expect: { 'state null': 'any', 'frozen "nothing.here"': 'any', 'set up for other parameters': 'any' } }),
      paramTree({ optional: true }),
    ], { result: 'none', names: ['checkpoint'] }),
  ],
  load: [
    call('load', optim.load, [
      checkpointJson('json', () => optim.save(optim.update(optim.setup(optim.Descent(0.1), params()), params(), grads())[0])),
      options('options', {
        params: paramTree({ expect: { 'extra leaf': 'reject', 'leaf null': 'reject' } }),
        registry: registryArg(),
        verifyChecksum: bool('verifyChecksum'),
        maxElements: maxElements(),
      }, { optional: true }),
    ], { then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])], names: ['checkpoint', 'update'] }),
  ],
  saveTrainState: [call('saveTrainState', optim.saveTrainState, [trainStateSlot()], { result: 'none', names: ['checkpoint'] })],
  loadTrainState: [
    call('loadTrainState', optim.loadTrainState, [
      checkpointJson('json', () => optim.saveTrainState(resumable())),
      options('options', {
        registry: registryArg(),
        verifyChecksum: bool('verifyChecksum'),
        maxElements: maxElements(),
      }, { optional: true }),
    ], { then: [stage([], (s: optim.TrainState) => optim.update(s.optimiser, s.params, grads())[1])], names: ['checkpoint', 'update'] }),
  ],
};
