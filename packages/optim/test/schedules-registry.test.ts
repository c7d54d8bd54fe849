/** Schedules (values, validation, serialisation) and the plugin registry. */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import {
  Adam,
  Descent,
  HyperparameterError,
  Registry,
  buildRule,
  buildSchedule,
  constant,
  cosineDecay,
  defaultRegistry,
  describeRule,
  describeSchedule,
  exponentialDecay,
  leafRule,
  load,
  logLinearWarmup,
  makeSchedule,
  registerRule,
  registerSchedule,
  robbinsMonro,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { describe, expect, it } from 'vitest';

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
    const step = (a: number, every: number) => makeSchedule('halveEvery', { a, every }, (t) => a * 0.5 ** Math.floor(t / every));
    registerSchedule('halveEvery', (p) => step(p.a, p.every));
    const opt = setup(Descent(step(1, 2)), Tensor.from([0]));
    const [o1] = update(opt, Tensor.from([0]), Tensor.from([1]));
    const back = load(save(o1));
    expect(describeRule(back.rule)).toEqual({ name: 'Descent', hyperparams: {}, options: { schedules: { lr: { name: 'halveEvery', params: { a: 1, every: 2 } } } } });
  });
});

describe('registry', () => {
  it('knows every built-in from its static table', () => {
    const names = new Registry().ruleNames();
    for (const n of ['Descent', 'Momentum', 'Nesterov', 'Adam', 'AdamW', 'RMSProp', 'AdaGrad', 'IncreasingRate', 'ExpDecay', 'WeightDecay', 'ClipValue', 'ClipNorm', 'Chain', 'Partition', 'InjectHyperparams', 'Accumulate', 'ApplyIfFinite', 'NaturalGradient']) {
      expect(names).toContain(n);
    }
    expect(new Registry().scheduleNames()).toEqual(['constant', 'cosineDecay', 'exponentialDecay', 'logLinearWarmup', 'robbinsMonro']);
  });

  it('rebuilds rules from their descriptions', () => {
    const r = Adam(0.01, 0.8, 0.9, 1e-6);
    expect(describeRule(buildRule(describeRule(r)))).toEqual(describeRule(r));
  });

  it('a user-defined rule is a few lines', () => {
    // Lion-style sign descent with a per-parameter counter.
    const SignDescent = (lr: number) =>
      leafRule({
        name: 'MySign',
        hyperparams: { lr },
        init: () => ({}),
        apply: (s, _p, g) => [s, new Tensor(g.data.map((x) => lr * Math.sign(x)), g.shape)],
      });
    const reg = new Registry(defaultRegistry).registerRule('MySign', (h) => SignDescent(h.lr));
    const opt = setup(SignDescent(0.1), Tensor.from([1, 1]));
    const [o1, x1] = update(opt, Tensor.from([1, 1]), Tensor.from([3, -2]));
    expect((x1 as Tensor).toFlatArray()).toEqual([0.9, 1.1]);
    expect(() => load(save(o1))).toThrow(/unknown rule "MySign"/);
    expect(load(save(o1), { registry: reg }).rule.name).toBe('MySign');
  });

  it('refuses duplicate and malformed names', () => {
    expect(() => registerRule('Adam', () => Descent())).toThrow(/already registered/);
    expect(() => registerRule('__proto__', () => Descent())).toThrow(InvalidArgumentError);
    expect(() => new Registry().registerRule('Adam', () => Descent(), { replace: true })).not.toThrow();
  });
});
