/**
 * Checkpoints: a save/load round trip mid-run continues bit for bit for every rule and composite (schedules and a
 * user-registered rule included); what a checkpoint contains. Rejections are in checkpoint-reject.test.ts.
 */
import { Tensor, grad, ops } from '@natgrad/core';
import {
  AdaGrad,
  Adam,
  AdamW,
  type AnyRule,
  CheckpointError,
  ClipNorm,
  ClipValue,
  Descent,
  ExpDecay,
  IncreasingRate,
  Momentum,
  Nesterov,
  type OptimiserState,
  type Params,
  RMSProp,
  WeightDecay,
  accumulate,
  adjust,
  applyIfFinite,
  chain,
  constant,
  cosineDecay,
  describeRule,
  exponentialDecay,
  freeze,
  load,
  logLinearWarmup,
  partition,
  robbinsMonro,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { meanCholesky } from '@natgrad/distributions';
import { NaturalGradient, nativeCoordinates, naturalCoordinates } from '@natgrad/optim/natural';
import { describe, expect, it } from 'vitest';
import { elbo, model2d, noise2d, q2d } from './elbo.js';
import { SignDescent, grads, params0, t } from './checkpoint-fixtures.js';
import { bitwiseEqual } from './helpers.js';

interface Case {
  name: string;
  make: () => AnyRule;
  params?: () => Params;
  grads?: (i: number, p: Params) => Params;
  /** Applied to the optimiser before saving (freeze, adjust, …). */
  before?: (opt: OptimiserState) => OptimiserState;
}

const ngGrad = grad((q: any) => ops.neg(elbo(q, model2d, noise2d)));
const cases: Case[] = [
  { name: 'Descent', make: () => Descent(0.1) },
  { name: 'Momentum', make: () => Momentum(0.05, 0.9) },
  { name: 'Nesterov', make: () => Nesterov(0.05, 0.9) },
  { name: 'Adam', make: () => Adam(0.05) },
  { name: 'AdamW', make: () => AdamW(0.05, 0.9, 0.99, 1e-8, 0.1) },
  { name: 'RMSProp', make: () => RMSProp(0.05) },
  { name: 'RMSProp centred', make: () => RMSProp(0.05, 0.8, 1e-7, { centred: true }) },
  { name: 'AdaGrad', make: () => AdaGrad(0.1) },
  { name: 'IncreasingRate', make: () => IncreasingRate(0.1, 0.1) },
  { name: 'ExpDecay', make: () => ExpDecay(0.1, 0.5, 2, 0.01, 1) },
  { name: 'WeightDecay+ClipValue+ClipNorm chain', make: () => chain(WeightDecay(0.1), ClipValue(0.5), ClipNorm(1, 2, { global: true }), Descent(0.1), Descent(0.2)) },
  { name: 'constant schedule', make: () => Momentum(constant(0.1)) },
  { name: 'exponentialDecay schedule', make: () => Adam(exponentialDecay(0.1, 0.5, 3, { staircase: true })) },
  { name: 'cosineDecay schedule', make: () => Descent(cosineDecay(0.2, 5, 0.1)) },
  { name: 'logLinearWarmup schedule', make: () => RMSProp(logLinearWarmup(1e-4, 0.1, 5)) },
  { name: 'robbinsMonro schedule', make: () => AdaGrad(robbinsMonro(1, 0.7)) },
  { name: 'partition (label tree)', make: () => partition({ a: Adam(0.1), b: Momentum(0.1) }, { layers: ['a', { w: 'b' }], s: 'a' }) },
  { name: 'partition (label function)', make: () => partition({ a: Adam(0.1), b: SignDescent(0.1) }, (p) => (p.startsWith('layers.0') ? 'a' : 'b')) },
  {
    name: 'adjust to a schedule mid-run',
    make: () => chain(ClipValue(1), Adam(0.1)),
    before: (o) => adjust(o, 'Adam', { lr: cosineDecay(0.05, 4), beta1: 0.8 }),
  },
  { name: 'accumulate mid-accumulation', make: () => accumulate(2, Nesterov(0.1)) },
  { name: 'applyIfFinite with skips', make: () => applyIfFinite(Momentum(0.1), { maxConsecutive: 3 }), grads: (i, p) => grads(i, p, true) },
  { name: 'frozen subtree', make: () => Momentum(0.1), before: (o) => freeze(o, 'layers.0') },
  { name: 'user-registered rule', make: () => chain(ClipValue(1), SignDescent(0.05)) },
  ...(['natural', 'native'] as const).map((coordinates) => ({
    name: `NaturalGradient (${coordinates})`,
    make: () => NaturalGradient(Momentum(0.3, 0.5), { coordinates: coordinates === 'natural' ? naturalCoordinates() : nativeCoordinates() }),
    params: () => ({ q: q2d() }) as Params,
    grads: (_i: number, p: Params) => ({ q: ngGrad((p as any).q) }) as Params,
  })),
  {
    name: 'NaturalGradient (riemannian) in a partition',
    make: () => partition({ ng: NaturalGradient(IncreasingRate(1, 0.3), { coordinates: naturalCoordinates(meanCholesky, { riemannian: true }) }), h: Adam(0.1) }, { q: 'ng', h: 'h' }),
    params: () => ({ q: q2d(), h: t([1]) }) as Params,
    grads: (_i: number, p: Params) => ({ q: ngGrad((p as any).q), h: t([(p as any).h.data[0] - 0.3]) }) as Params,
  },
];

function runFrom(opt: OptimiserState, p: Params, from: number, n: number, g: (i: number, p: Params) => Params): [OptimiserState, Params][] {
  const out: [OptimiserState, Params][] = [];
  for (let i = from; i < from + n; i++) {
    [opt, p] = update(opt, p, g(i, p));
    out.push([opt, p]);
  }
  return out;
}

describe.each(cases)('round trip: $name', (c) => {
  it('save → load mid-run continues bit for bit, with or without the parameters', () => {
    const g = c.grads ?? ((i: number, p: Params) => grads(i, p));
    const p0 = (c.params ?? params0)();
    let opt = setup(c.make(), p0);
    let p = p0;
    for (let i = 0; i < 3; i++) [opt, p] = update(opt, p, g(i, p));
    if (c.before) opt = c.before(opt);
    const json = save(opt);
    for (const loaded of [load(json, { params: p }), load(json)]) {
      expect(loaded.step).toBe(opt.step);
      expect(describeRule(loaded.rule)).toEqual(describeRule(opt.rule));
      expect(bitwiseEqual(loaded.state, opt.state)).toBe(true);
      const a = runFrom(opt, p, 3, 4, g);
      const b = runFrom(loaded, p, 3, 4, g);
      a.forEach(([oa, pa], k) => {
        expect(bitwiseEqual(pa, b[k][1])).toBe(true);
        expect(bitwiseEqual(oa.state, b[k][0].state)).toBe(true);
        expect(oa.events).toEqual(b[k][0].events);
      });
    }
    expect(save(load(json))).toBe(json);
  });
});

describe('checkpoint contents', () => {
  it('keys state by parameter path, rule name and label — never by position — and keeps −0 exactly', () => {
    const p = { a: Tensor.from([-0, 1]), b: t([2]) };
    let opt = setup(partition({ x: chain(Descent(0.1), Descent(0.2)), y: Adam() }, { a: 'x', b: 'y' }), p);
    [opt] = update(opt, p, { a: Tensor.from([-0, 1]), b: t([1]) });
    const doc = JSON.parse(save(opt));
    expect(Object.keys(doc.state)).toEqual(['x', 'y']);
    expect(Object.keys(doc.state.x)).toEqual(['Descent', 'Descent#2']);
    expect(Object.keys(doc.state.y)).toEqual(['b']);
    expect(doc.params).toEqual({ a: [2], b: [1] });
    expect(doc.rule.children[0].children.map((r: any) => r.name)).toEqual(['Descent', 'Descent']);
    const m = Tensor.from([-0, 0]);
    const s2 = setup(Momentum(), { a: t([1, 1]) });
    const withNegZero = { ...s2, state: { a: { v: m } } } as OptimiserState;
    const back = load(save(withNegZero));
    expect(Object.is(((back.state as any).a.v as Tensor).data[0], -0)).toBe(true);
  });

  it('refuses to save a rule whose state cannot be represented, and non-finite state', () => {
    const opt = setup(Momentum(), { a: t([1]) });
    expect(() => save({ ...opt, state: { a: { v: Tensor.from([Number.NaN]) } } } as OptimiserState)).toThrow(CheckpointError);
  });
});

