/**
 * Signatures of the optimiser state machinery of `@natgrad/optim`: `setup`/`update`, user rules (`leafRule`),
 * contexts, hyperparameter injection, the registry, checkpoints (`save`/`load`, with targeted and random checkpoint
 * mutations), `NaturalGradient` and the parametrisation registry, and the error classes.
 * @module
 */
import { Tensor } from '@natgrad/core';
import * as dist from '@natgrad/distributions';
import * as optim from '@natgrad/optim';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, constant, construct, covered, method, stage } from '../../harness/entry.js';
import { bool, field, fn, fixed, int, num, options, slot, str, tree } from '../../harness/slots.js';
import { checkpointJson, grads, optState, params, rule } from '../../harness/slots-optim.js';
import { gaussian, parametrisation } from '../../harness/slots-distributions.js';
import { stepNames, stepWith } from './rules.js';

let counter = 0;
/** A name no case has registered yet (registries are process-wide, and a name can be taken once). */
const fresh = (prefix: string) => () => `${prefix}${counter++}`;

/** A valid `leafRule` spec: plain descent with rate 0.1. */
const leafSpec = () => ({
  name: 'FuzzLeaf',
  hyperparams: { lr: 0.1 },
  init: () => ({}),
  apply: (s: object, _p: Tensor, g: Tensor) => [s, new Tensor(g.data.map((x) => 0.1 * x), g.shape)] as const,
});

const paramTree = (o: Parameters<typeof tree>[2] = {}) => tree('params', params, { tensorLeaves: true, ...o });
const gradTree = (o: Parameters<typeof tree>[2] = {}) => tree('grads', grads, { tensorLeaves: true, nan: 'reject', expect: { 'extra leaf': 'reject', 'leaf null': 'reject' }, ...o });

const registryArg = () => slot('registry', () => new optim.Registry(), [...wrongTypes(['undefined']), bad('plain object', () => ({ rule: () => undefined }), 'reject', 'type')], { optional: true });

const ruleName = () => slot('name', fresh('FuzzRule'), [
  ...wrongTypes(['string']),
  bad('"__proto__"', () => '__proto__', 'reject', 'hostile'),
  bad('"constructor"', () => 'constructor', 'reject', 'hostile'),
  bad('"bad-name"', () => 'bad-name', 'reject', 'domain'),
  bad('"2abc" (starts with a digit)', () => '2abc', 'reject', 'domain'),
  bad('a taken name (Adam)', () => 'Adam', 'reject', 'domain'),
]);
const scheduleName = () => slot('name', fresh('fuzzSchedule'), [...ruleName().bad.filter((b) => b.label !== 'a taken name (Adam)'), bad('a taken name (constant)', () => 'constant', 'reject', 'domain')]);
const factory = (valid: () => unknown) => fn('factory', valid, { garbage: [['a string', 'abc', 'any']] });
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

const injected = () => optim.setup(optim.injectHyperparams(optim.Adam(0.01)), params());
const hyperValues = () =>
  slot('values', () => ({ lr: 0.001 }), [
    ...wrongTypes(['object']),
    bad('unknown hyperparameter', () => ({ nope: 1 }), 'reject', 'domain'),
    bad('negative lr', () => ({ lr: -1 }), 'reject', 'domain'),
    bad('lr NaN', () => ({ lr: NaN }), 'reject', 'nonfinite'),
    bad('lr as a string', () => ({ lr: '0.1' }), 'reject', 'type'),
    bad('beta1 = 1', () => ({ beta1: 1 }), 'reject', 'domain'),
    bad('own "__proto__" key', () => JSON.parse('{"__proto__": {"lr": 5}}'), 'reject', 'hostile'),
    bad('"constructor" key', () => ({ constructor: 1 }), 'reject', 'hostile'),
  ]);

/** A Gaussian block parameter tree `{ q: { mu, L } }` and its gradient, for NaturalGradient. */
const qParams = () => ({ q: gaussian('q', dist.meanCholesky).valid() as Record<string, Tensor> });
const qGrads = () => ({ q: { mu: Tensor.from([0.1, -0.2]), L: Tensor.from([[0.05, 0], [0.01, 0.02]]) } });

