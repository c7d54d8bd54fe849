/**
 * Every rule in one table, tested the same way: the first three steps against plain-number arithmetic written out
 * here (never by calling the rule), convergence on Rosenbrock and on a random convex quadratic, and hyperparameter
 * validation.
 */
import { Tensor } from '@natgrad/core';
import {
  AdaGrad,
  Adam,
  AdamW,
  type AnyRule,
  ClipNorm,
  ClipValue,
  Descent,
  ExpDecay,
  HyperparameterError,
  IncreasingRate,
  Momentum,
  Nesterov,
  RMSProp,
  WeightDecay,
  chain,
  cosineDecay,
  setup,
  update,
} from '@natgrad/optim';
import { describe, expect, it } from 'vitest';
import { maxDiff, quadratic, rosenbrock, run } from './helpers.js';

// The same three gradients for every rule, on a one-element parameter starting at x₀ = 1 (gradients do not depend
// on x, so the expected steps are functions of these numbers only; rules that read x use x₁ = x₀ − s₁, …).
const G = [0.5, 0.3, -0.4];
const X0 = 1;
const sqrt = Math.sqrt;
const exp = Math.exp;

function adamSteps(lr: number, b1: number, b2: number, eps: number, decay: number): number[] {
  let m = 0;
  let v = 0;
  let x = X0;
  const out: number[] = [];
  // Written out per step: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; s = lr·(m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε) + λx).
  for (let t = 1; t <= 3; t++) {
    const g = G[t - 1];
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const s = (m / (1 - b1 ** t) / (sqrt(v / (1 - b2 ** t)) + eps) + decay * x) * lr;
    out.push(s);
    x -= s;
  }
  return out;
}

interface Case {
  name: string;
  rule: () => AnyRule;
  /** The first three steps, computed by hand. */
  steps: number[];
  /** Rosenbrock: updates and tolerance on ‖x − (1, 1)‖∞. */
  rosen: [AnyRule, number, number];
  /** Quadratic: updates and tolerance on ‖x − x*‖∞. */
  quad: [AnyRule, number, number];
  /** Invalid constructions. */
  invalid: (() => AnyRule)[];
}

