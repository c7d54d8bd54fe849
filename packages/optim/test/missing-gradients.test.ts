/**
 * Missing gradients (Optimisers.jl `nothing`): a `null` or `undefined` gradient leaf — or subtree — means "no gradient
 * this step": the parameter is returned as the same tensor and every state kept for it stays exactly as it was,
 * through every rule and composite; the other parameters step as usual.
 */
import { ShapeError, Tensor } from '@natgrad/core';
import {
  AdaGrad,
  Adam,
  AdamW,
  type AnyRule,
  ClipNorm,
  ClipValue,
  Descent,
  ExpDecay,
  IncreasingRate,
  Momentum,
  Nesterov,
  type OptimiserState,
  RMSProp,
  WeightDecay,
  accumulate,
  applyIfFinite,
  backtrack,
  chain,
  cosineDecay,
  freeze,
  lastState,
  partition,
  save,
  setup,
  train,
  update,
} from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const t = (x: number[]) => Tensor.from(x);
type P = { a: Tensor; b: Tensor; c: { d: Tensor } };
const params0 = (): P => ({ a: t([1, 2]), b: t([-1]), c: { d: t([0.5, -0.5, 2]) } });
const grad = (i: number): P => ({ a: t([0.5 - 0.1 * i, -0.2 + 0.3 * i]), b: t([0.7 * Math.cos(i)]), c: { d: t([0.1 * i, -0.3, 0.2 * Math.sin(i)]) } });

/** Every part of a saved state that belongs to parameter `leaf` (state records are keyed by parameter path). */
function stateOf(opt: OptimiserState, leaf: string): string {
  const found: unknown[] = [];
  const walk = (x: unknown) => {
    if (x === null || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x)) {
      if (k === leaf) found.push(v);
      else walk(v);
    }
  };
  walk(JSON.parse(save(opt)).state);
  return JSON.stringify(found);
}

const RULES: readonly [string, () => AnyRule][] = [
  ['Descent', () => Descent(0.1)],
  ['Momentum', () => Momentum(0.1, 0.9)],
  ['Nesterov', () => Nesterov(0.1, 0.9)],
  ['Adam with a schedule', () => Adam(cosineDecay(0.1, 10))],
  ['AdamW', () => AdamW(0.1, 0.9, 0.999, 1e-8, 0.01)],
  ['RMSProp centred', () => RMSProp(0.01, 0.9, 1e-8, { centred: true })],
  ['AdaGrad', () => AdaGrad(0.1)],
  ['IncreasingRate', () => IncreasingRate(1, 0.5)],
  ['ExpDecay', () => chain(ExpDecay(0.1, 0.5, 2), Descent(1))],
  ['WeightDecay + ClipValue + Momentum', () => chain(WeightDecay(0.01), ClipValue(0.5), Momentum(0.1))],
  ['global ClipNorm + Adam', () => chain(ClipNorm(0.5, 2, { global: true }), Adam(0.1))],
  ['partition', () => partition({ x: Adam(0.1), y: Momentum(0.1) }, { a: 'x', b: 'y', c: 'x' })],
  ['accumulate', () => accumulate(2, Adam(0.1))],
  ['applyIfFinite', () => applyIfFinite(Momentum(0.1))],
  ['backtrack', () => backtrack(Adam(0.1), { name: 'bounded', valid: (p) => JSON.stringify(p).length > 0 })],
];

