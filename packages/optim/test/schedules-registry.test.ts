/** Schedules (values, validation, serialisation) and the plugin registry. */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import * as O from '@natgrad/optim';
import {
  Adam,
  ClipNorm,
  Descent,
  HyperparameterError,
  RMSProp,
  type Rate,
  Registry,
  type Schedule,
  buildRule,
  buildSchedule,
  chain,
  constant,
  cosineDecay,
  defaultRegistry,
  defineRule,
  defineSchedule,
  describeRule,
  describeSchedule,
  exponentialDecay,
  fail,
  integer,
  load,
  logLinearWarmup,
  nonNegative,
  rate,
  registerRule,
  registerSchedule,
  robbinsMonro,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../src/checkpoint/builtins.js';

describe('schedules', () => {
  it('give the documented values', () => {
    expect(constant(0.3)(100)).toBe(0.3);
    expect(exponentialDecay(1, 0.5, 2)(3)).toBeCloseTo(0.5 ** 1.5, 15);
    expect(exponentialDecay(1, 0.5, 2, { staircase: true })(3)).toBe(0.5);
    const c = cosineDecay(2, 10, 0.1);
    expect(c(0)).toBe(2);
    expect(c(5)).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 15);
    expect(c(10)).toBeCloseTo(0.2, 15);
    expect(c(50)).toBeCloseTo(0.2, 15);
    const w = logLinearWarmup(1e-4, 1e-1, 3);
    expect(w(0)).toBeCloseTo(1e-4, 18);
    expect(w(1)).toBeCloseTo(1e-3, 15);
    expect(w(2)).toBeCloseTo(1e-2, 15);
    expect(w(3)).toBe(0.1);
    expect(w(100)).toBe(0.1);
    expect(robbinsMonro(2, 0.75)(6)).toBeCloseTo(8 ** -0.75, 15);
  });

  it('validate their parameters', () => {
    expect(() => logLinearWarmup(0, 1, 5)).toThrow(HyperparameterError);
    expect(() => robbinsMonro(1, 0.5)).toThrow(/\(0\.5, 1\]/);
    expect(() => robbinsMonro(0, 0.7)).toThrow(HyperparameterError);
    expect(() => cosineDecay(1, 2.5)).toThrow(HyperparameterError);
    expect(() => exponentialDecay(1, 0, 10)).toThrow(HyperparameterError);
  });

  it('are described by a name and numbers and rebuilt through the registry', () => {
    for (const s of [constant(1), exponentialDecay(1, 0.9, 7, { staircase: true }), cosineDecay(1, 9, 0.2), logLinearWarmup(0.01, 1, 4), robbinsMonro(3, 0.6)]) {
      const d = describeSchedule(s);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      const back = buildSchedule(d);
      for (let t = 0; t < 12; t++) expect(back(t)).toBe(s(t));
    }
    expect(() => buildSchedule({ name: 'nope', params: {} })).toThrow(/unknown schedule "nope" \(registered: constant/);
  });

  it('a user-defined schedule registers and checkpoints like a built-in', () => {
    const halveEvery = defineSchedule({
      name: 'halveEvery',
      params: (a: number, every: number) => ({ a, every }),
      check: { a: nonNegative, every: integer(1) },
      at: ({ a, every }) => (t) => a * 0.5 ** Math.floor(t / every),
    });
    expect(halveEvery(1, 2)(5)).toBe(0.25);
    expect(() => halveEvery(1, 0.5)).toThrow(HyperparameterError);
    registerSchedule(halveEvery);
    const opt = setup(Descent(halveEvery(1, 2)), Tensor.from([0]));
    const [o1] = update(opt, Tensor.from([0]), Tensor.from([1]));
    const back = load(save(o1));
    expect(describeRule(back.rule)).toEqual({ name: 'Descent', hyperparams: {}, options: { schedules: { lr: { name: 'halveEvery', params: { a: 1, every: 2 } } } } });
    expect(() => registerSchedule(constant)).toThrow(/already registered \(a built-in schedule\)/);
  });

  it('schedules made of schedules are data too: nested descriptions and lists of numbers rebuild', () => {
    // A two-piece join, written as a user would write Optax's join_schedules (the built-in one comes with item 3).
    const join2 = defineSchedule({
      name: 'testJoin2',
      params: (first: Schedule, second: Schedule, boundaries: readonly number[]) => ({ first, second, boundaries }),
      check: {
        first: (_r, _n, v) => v,
        second: (_r, _n, v) => v,
        boundaries: (r, n, v) => (Array.isArray(v) && v.length === 1 ? v : fail(r, n, v, 'one boundary')),
      },
      at: ({ first, second, boundaries }) => (t) => (t < boundaries[0] ? first(t) : second(t - boundaries[0])),
    });
    registerSchedule(join2);
    const s = join2(constant(0.1), cosineDecay(0.1, 10), [5]);
    const d = describeSchedule(s);
    expect(d).toEqual({ name: 'testJoin2', params: { first: { name: 'constant', params: { value: 0.1 } }, second: { name: 'cosineDecay', params: { init: 0.1, steps: 10, alpha: 0 } }, boundaries: [5] } });
    const back = buildSchedule(JSON.parse(JSON.stringify(d)));
    for (let t = 0; t < 20; t++) expect(back(t)).toBe(s(t));
    expect(() => buildSchedule({ ...d, params: { ...d.params, extra: 1 } })).toThrow(/unknown parameter "extra"/);
  });
});

describe('registry', () => {
  it('knows every built-in: each rule constructor exported with a definition, without a table', () => {
    const exported = Object.values(O)
      .filter((v) => typeof v === 'function' && 'definition' in v && 'children' in (v as { definition: object }).definition)
      .map((v) => (v as { definition: { name: string } }).definition.name);
    expect(exported.length).toBeGreaterThan(15);
    const names = builtinRegistry().ruleNames();
    for (const n of exported) expect(names).toContain(n);
    for (const n of ['Descent', 'Momentum', 'Nesterov', 'Adam', 'AdamW', 'RMSProp', 'AdaGrad', 'IncreasingRate', 'ExpDecay', 'WeightDecay', 'ClipValue', 'ClipNorm', 'Chain', 'Partition', 'Accumulate', 'ApplyIfFinite', 'Backtrack']) {
      expect(names).toContain(n);
    }
    expect(names).not.toContain('NaturalGradient'); // a plug-in: its entry point registers it
    expect(builtinRegistry().scheduleNames()).toEqual([
      'constant',
      'cosineDecay',
      'exponentialDecay',
      'joinSchedules',
      'linearOneCycle',
      'linearSchedule',
      'logLinearWarmup',
      'oneCycle',
      'piecewiseConstant',
      'polynomialSchedule',
      'robbinsMonro',
      'sgdrSchedule',
      'warmupCosineDecay',
      'warmupExponentialDecay',
    ]);
    expect(new Registry().ruleNames()).toEqual([]); // a registry holds what is registered in it
  });

  it('rebuilds rules from their descriptions', () => {
    const r = Adam(0.01, 0.8, 0.9, 1e-6);
    expect(describeRule(buildRule(describeRule(r)))).toEqual(describeRule(r));
    const c = chain(ClipNorm(1, 2, { global: true }), RMSProp(cosineDecay(0.1, 4), 0.8, 1e-7, { centred: true }));
    expect(describeRule(buildRule(JSON.parse(JSON.stringify(describeRule(c)))))).toEqual(describeRule(c));
  });

  it('checks every key of a description against the definition, generically', () => {
    const d = describeRule(RMSProp(0.1, 0.9, 1e-8, { centred: true })) as any;
    expect(() => buildRule({ ...d, hyperparams: { ...d.hyperparams, bogus: 1 } })).toThrow(/hyperparams\.bogus: not a hyperparameter of RMSProp/);
    expect(() => buildRule({ ...d, hyperparams: { lr: 0.1, rho: 0.9 } })).toThrow(/hyperparams\.eps: missing/);
    expect(() => buildRule({ ...d, options: { ...d.options, bogus: true } })).toThrow(/options\.bogus: not an option of RMSProp/);
    expect(() => buildRule({ ...d, options: { centred: 'yes' } })).toThrow(/option centred must be a boolean/);
    expect(() => buildRule({ ...d, hyperparams: { lr: 0.1, eps: 1e-8 }, options: { centred: true, schedules: { rho: { name: 'constant', params: { value: 0.5 } } } } })).toThrow(/not a schedulable hyperparameter/);
    expect(() => buildRule({ ...d, options: { centred: true, schedules: { lr: { name: 'constant', params: { value: 0.5 } } } } })).toThrow(/given both as a number and as a schedule/);
    expect(() => buildRule({ ...d, hyperparams: { ...d.hyperparams, rho: 2 } })).toThrow(HyperparameterError);
    // an option left out takes its default (a file written before the option existed still loads)
    const { options: _o, ...withoutOptions } = d;
    expect(buildRule(withoutOptions).options).toEqual({ centred: false, epsInSqrt: false });
  });

  it('a user-defined rule is one definition, registered to checkpoint', () => {
    // Lion-style sign descent.
    const MySign = defineRule({
      name: 'MySign',
      hyperparams: (lr: Rate = 0.1) => ({ lr }),
      check: { lr: rate },
      init: () => ({}),
      apply: (s, _p, g, h) => [s, new Tensor(g.data.map((x) => h.lr * Math.sign(x)), g.shape)],
    });
    const reg = new Registry(defaultRegistry).registerRule(MySign);
    const opt = setup(MySign(0.1), Tensor.from([1, 1]));
    const [o1, x1] = update(opt, Tensor.from([1, 1]), Tensor.from([3, -2]));
    expect((x1 as Tensor).toFlatArray()).toEqual([0.9, 1.1]);
    expect(() => load(save(o1))).toThrow(/unknown rule "MySign"/);
    expect(load(save(o1), { registry: reg }).rule.name).toBe('MySign');
    expect(MySign.definition.hyperparams).toEqual(['lr']);
    expect(MySign.definition.schedulable).toEqual(['lr']);
  });

  it('refuses duplicate and malformed names', () => {
    expect(() => registerRule(Adam)).toThrow(/already registered \(a built-in rule\)/);
    expect(() => new Registry().registerRule({ ...Adam.definition, name: '__proto__' })).toThrow(InvalidArgumentError);
    expect(() => new Registry().registerRule((() => 1) as never)).toThrow(/expected a definition/);
    expect(() => new Registry().registerRule(Adam, { replace: true })).not.toThrow();
    const r = new Registry().registerRule(Adam);
    expect(() => r.registerRule({ ...Adam.definition })).toThrow(/already registered/);
  });
});

describe('defineRule', () => {
  const Scale = defineRule({
    name: 'Scale',
    hyperparams: (lr: Rate = 0.5, floor = 0) => ({ lr, floor }),
    check: { lr: rate, floor: nonNegative },
    options: { negate: false },
    init: () => ({ n: 0 }),
    apply: (s, _p, g, h) => [{ n: s.n + 1 }, new Tensor(g.data.map((x) => (h.negate ? -1 : 1) * Math.max(h.lr * x, h.floor)), g.shape)],
  });

  it('takes positional hyperparameters with their defaults, then the options', () => {
    expect(Scale().hyperparams).toEqual({ lr: 0.5, floor: 0 });
    expect(Scale(0.1, 2, { negate: true }).options).toEqual({ negate: true });
    expect(Scale(0.1).options).toEqual({ negate: false });
    const [, x] = update(setup(Scale(2, 0, { negate: true }), Tensor.from([1])), Tensor.from([1]), Tensor.from([3]));
    expect((x as Tensor).toFlatArray()).toEqual([7]);
    expect(Scale.definition).toMatchObject({ name: 'Scale', hyperparams: ['lr', 'floor'], schedulable: ['lr'], options: ['negate'], children: 0 });
  });

  it('refuses bad values, unknown options and extra arguments with typed errors', () => {
    expect(() => Scale(-1)).toThrow(HyperparameterError);
    expect(() => Scale(0.1, -1)).toThrow(/Scale: hyperparameter floor = -1/);
    expect(() => Scale(constant(0.1) as never, constant(1) as never)).toThrow(HyperparameterError);
    expect(() => Scale(0.1, 0, { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => Scale(0.1, 0, { negate: 'yes' } as never)).toThrow(/option negate must be a boolean/);
    expect(() => (Scale as any)(0.1, 0, {}, 4)).toThrow(/expected at most 2 hyperparameter/);
  });

  it('refuses a malformed definition', () => {
    const ok = { name: 'X', hyperparams: (a = 1) => ({ a }), check: { a: nonNegative }, init: () => ({}), apply: (s: never, _p: Tensor, g: Tensor) => [s, g] as const };
    expect(() => defineRule({ ...ok, name: 'a b' })).toThrow(/must be an identifier/);
    expect(() => defineRule({ ...ok, name: 'constructor' })).toThrow(InvalidArgumentError);
    expect(() => defineRule({ ...ok, check: {} as never })).toThrow(/no check for hyperparameter a/);
    expect(() => defineRule({ ...ok, check: { a: nonNegative, b: nonNegative } as never })).toThrow(/check for b, which is not a hyperparameter/);
    expect(() => defineRule({ ...ok, options: { a: true } as never })).toThrow(/option name "a" is not allowed/);
    expect(() => defineRule({ ...ok, options: { o: null } as never })).toThrow(/needs a default/);
    expect(() => defineRule({ ...ok, init: 1 } as never)).toThrow(/init and apply must be functions/);
  });
});