const cases: Case[] = [
  {
    name: 'Descent',
    rule: () => Descent(0.1),
    steps: [0.1 * 0.5, 0.1 * 0.3, 0.1 * -0.4],
    rosen: [Descent(1e-3), 20000, 1e-3],
    quad: [Descent(0.1), 2000, 1e-6],
    invalid: [() => Descent(-1), () => Descent(Number.NaN), () => Descent(Number.POSITIVE_INFINITY)],
  },
  {
    name: 'Descent with a cosine schedule',
    rule: () => Descent(cosineDecay(0.1, 2)),
    // lr(t) = 0.1·½(1 + cos(πt/2)): 0.1, 0.05, 0
    steps: [0.1 * 0.5, 0.05 * 0.3, 0 * -0.4],
    rosen: [Descent(cosineDecay(1e-3, 30000, 0.5)), 20000, 2e-3],
    quad: [Descent(cosineDecay(0.1, 5000, 0.5)), 2000, 1e-6],
    invalid: [() => Descent(cosineDecay(-1, 10)), () => Descent(cosineDecay(1, 0))],
  },
  {
    name: 'Momentum',
    rule: () => Momentum(0.1, 0.9),
    // v₁ = 0.1·0.5; v₂ = 0.9·v₁ + 0.1·0.3; v₃ = 0.9·v₂ + 0.1·(−0.4); step = v
    steps: [0.05, 0.9 * 0.05 + 0.03, 0.9 * (0.9 * 0.05 + 0.03) - 0.04],
    rosen: [Momentum(1e-4, 0.9), 20000, 1e-3],
    quad: [Momentum(0.05, 0.9), 2000, 1e-6],
    invalid: [() => Momentum(0.1, 1), () => Momentum(0.1, -0.1), () => Momentum(-0.1)],
  },
  {
    name: 'Nesterov',
    rule: () => Nesterov(0.1, 0.9),
    // s = −ρ²v + (1+ρ)ηg, then v ← ρv − ηg: v₁ = −0.05, v₂ = −0.075
    steps: [1.9 * 0.1 * 0.5, -0.81 * -0.05 + 1.9 * 0.1 * 0.3, -0.81 * (0.9 * -0.05 - 0.1 * 0.3) + 1.9 * 0.1 * -0.4],
    rosen: [Nesterov(1e-4, 0.9), 20000, 1e-3],
    quad: [Nesterov(0.05, 0.9), 2000, 1e-6],
    invalid: [() => Nesterov(0.1, 1.5), () => Nesterov(-1, 0.9)],
  },
  {
    name: 'Adam',
    rule: () => Adam(0.1, 0.9, 0.999, 1e-8),
    steps: adamSteps(0.1, 0.9, 0.999, 1e-8, 0),
    rosen: [Adam(0.02), 5000, 1e-6],
    quad: [Adam(0.02), 5000, 1e-6],
    invalid: [() => Adam(0.1, 1), () => Adam(0.1, 0.9, 1), () => Adam(0.1, 0.9, 0.999, 0), () => Adam(-0.1)],
  },
  {
    name: 'AdamW',
    rule: () => AdamW(0.1, 0.9, 0.999, 1e-8, 0.01),
    steps: adamSteps(0.1, 0.9, 0.999, 1e-8, 0.01),
    rosen: [AdamW(0.02, 0.9, 0.999, 1e-8, 1e-4), 5000, 1e-3],
    quad: [AdamW(0.02, 0.9, 0.999, 1e-8, 1e-6), 5000, 1e-4],
    invalid: [() => AdamW(0.1, 0.9, 0.999, 1e-8, -1), () => AdamW(0.1, -0.5)],
  },
  {
    name: 'RMSProp',
    rule: () => RMSProp(0.1, 0.9, 1e-8),
    // q₁ = 0.1·0.25; q₂ = 0.9q₁ + 0.1·0.09; q₃ = 0.9q₂ + 0.1·0.16; s = ηg/(√q + ε)
    steps: [
      (0.5 * 0.1) / (sqrt(0.025) + 1e-8),
      (0.3 * 0.1) / (sqrt(0.9 * 0.025 + 0.1 * 0.09) + 1e-8),
      (-0.4 * 0.1) / (sqrt(0.9 * (0.9 * 0.025 + 0.1 * 0.09) + 0.1 * 0.16) + 1e-8),
    ],
    rosen: [RMSProp(1e-3), 20000, 2e-3],
    quad: [RMSProp(1e-3), 5000, 2e-3],
    invalid: [() => RMSProp(0.1, 1), () => RMSProp(0.1, 0.9, -1)],
  },
  {
    name: 'RMSProp centred',
    rule: () => RMSProp(0.1, 0.9, 1e-8, { centred: true }),
    // also l₁ = 0.1·0.5; l₂ = 0.9l₁ + 0.1·0.3; l₃ = 0.9l₂ − 0.1·0.4; s = ηg/(√(q − l²) + ε)
    steps: [
      (0.5 * 0.1) / (sqrt(0.025 - 0.05 * 0.05) + 1e-8),
      (0.3 * 0.1) / (sqrt(0.9 * 0.025 + 0.1 * 0.09 - (0.9 * 0.05 + 0.03) ** 2) + 1e-8),
      (-0.4 * 0.1) / (sqrt(0.9 * (0.9 * 0.025 + 0.1 * 0.09) + 0.1 * 0.16 - (0.9 * (0.9 * 0.05 + 0.03) - 0.04) ** 2) + 1e-8),
    ],
    rosen: [RMSProp(1e-3, 0.9, 1e-8, { centred: true }), 20000, 2e-3],
    quad: [RMSProp(1e-3, 0.9, 1e-8, { centred: true }), 5000, 2e-3],
    invalid: [() => RMSProp(0.1, 0.9, 0, { centred: true })],
  },
  {
    name: 'AdaGrad',
    rule: () => AdaGrad(0.1, 1e-8),
    // acc₀ = ε; acc += g²; s = ηg/(√acc + ε)
    steps: [
      (0.5 * 0.1) / (sqrt(1e-8 + 0.25) + 1e-8),
      (0.3 * 0.1) / (sqrt(1e-8 + 0.25 + 0.09) + 1e-8),
      (-0.4 * 0.1) / (sqrt(1e-8 + 0.25 + 0.09 + 0.16) + 1e-8),
    ],
    rosen: [AdaGrad(0.5), 20000, 1e-5],
    quad: [AdaGrad(0.5), 5000, 1e-6],
    invalid: [() => AdaGrad(-0.1), () => AdaGrad(0.1, 0)],
  },
  {
    name: 'IncreasingRate',
    rule: () => IncreasingRate(0.1, 0.1),
    // rate at update t = 0, 1, 2 is α(1 − e^(−γt)): 0, 0.1(1 − e^(−0.1)), 0.1(1 − e^(−0.2))
    steps: [0 * 0.5, 0.1 * (1 - exp(-0.1)) * 0.3, 0.1 * (1 - exp(-0.2)) * -0.4],
    rosen: [IncreasingRate(1e-3, 0.01), 20000, 1e-3],
    quad: [IncreasingRate(0.1, 0.01), 3000, 1e-6],
    invalid: [() => IncreasingRate(-1), () => IncreasingRate(1, -1), () => IncreasingRate(Number.NaN)],
  },
  {
    name: 'ExpDecay',
    rule: () => ExpDecay(0.1, 0.5, 2, 0.01, 1),
    // n = 1: η = 0.1; n = 2 (> start, divisible by 2): η = max(0.1·0.5, 0.01) = 0.05; n = 3: η stays 0.05
    steps: [0.1 * 0.5, 0.05 * 0.3, 0.05 * -0.4],
    rosen: [ExpDecay(1e-3, 0.9, 5000, 1e-4, 1), 20000, 2e-3],
    quad: [ExpDecay(0.1, 0.9, 500, 1e-4, 1), 3000, 1e-6],
    invalid: [() => ExpDecay(0.1, 0), () => ExpDecay(0.1, 0.5, 1.5), () => ExpDecay(0.1, 0.5, 10, -1)],
  },
  {
    name: 'WeightDecay',
    rule: () => WeightDecay(0.1),
    // s = g + λx with x₀ = 1, x₁ = 1 − 0.6 = 0.4, x₂ = 0.4 − 0.34 = 0.06
    steps: [0.5 + 0.1 * 1, 0.3 + 0.1 * 0.4, -0.4 + 0.1 * (0.4 - (0.3 + 0.1 * 0.4))],
    rosen: [chain(WeightDecay(1e-6), Descent(1e-3)), 20000, 1e-3],
    quad: [chain(WeightDecay(1e-8), Descent(0.1)), 2000, 1e-6],
    invalid: [() => WeightDecay(-1)],
  },
  {
    name: 'ClipValue',
    rule: () => ClipValue(0.35),
    steps: [0.35, 0.3, -0.35],
    rosen: [chain(ClipValue(10), Descent(1e-3)), 20000, 1e-3],
    quad: [chain(ClipValue(0.05), Descent(0.1)), 3000, 1e-6],
    invalid: [() => ClipValue(0), () => ClipValue(-1)],
  },
  {
    name: 'ClipNorm',
    rule: () => ClipNorm(0.35),
    // |g| = 0.5 > 0.35: g·0.35/0.5; 0.3 unchanged; |−0.4| > 0.35: −0.4·0.35/0.4
    steps: [0.5 * (0.35 / 0.5), 0.3, -0.4 * (0.35 / 0.4)],
    rosen: [chain(ClipNorm(10), Descent(1e-3)), 20000, 1e-3],
    quad: [chain(ClipNorm(0.1), Descent(0.1)), 3000, 1e-6],
    invalid: [() => ClipNorm(0), () => ClipNorm(1, 0.5)],
  },
  {
    name: 'ClipNorm global',
    rule: () => ClipNorm(0.35, 2, { global: true }),
    steps: [0.5 * (0.35 / 0.5), 0.3, -0.4 * (0.35 / 0.4)],
    rosen: [chain(ClipNorm(10, 2, { global: true }), Descent(1e-3)), 20000, 1e-3],
    quad: [chain(ClipNorm(0.1, 2, { global: true }), Descent(0.1)), 3000, 1e-6],
    invalid: [() => ClipNorm(-1, 2, { global: true })],
  },
];

