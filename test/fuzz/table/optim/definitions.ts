/**
 * Signatures of the rule and schedule definitions of `@natgrad/optim` (issue 12): `defineRule`, `defineTreeRule`,
 * `defineSchedule`, the hyperparameter checks, `checkRule`/`checkOptions`, `adjust` and `backtrack` with
 * `registerConstraint`. A definition entry goes on to build a rule (or schedule) from it and use it, so a malformed
 * spec that slips through `define*` still has to be caught before it produces a step.
 * @module
 */
import { Tensor } from '@natgrad/core';
import * as optim from '@natgrad/optim';
import type { AnyRule, Rate } from '@natgrad/optim';
import { HostileError, bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, apply, call, stage } from '../../harness/entry.js';
import { anything, fixed, fn, int, list, num, options, slot, str } from '../../harness/slots.js';
import { grads, optState, params, rule } from '../../harness/slots-optim.js';
import type { Bad, Slot } from '../../harness/types.js';
import { stepNames, stepWith } from './rules.js';

let counter = 0;
/** A name no case has registered yet (registries are process-wide, and a name can be taken once). */
export const fresh = (prefix: string) => (): string => `${prefix}${counter++}`;

const scaledBy = (g: Tensor, c: number) => new Tensor(g.data.map((x) => c * x), g.shape);

/** A valid `defineRule` spec: descent with a schedulable rate. */
const leafSpec = (name = 'FuzzLeaf') => ({
  name,
  hyperparams: (lr: Rate = 0.1) => ({ lr }),
  check: { lr: optim.rate },
  init: () => ({}),
  apply: (s: object, _p: Tensor, g: Tensor, h: { lr: number }) => [s, scaledBy(g, h.lr)] as const,
});
/** A rule constructor under a fresh name. */
const freshRule = () => optim.defineRule(leafSpec(fresh('FuzzRule')()) as never) as unknown as (...a: unknown[]) => AnyRule;

/** A valid `defineSchedule` spec. */
const scheduleSpec = (name = 'fuzzHalve') => ({
  name,
  params: (init = 1, every = 2) => ({ init, every }),
  check: { init: optim.nonNegative, every: optim.integer(1) },
  at: ({ init, every }: { init: number; every: number }) => (t: number) => init * 0.5 ** Math.floor(t / every),
});
const freshSchedule = () => optim.defineSchedule(scheduleSpec(fresh('fuzzSchedule')()) as never);

/** A rule definition argument of `registerRule` (`builtins`: the default registry, which refuses built-in names). */
export function ruleDefinition(o: { readonly builtins?: boolean } = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('a rule (not its constructor)', () => optim.Descent(0.1), 'reject', 'type'),
    bad('its JSON description', () => optim.describeRule(optim.Adam(0.01)), 'reject', 'type'),
    bad('a plain function', () => () => optim.Descent(0.1), 'reject', 'type'),
    bad('{ name } only', () => ({ name: fresh('FuzzHalf')() }), 'reject', 'type'),
    bad('definition named "__proto__"', () => ({ ...(freshRule() as unknown as { definition: object }).definition, name: '__proto__' }), 'reject', 'hostile'),
    bad('a schedule constructor', () => freshSchedule(), 'reject', 'type'),
    bad('a built-in (Adam)', () => optim.Adam, o.builtins ? 'reject' : 'any', 'domain'),
  ];
  if (o.builtins) {
    bads.push(bad('another definition under a taken name', () => {
      const name = fresh('FuzzTaken')();
      optim.registerRule(optim.defineRule(leafSpec(name) as never));
      return optim.defineRule(leafSpec(name) as never);
    }, 'reject', 'domain'));
  }
  return slot('definition', freshRule, bads);
}