describe('a missing gradient leaf leaves its parameter and its state exactly as they are', () => {
  for (const [name, rule] of RULES) {
    it(name, () => {
      let opt = setup(rule(), params0());
      let p = params0();
      for (let i = 0; i < 3; i++) [opt, p] = update(opt, p, grad(i));
      for (const missing of [null, undefined]) {
        const g = { ...grad(3), b: missing };
        const [opt2, p2] = update(opt, p, g);
        expect(p2.b).toBe(p.b); // the same tensor
        expect(stateOf(opt2, 'b')).toBe(stateOf(opt, 'b'));
        expect(stateOf(opt, 'b')).not.toBe('[]'); // there is state to keep (the check above can fail)
        expect(opt2.step).toBe(opt.step + 1);
        // the others moved (accumulate steps every second update: its micro-steps move nobody)
        if (name !== 'accumulate') expect(Array.from(p2.a.data)).not.toEqual(Array.from(p.a.data));
      }
      // a whole subtree missing
      const [opt3, p3] = update(opt, p, { ...grad(3), c: null });
      expect(p3.c.d).toBe(p.c.d);
      expect(stateOf(opt3, 'c.d')).toBe(stateOf(opt, 'c.d'));
    });
  }

  it('for a per-tensor rule, the parameter then continues as if the step had not happened (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (present) => {
        // b gets a gradient only where `present` says; a run of b's present gradients alone must give the same b
        let opt = setup(Adam(0.05), params0());
        let p = params0();
        let alone = setup(Adam(0.05), { b: params0().b });
        let pb = { b: params0().b };
        present.forEach((has, i) => {
          [opt, p] = update(opt, p, { ...grad(i), b: has ? grad(i).b : null });
          if (has) [alone, pb] = update(alone, pb, { b: grad(i).b });
        });
        expect(Array.from(p.b.data)).toEqual(Array.from(pb.b.data));
      }),
      { numRuns: 50 },
    );
  });

  it('a key missing from the gradient tree is still a structure error (a typo must not stop a parameter silently)', () => {
    const opt = setup(Adam(0.1), params0());
    const { b: _b, ...withoutB } = grad(0);
    expect(() => update(opt, params0(), withoutB)).toThrow(ShapeError);
    expect(() => update(opt, params0(), withoutB)).toThrow(/keys \{a, b, c\} and \{a, c\} differ/);
  });

  it('frozen and missing together: neither moves, thaw resumes from the kept state', () => {
    let opt = freeze(setup(Momentum(0.1), params0()), 'a');
    let p = params0();
    [opt, p] = update(opt, p, { ...grad(0), b: null });
    expect(p.a).toEqual(params0().a);
    expect(Array.from(p.b.data)).toEqual(Array.from(params0().b.data));
    expect(Array.from(p.c.d.data)).not.toEqual(Array.from(params0().c.d.data));
  });

  it('train: an objective returning null for a leaf never moves it, and the gradient norm counts the others', async () => {
    const objective = (q: P) => ({ loss: q.a.data[0] ** 2, grad: { a: t([2 * q.a.data[0], 0]), b: null, c: { d: t([0, 0, 0]) } } });
    const s = await lastState(train({ objective, params: params0(), optimiser: Adam(0.1), steps: 5 }));
    expect(s?.params.b.data[0]).toBe(-1);
    expect(s?.params.a.data[0]).toBeLessThan(1);
    // loss = a₀², and the norm is over the leaves that have a gradient: |∂/∂a₀| = 2|a₀| = 2√loss
    expect(s?.gradNorm).toBeCloseTo(2 * Math.sqrt(s?.loss ?? Number.NaN), 12);
  });
});

describe('NaturalGradient: a Gaussian block with any missing key is not stepped', () => {
  const q0 = () => ({ q1: { mu: t([0, 0]), L: Tensor.from([[1, 0], [0.5, 1]]) }, q2: { mu: t([1]), L: Tensor.from([[2]]) }, w: t([1]) });
  const g = () => ({ q1: { mu: t([1, -1]), L: Tensor.from([[0.5, 0], [0.1, 0.2]]) }, q2: { mu: t([0.3]), L: Tensor.from([[0.4]]) }, w: t([1]) });

  for (const [what, grads] of [
    ['its mu', { ...g(), q1: { mu: null, L: g().q1.L } }],
    ['its L', { ...g(), q1: { mu: g().q1.mu, L: undefined } }],
    ['the whole block', { ...g(), q1: null }],
  ] as const) {
    it(`missing ${what}: that block keeps its value and state; the other block and the Adam branch step`, () => {
      const rule = partition({ natural: NaturalGradient(Momentum(0.1, 0.5)), adam: Adam(0.1) }, { q1: 'natural', q2: 'natural', w: 'adam' });
      let opt = setup(rule, q0());
      let p = q0();
      [opt, p] = update(opt, p, g());
      const [opt2, p2] = update(opt, p, grads);
      expect(p2.q1.mu).toBe(p.q1.mu);
      expect(p2.q1.L).toBe(p.q1.L);
      expect(stateOf(opt2, 'q1.theta1') + stateOf(opt2, 'q1.theta2')).toBe(stateOf(opt, 'q1.theta1') + stateOf(opt, 'q1.theta2'));
      expect(stateOf(opt, 'q1.theta1')).not.toBe('[]');
      expect(Array.from(p2.q2.mu.data)).not.toEqual(Array.from(p.q2.mu.data));
      expect(Array.from(p2.w.data)).not.toEqual(Array.from(p.w.data));
    });
  }
});