/** A parametrisation with a fresh name, for registerParametrisation. */
/** A spec with meanCovariance's maps (a descriptor is not a spec: defineParametrisation refuses its other members). */
const specLike = (name: string) => ({
  name,
  family: 'full' as const,
  coordinates: dist.meanCovariance.coordinates,
  toMoments: dist.meanCovariance.unchecked.toMoments,
  fromMoments: dist.meanCovariance.unchecked.fromMoments,
});
const freshParametrisation = () => dist.defineParametrisation(specLike(fresh('fuzzP')()));

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
  leafRule: [
    call('leafRule', optim.leafRule, [
      options('spec', {
        name: str('name', { valid: 'FuzzLeaf' }),
        hyperparams: options('hyperparams', { lr: num('lr', { valid: 0.1 }) }, { valid: () => ({ lr: 0.1 }), strict: false }),
        init: fn('init', () => () => ({}), { garbage: [['a string', 'abc', 'any'], ['a Tensor', Tensor.zeros([1]), 'any']] }),
        apply: fn('apply', leafSpec().apply as () => unknown, { garbage: [['a string', 'abc'], ['undefined', undefined], ['a one-element array', [1]]] }),
      }, { valid: leafSpec, required: ['name', 'hyperparams', 'init', 'apply'] }),
    ], { then: [stepWith], names: ['FuzzLeaf', ...stepNames] }),
  ],
  joinPath: [call('joinPath', optim.joinPath, [str('a', { valid: 'q' }), str('b', { valid: 'mu' })], { result: 'none' })],
  rootContext: [call('rootContext', optim.rootContext, [int('step', { valid: 3 }), slot('sink', () => [], wrongTypes(['array']))])],
  subContext: [
    call('subContext', optim.subContext, [
      slot('ctx', () => optim.rootContext(0, []), [...wrongTypes(), bad('context without emit', () => ({ step: 0, path: '' }), 'reject', 'type')]),
      str('sub', { valid: 'mu' }),
    ], { then: [stage([], (ctx: optim.ApplyContext) => (ctx.emit({ type: 'fuzz', message: 'x' }), ctx.path))], result: 'none' }),
  ],
  setup: [call('setup', optim.setup, [rule('rule'), paramTree()])],
  update: [call('update', optim.update, [optState('opt', undefined, { updated: true }), paramTree({ nan: 'reject', expect: { 'extra leaf': 'reject', 'leaf null': 'reject' } }), gradTree()])],
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
  setHyperparams: [
    call('setHyperparams', optim.setHyperparams, [
      optState('opt', injected),
      str('path', { valid: '', extra: [bad('"nothing" (no injected rule there)', () => 'nothing', 'reject', 'domain')] }),
      hyperValues(),
      registryArg(),
    ], { then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])], names: ['update'] }),
    call('setHyperparams [values only]', optim.setHyperparams, [optState('opt', injected), hyperValues()], {
      then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])],
      names: ['update'],
    }),
  ],
  getHyperparams: [call('getHyperparams', optim.getHyperparams, [optState('opt', injected), registryArg()])],
  Registry: [
    construct('new Registry', optim.Registry, [slot('parent', () => new optim.Registry(), [...wrongTypes(['undefined']), bad('plain object', () => ({}), 'reject', 'type')], { optional: true })], {
      then: [stage([], (r: optim.Registry) => [r.rule('Adam') !== undefined, r.ruleNames().length])],
    }),
    method('Registry#registerRule', fixed('this', () => new optim.Registry()), 'registerRule', [ruleName(), factory(() => (h: optim.Hyperparams) => optim.Descent(h.lr)), replace()], { result: 'none' }),
    method('Registry#registerSchedule', fixed('this', () => new optim.Registry()), 'registerSchedule', [scheduleName(), factory(() => () => optim.constant(1)), replace()], { result: 'none' }),
    method('Registry#rule', fixed('this', () => new optim.Registry()), 'rule', [str('name', { valid: 'Adam' })], { result: 'none' }),
    method('Registry#schedule', fixed('this', () => new optim.Registry()), 'schedule', [str('name', { valid: 'constant' })], { result: 'none' }),
    method('Registry#ruleNames', fixed('this', () => new optim.Registry()), 'ruleNames', [], { result: 'none' }),
    method('Registry#scheduleNames', fixed('this', () => new optim.Registry()), 'scheduleNames', [], { result: 'none' }),
  ],
  defaultRegistry: covered('an instance of Registry: its methods are fuzzed on fresh Registry instances (new Registry)', () =>
    optim.defaultRegistry instanceof optim.Registry ? [] : ['is not a Registry'],
  ),
  registerRule: [call('registerRule', optim.registerRule, [ruleName(), factory(() => (h: optim.Hyperparams) => optim.Descent(h.lr)), replace()], { result: 'none' })],
  registerSchedule: [call('registerSchedule', optim.registerSchedule, [scheduleName(), factory(() => () => optim.constant(1)), replace()], { result: 'none' })],
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
      }, { optional: true }),
    ], { then: [stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1])], names: ['checkpoint', 'update'] }),
  ],
  NaturalGradient: [
    call('NaturalGradient', optim.NaturalGradient, [
      rule('inner', () => optim.Descent(0.5), { applied: true, expect: { 'rule whose step has the wrong shape': 'any', 'rule whose step is NaN': 'any' } }),
      options('options', {
        parametrisation: parametrisation('parametrisation', dist.meanCholesky, dist.meanCovariance),
        coordinates: str('coordinates', { valid: 'native', oneOf: ['natural', 'native'] }),
        maxHalvings: int('maxHalvings', { valid: 3, size: true }),
        riemannian: bool('riemannian', { valid: false }),
      }, { optional: true }),
    ], { then: [stage([], (r: optim.AnyRule) => optim.update(optim.setup(r, qParams()), qParams(), qGrads())[1])], names: stepNames }),
  ],
  registerParametrisation: [
    call('registerParametrisation', optim.registerParametrisation, [
      slot('P', freshParametrisation, [
        ...wrongTypes(),
        bad('a built-in descriptor (already known)', () => dist.meanCholesky, 'any', 'domain'),
        bad('another descriptor named "meanCholesky"', () => dist.defineParametrisation(specLike('meanCholesky')), 'reject', 'domain'),
        bad('descriptor named "__proto__"', () => ({ ...dist.meanCovariance, name: '__proto__' }), 'reject', 'hostile'),
        bad('object with only a name', () => ({ name: fresh('fuzzHalf')() }), 'reject', 'type'),
      ]),
    ], { result: 'none' }),
  ],
  parametrisationByName: [call('parametrisationByName', optim.parametrisationByName, [str('name', { valid: 'meanCholesky' })], { result: 'none' })],
};