/** A schedule definition argument of `registerSchedule`. */
export function scheduleDefinition(o: { readonly builtins?: boolean } = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('a schedule (not its constructor)', () => optim.cosineDecay(0.1, 10), 'reject', 'type'),
    bad('a plain function', () => () => 1, 'reject', 'type'),
    bad('{ name } only', () => ({ name: fresh('fuzzHalf')() }), 'reject', 'type'),
    bad('definition named "__proto__"', () => ({ ...freshSchedule().definition, name: '__proto__' }), 'reject', 'hostile'),
    bad('a rule constructor', () => freshRule(), 'reject', 'type'),
    bad('a built-in (cosineDecay)', () => optim.cosineDecay, o.builtins ? 'reject' : 'any', 'domain'),
  ];
  if (o.builtins) {
    bads.push(bad('another definition under a taken name', () => {
      const name = fresh('fuzzTaken')();
      optim.registerSchedule(optim.defineSchedule(scheduleSpec(name) as never));
      return optim.defineSchedule(scheduleSpec(name) as never);
    }, 'reject', 'domain'));
  }
  return slot('definition', freshSchedule, bads);
}

/** The name of a definition: an identifier that no other definition of the process has. */
const definitionName = (prefix: string) =>
  slot('name', fresh(prefix), [
    ...wrongTypes(['string']),
    bad('empty string', () => '', 'reject', 'domain'),
    bad('"__proto__"', () => '__proto__', 'reject', 'hostile'),
    bad('"constructor"', () => 'constructor', 'reject', 'hostile'),
    bad('"bad-name"', () => 'bad-name', 'reject', 'domain'),
    bad('"2abc" (starts with a digit)', () => '2abc', 'reject', 'domain'),
  ]);

/** `s` with the bad values of its keys' values (sub-slots) marked as fine. */
const valuesAny = (s: Slot): Slot => ({ ...s, bad: s.bad.map((b) => (b.sub === undefined ? b : { ...b, expect: 'any' as const })) });

/** An option default of a definition: values of the `accepted` kinds are valid, the other wrong types must be refused. */
function optionDefault(name: string, accepted: readonly string[]): Slot {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'object' : typeof v);
  const isJson = (v: unknown): boolean => {
    try {
      return JSON.stringify(v) !== undefined && JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v) && (typeof v !== 'number' || Number.isFinite(v)) && (typeof v !== 'object' || v === null || [Object.prototype, Array.prototype].includes(Object.getPrototypeOf(v)));
    } catch {
      return false;
    }
  };
  return slot(name, () => 1, wrongTypes().map((b) => {
    const v = b.make();
    const ok = accepted.includes(kind(v)) && (!accepted.includes('object') || isJson(v));
    return ok ? { ...b, expect: 'any' as const } : b;
  }));
}

/** A hyperparameter check's call: the rule and hyperparameter names are labels the definitions pass, not user input. */
function checkEntry(name: string, f: (rule: string, hp: string, v: never) => unknown, value: Slot): ExportSpec {
  return [call(name, f, [fixed('rule', () => 'FuzzRule'), fixed('name', () => 'lr'), value], { names: ['FuzzRule'] })];
}

/** A constraint for `backtrack`: all parameters ≤ 10. */
const boundedBy10 = (name = 'fuzzBounded') => ({
  name,
  valid: (p: Record<string, Tensor | null>) => Object.values(p).every((t) => t === null || t.data.every((x) => x <= 10)),
});
const constraintSlot = (name: () => string) =>
  slot('constraint', () => boundedBy10(name()), [
    ...wrongTypes(),
    bad('without a name', () => ({ valid: () => true }), 'reject', 'shape'),
    bad('without valid', () => ({ name: name() }), 'reject', 'shape'),
    bad('name "__proto__"', () => ({ ...boundedBy10(), name: '__proto__' }), 'reject', 'hostile'),
    bad('valid "yes"', () => ({ name: name(), valid: 'yes' }), 'reject', 'type'),
    bad('units "all"', () => ({ ...boundedBy10(name()), units: 'all' }), 'reject', 'type'),
    bad('units returning "x"', () => ({ ...boundedBy10(name()), units: () => 'x' }), 'reject', 'callback'),
    bad('units returning an unknown path', () => ({ ...boundedBy10(name()), units: () => ['nothing.here'] }), 'reject', 'callback'),
    bad('valid that throws', () => ({ name: name(), valid: () => {
      throw new HostileError('constraint');
    } }), 'any', 'callback'),
    bad('valid returning "no"', () => ({ name: name(), valid: () => 'no' }), 'reject', 'callback'),
    bad('valid always false', () => ({ name: name(), valid: () => false }), 'any', 'domain'),
  ]);