describe.each(cases)('$name', (c) => {
  it('first three steps match the hand computation', () => {
    let opt = setup(c.rule(), Tensor.from([X0]));
    let x = Tensor.from([X0]);
    for (let t = 0; t < 3; t++) {
      const [next, y] = update(opt, x, Tensor.from([G[t]]));
      const step = x.data[0] - (y as Tensor).data[0];
      expect(step).toBeCloseTo(c.steps[t], 12);
      opt = next;
      x = y as Tensor;
    }
  });

  it('acts on every element independently', () => {
    // Two elements at once give the same steps as the scalar runs; the global ClipNorm couples all leaves by design
    // (tested with the composites).
    if (c.name.includes('global')) return;
    let opt = setup(c.rule(), { a: Tensor.from([X0, X0]), b: Tensor.from(X0) });
    let p: any = { a: Tensor.from([X0, X0]), b: Tensor.from(X0) };
    for (let t = 0; t < 3; t++) {
      const [next, q] = update(opt, p, { a: Tensor.from([G[t], 0]), b: Tensor.from(G[t]) });
      expect(p.b.data[0] - (q as any).b.data[0]).toBeCloseTo(c.steps[t], 12);
      expect(p.a.data[0] - (q as any).a.data[0]).toBeCloseTo(c.steps[t], 12);
      [opt, p] = [next, q];
    }
  });

  it('converges on Rosenbrock from (−1.2, 1)', () => {
    const [rule, steps, tol] = c.rosen;
    const [x] = run(rule, rosenbrock, Tensor.from([-1.2, 1]), steps);
    expect(maxDiff(x.data, [1, 1])).toBeLessThan(tol);
  });

  it('converges on a random convex quadratic', () => {
    const [rule, steps, tol] = c.quad;
    const q = quadratic(6, 17);
    const [x] = run(rule, q.f, Tensor.zeros([6]), steps);
    expect(maxDiff(x.data, q.xStar)).toBeLessThan(tol);
  });

  it('rejects invalid hyperparameters with HyperparameterError', () => {
    for (const make of c.invalid) expect(make).toThrow(HyperparameterError);
  });
});