/** `s` with its misbehaving-callback values marked fine (for a call that stores the callbacks without calling them). */
const callbacksAny = (s: Slot): Slot => ({ ...s, bad: s.bad.map((b) => (b.family === 'callback' ? { ...b, expect: 'any' as const } : b)) });

/** `maxConsecutiveRejections`: a count, not a size (a huge one means "never stop"), so only non-integers are wrong. */
export const rejections = (): Slot => int('maxConsecutiveRejections', { valid: 3, expect: { '2^31': 'any', '1e9': 'any', '2^53 + 2': 'any' } });

/** Changes for `adjust` on an Adam optimiser. */
const changes = () =>
  slot('changes', () => ({ lr: 0.001 }), [
    ...wrongTypes(['object']),
    bad('empty {}', () => ({}), 'reject', 'shape'),
    bad('unknown hyperparameter', () => ({ nope: 1 }), 'reject', 'domain'),
    bad('negative lr', () => ({ lr: -1 }), 'reject', 'domain'),
    bad('lr NaN', () => ({ lr: NaN }), 'reject', 'nonfinite'),
    bad('lr as a string', () => ({ lr: '0.1' }), 'reject', 'type'),
    bad('beta1 = 1', () => ({ beta1: 1 }), 'reject', 'domain'),
    bad('a schedule for beta1 (not schedulable)', () => ({ beta1: optim.constant(0.5) }), 'reject', 'domain'),
    bad('a schedule for lr', () => ({ lr: optim.cosineDecay(0.1, 10) }), 'any', 'type'),
    bad('own "__proto__" key (JSON.parse)', () => JSON.parse('{"__proto__": {"lr": 5}}'), 'reject', 'hostile'),
    bad('"constructor" key', () => ({ constructor: 1 }), 'reject', 'hostile'),
    bad('Proxy with throwing traps', () => new Proxy({ lr: 1 }, { ownKeys: () => { throw new HostileError('ownKeys'); } }), 'any', 'hostile'),
  ]);
const adamState = () => optim.setup(optim.chain(optim.ClipNorm(1), optim.Adam(0.01)), params());
const afterUpdate = stage([], (opt: optim.OptimiserState) => optim.update(opt, params(), grads())[1]);