describe('IncreasingRate reference values (MATH.md)', () => {
  it('α = 0.1, γ = 0.1: rate 0.009516, 0.018127, 0.039347, 0.063212, 0.086466, 0.099326 at t = 1, 2, 5, 10, 20, 50', () => {
    const ref: Record<number, number> = { 1: 0.009516, 2: 0.018127, 5: 0.039347, 10: 0.063212, 20: 0.086466, 50: 0.099326 };
    let opt = setup(IncreasingRate(0.1, 0.1), Tensor.from([0]));
    let x = Tensor.from([0]);
    for (let t = 0; t <= 50; t++) {
      const [next, y] = update(opt, x, Tensor.from([1])); // g = 1: the step is the rate
      const rate = x.data[0] - (y as Tensor).data[0];
      if (t === 0) expect(rate).toBe(0);
      if (ref[t] !== undefined) expect(Math.abs(rate - ref[t])).toBeLessThan(5e-7);
      [opt, x] = [next, y as Tensor];
    }
  });

  it('keeps full precision at the default γ = 1e-8 (expm1, not 1 − exp)', () => {
    let opt = setup(IncreasingRate(), Tensor.from([0]));
    let x = Tensor.from([0]);
    [opt, x] = update(opt, x, Tensor.from([1])) as [typeof opt, Tensor];
    const [, y] = update(opt, x, Tensor.from([1]));
    expect((x.data[0] - (y as Tensor).data[0]) / 1e-8).toBeCloseTo(1 - 0.5e-8, 12);
  });
});