/** The definitions, checks and backtracking of `@natgrad/optim`, by export name. */
export const definitionsTable: Readonly<Record<string, ExportSpec>> = {
  defineRule: [
    call('defineRule', optim.defineRule, [
      options('spec', {
        name: definitionName('FuzzLeaf'),
        hyperparams: fn('hyperparams', () => leafSpec().hyperparams, { garbage: [['a string', 'abc'], ['undefined', undefined], ['an array', [0.1]]] }),
        check: options('check', { lr: fn('lr', () => optim.rate, { garbage: [['undefined', undefined, 'any'], ['a string', 'abc']] }) }, { valid: () => ({ lr: optim.rate }), required: ['lr'] }),
        init: fn('init', () => () => ({}), { garbage: [['a string', 'abc'], ['a Tensor', Tensor.zeros([1])], ['null', null]] }),
        apply: fn('apply', () => leafSpec().apply, { garbage: [['a string', 'abc'], ['undefined', undefined], ['a one-element array', [1]]] }),
        // an option's default may be a boolean, a number or a string: only other types must be refused
        options: options('options', { centred: optionDefault('centred', ['boolean', 'number', 'string']) }, { strict: false }),
        domain: options('domain', { v: slot('v', () => optim.NON_NEGATIVE, [...wrongTypes(['object']), bad('{ atLeast: "0" }', () => ({ atLeast: '0' }), 'reject', 'type')]) }, { strict: false }),
      }, { valid: () => ({ ...leafSpec(fresh('FuzzLeaf')()) }), required: ['name', 'hyperparams', 'check', 'init', 'apply'] }),
    ], { then: [stage([], (ctor: () => AnyRule) => optim.update(optim.setup(ctor(), params()), params(), grads())[1])], names: ['defineRule', 'FuzzLeaf*', ...stepNames] }),
  ],
  defineTreeRule: [
    call('defineTreeRule', optim.defineTreeRule, [
      options('spec', {
        name: definitionName('FuzzTree'),
        hyperparams: options('hyperparams', { k: fn('k', () => optim.integer(1), { garbage: [['a string', 'abc']] }) }, { valid: () => ({ k: optim.integer(1) }) }),
        // a tree rule's option default is any JSON value (checkpoints store it)
        options: options('options', { mode: optionDefault('mode', ['boolean', 'number', 'string', 'null', 'object']) }, { strict: false }),
        children: slot('children', () => 1, [...wrongTypes(['number']), bad('-1', () => -1, 'reject', 'size'), bad('1.5', () => 1.5, 'reject', 'size'), bad('"any"', () => 'any', 'any', 'domain'), bad('2 (the args give one)', () => 2, 'reject', 'shape')]),
        transparent: slot('transparent', () => true, [bad('"no"', () => 'no', 'reject', 'option'), bad('1', () => 1, 'reject', 'type')]),
        args: fn('args', () => (r: AnyRule) => ({ hyperparams: { k: 1 }, children: [r] }), { garbage: [['a string', 'abc'], ['undefined', undefined], ['{ children: "x" }', { children: 'x' }], ['{ hyperparams: { k: -1 } }', { hyperparams: { k: -1 } }]] }),
        create: fn('create', () => ({ children }: { children: readonly AnyRule[] }) => ({ init: (p: unknown) => children[0].init(p as never), apply: (s: unknown, p: unknown, g: unknown, ctx: unknown) => children[0].apply(s as never, p as never, g as never, ctx as never) }), { garbage: [['a string', 'abc'], ['undefined', undefined], ['{} (no init/apply)', {}]] }),
      }, {
        valid: () => ({
          name: fresh('FuzzTree')(),
          hyperparams: { k: optim.integer(1) },
          children: 1,
          transparent: true,
          args: (r: AnyRule) => ({ hyperparams: { k: 1 }, children: [r] }),
          create: ({ children }: { children: readonly AnyRule[] }) => ({ init: (p: never) => children[0].init(p), apply: (s: never, p: never, g: never, ctx: never) => children[0].apply(s, p, g, ctx) }),
        }),
        required: ['name', 'args', 'create'],
      }),
    ], { then: [stage([], (ctor: (r: AnyRule) => AnyRule) => optim.update(optim.setup(ctor(optim.Descent(0.1)), params()), params(), grads())[1])], names: ['defineTreeRule', 'FuzzTree*', ...stepNames] }),
  ],
  defineSchedule: [
    call('defineSchedule', optim.defineSchedule, [
      options('spec', {
        name: definitionName('fuzzSched'),
        params: fn('params', () => scheduleSpec().params, { garbage: [['a string', 'abc'], ['undefined', undefined], ['a key without a check { z: 1 }', { init: 1, every: 2, z: 1 }]] }),
        check: options('check', { init: fn('init', () => optim.nonNegative), every: fn('every', () => optim.integer(1)) }, { valid: () => ({ init: optim.nonNegative, every: optim.integer(1) }), required: ['init', 'every'] }),
        // a schedule returns what the user's function returns; the rules that evaluate it refuse a non-finite rate
        at: fn('at', () => scheduleSpec().at, { garbage: [['a string', 'abc'], ['undefined', undefined], ['a function returning NaN', () => NaN, 'ieee'], ['a function returning "x"', () => 'x', 'any']] }),
      }, { valid: () => ({ ...scheduleSpec(fresh('fuzzSched')()) }), required: ['name', 'params', 'check', 'at'] }),
    ], { then: [stage([], (ctor: () => optim.Schedule) => ctor()(3))], names: ['defineSchedule', 'fuzzSched*'] }),
  ],
  rate: checkEntry('rate', optim.rate as never, slot('value', () => 0.1, [
    ...num('value', { valid: 0.1, min: 0 }).bad,
    bad('a plain function (not a schedule)', () => () => 0.1, 'reject', 'type'),
  ])),
  nonNegative: checkEntry('nonNegative', optim.nonNegative as never, num('value', { valid: 0.1, min: 0 })),
  positive: checkEntry('positive', optim.positive as never, num('value', { valid: 0.1, min: 0, open: 'min' })),
  unitInterval: checkEntry('unitInterval', optim.unitInterval as never, num('value', { valid: 0.9, min: 0, max: 1, open: 'max' })),
  finite: checkEntry('finite', optim.finite as never, num('value', { valid: -2 })),
  integer: [
    call('integer', optim.integer, [int('min', { valid: 1, min: -Infinity })], {
      then: [apply([fixed('rule', () => 'FuzzRule'), fixed('name', () => 'k'), int('value', { valid: 3, min: 1 })])],
      names: ['FuzzRule'],
    }),
  ],
  fail: [call('fail', optim.fail, [fixed('rule', () => 'FuzzRule'), fixed('name', () => 'lr'), anything('value', () => -1), str('requirement', { valid: 'a number > 0' })], { baselineThrows: true, result: 'none', names: ['FuzzRule'] })],
  checkRule: [call('checkRule', optim.checkRule, [fixed('where', () => 'fuzzWhere'), rule('x')], { names: ['fuzzWhere'], result: 'none' })],
  checkOptions: [
    call('checkOptions', optim.checkOptions, [
      fixed('where', () => 'fuzzWhere'),
      // checkOptions looks at keys only (documented): any value of a known key passes
      valuesAny(options('options', { a: num('a', { valid: 1 }) }, { optional: true, valid: () => ({ a: 1 }) })),
      list('known', str('k', { valid: 'a' }), 1, { min: 0, expect: { 'array of strings': 'any' } }),
    ], { names: ['fuzzWhere'], result: 'none' }),
  ],
  adjust: [
    call('adjust', optim.adjust, [optState('opt', adamState), changes()], { then: [afterUpdate], names: ['update'] }),
    call('adjust [target]', optim.adjust, [
      optState('opt', adamState),
      str('target', { valid: 'Adam', extra: [bad('"nothing" (no rule there)', () => 'nothing', 'reject', 'domain'), bad('"__proto__"', () => '__proto__', 'reject', 'hostile')] }),
      changes(),
    ], { then: [afterUpdate], names: ['adjust', 'update'] }),
  ],
  backtrack: [
    call('backtrack', optim.backtrack, [
      rule('rule', () => optim.Descent(0.1), { applied: true, expect: { 'rule whose step is NaN': 'any', 'rule whose step has the wrong shape': 'any' } }),
      constraintSlot(fresh('fuzzBounded')),
      options('options', { maxHalvings: int('maxHalvings', { valid: 3, size: true }), maxConsecutiveRejections: rejections() }, { optional: true }),
    ], { then: [stepWith], names: ['Backtrack', ...stepNames] }),
  ],
  // registering does not call the constraint: only what it is (a name, functions) can be refused then
  registerConstraint: [call('registerConstraint', optim.registerConstraint, [callbacksAny(constraintSlot(fresh('fuzzRegistered')))], { result: 'none' })],
};
