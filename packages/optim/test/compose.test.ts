/** Composition: chain, partition, freeze/thaw, adjust, accumulate, applyIfFinite; immutability. */
import { InvalidArgumentError, NatgradError, Tensor } from '@natgrad/core';
import {
  Adam,
  type AnyRule,
  ClipNorm,
  Descent,
  HyperparameterError,
  Momentum,
  type OptimiserEvent,
  type Params,
  TooManyNonFiniteStepsError,
  WeightDecay,
  accumulate,
  applyIfFinite,
  chain,
  constant,
  cosineDecay,
  adjust,
  describeRule,
  freeze,
  partition,
  rootContext,
  setup,
  stepSizesOf,
  thaw,
  update,
} from '@natgrad/optim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitwiseEqual, snapshot } from './helpers.js';

const t = (x: number[]) => Tensor.from(x);
const grads = (i: number) => ({ a: t([0.5 - 0.1 * i, -0.2 + 0.3 * i]), b: t([0.7 * Math.cos(i)]) });
const params0 = () => ({ a: t([1, 2]), b: t([-1]) });

describe('chain', () => {
  it('equals the rules applied by hand, each step being the next gradient (bitwise)', () => {
    const A = WeightDecay(0.1);
    const B = ClipNorm(0.5);
    const C = Momentum(0.1, 0.9);
    let opt = setup(chain(A, B, C), params0());
    let p: Params = params0();
    let [sa, sb, sc] = [A.init(p), B.init(p), C.init(p)];
    for (let i = 0; i < 4; i++) {
      const g = grads(i);
      const ctx = rootContext(i, []);
      const [sa2, s1] = A.apply(sa, p, g, ctx);
      const [sb2, s2] = B.apply(sb, p, s1, ctx);
      const [sc2, s3] = C.apply(sc, p, s2, ctx);
      [sa, sb, sc] = [sa2, sb2, sc2];
      const [opt2, p2]: [typeof opt, Params] = update(opt, p, g);
      const byHand = { a: t([0, 0].map((_, k) => (p as any).a.data[k] - (s3 as any).a.data[k])), b: t([(p as any).b.data[0] - (s3 as any).b.data[0]]) };
      expect(bitwiseEqual(p2, byHand)).toBe(true);
      [opt, p] = [opt2, p2];
    }
    expect(Object.keys(opt.state as object)).toEqual(['WeightDecay', 'ClipNorm', 'Momentum']);
  });

  it('keys repeated rules by name with a #n suffix, never by position', () => {
    const opt = setup(chain(Descent(0.1), WeightDecay(0.1), Descent(0.2)), params0());
    expect(Object.keys(opt.state as object)).toEqual(['Descent', 'WeightDecay', 'Descent#2']);
  });
});

describe('partition', () => {
  const tree = () => ({ q: { mu: t([0.1, 0.2]), L: Tensor.from([[1, 0], [0.5, 1]]) }, kernel: { ls: t([1.5]) }, noise: t([0.3]) });
  const gtree = (i: number) => ({ q: { mu: t([0.3, -0.1 * i]), L: Tensor.from([[0.2, 0], [0.1, -0.3]]) }, kernel: { ls: t([0.4 + i]) }, noise: t([-0.2]) });

  for (const [kind, labels] of [
    ['a label tree-prefix', { q: 'sgd', kernel: 'adam', noise: 'adam' }],
    ['a label function of the path', (path: string) => (path.startsWith('q.') ? 'sgd' : 'adam')],
  ] as const) {
    it(`applies the right rule to each branch (${kind})`, () => {
      let opt = setup(partition({ sgd: Descent(0.1), adam: Adam(0.01) }, labels), tree());
      let sgd = setup(Descent(0.1), tree().q);
      let adam = setup(Adam(0.01), { kernel: tree().kernel, noise: tree().noise });
      let p: any = tree();
      let pq: any = tree().q;
      let pk: any = { kernel: tree().kernel, noise: tree().noise };
      for (let i = 0; i < 3; i++) {
        const g = gtree(i);
        [opt, p] = update(opt, p, g) as [typeof opt, any];
        [sgd, pq] = update(sgd, pq, g.q);
        [adam, pk] = update(adam, pk, { kernel: g.kernel, noise: g.noise });
      }
      expect(bitwiseEqual(p.q, pq)).toBe(true);
      expect(bitwiseEqual({ kernel: p.kernel, noise: p.noise }, pk)).toBe(true);
      expect(Object.keys(opt.state as object)).toEqual(['adam', 'sgd']);
      // Each branch's state keeps full parameter paths.
      expect(Object.keys((opt.state as any).adam).sort()).toEqual(['kernel.ls', 'noise']);
      expect(Object.keys((opt.state as any).sgd).sort()).toEqual(['q.L', 'q.mu']);
      // A function of the path is resolved into a label tree at setup, so the optimiser is serialisable.
      if (typeof labels === 'function') expect((opt.rule.options as any).labels.q.mu).toBe('sgd');
    });
  }

  it('rejects a leaf without a label or with a label that has no rule', () => {
    expect(() => setup(partition({ a: Descent() }, { q: 'a' }), tree())).toThrow(InvalidArgumentError);
    expect(() => setup(partition({ a: Descent() }, () => 'b'), tree())).toThrow(/has no rule/);
  });
});

describe('freeze / thaw', () => {
  it('gives frozen parameters zero steps, keeps their momentum, and resumes it on thaw', () => {
    let opt = setup(Momentum(0.1, 0.9), params0());
    let p: any = params0();
    for (let i = 0; i < 2; i++) [opt, p] = update(opt, p, grads(i)) as [typeof opt, any];
    const vA = (opt.state as any).a.v as Tensor;
    opt = freeze(opt, 'a');
    const aBefore = p.a;
    for (let i = 2; i < 4; i++) [opt, p] = update(opt, p, grads(i)) as [typeof opt, any];
    expect(p.a).toBe(aBefore); // same tensor object: zero step
    expect((opt.state as any).a.v).toBe(vA); // momentum kept untouched
    expect((opt.state as any).b.v).not.toBe(vA);
    opt = thaw(opt, 'a');
    const [, p2] = update(opt, p, grads(4)) as [typeof opt, any];
    const g = grads(4).a.data;
    // v' = 0.9·v (the momentum from before the freeze) + 0.1·g
    for (let k = 0; k < 2; k++) expect(p2.a.data[k]).toBe(aBefore.data[k] - (0.9 * vA.data[k] + 0.1 * g[k]));
  });

  it('shares unchanged subtrees and frozen state objects', () => {
    const tree = { enc: { w: t([1, 2]), b: t([0]) }, dec: { w: t([3]) } };
    let opt = setup(Adam(0.1), tree);
    opt = freeze(opt, 'enc');
    const [opt2, p2] = update(opt, tree, { enc: { w: t([1, 1]), b: t([1]) }, dec: { w: t([1]) } }) as [typeof opt, any];
    expect(p2.enc).toBe(tree.enc); // the whole frozen subtree is the same object
    expect(p2.dec).not.toBe(tree.dec);
    expect((opt2.state as any)['enc.w']).toBe((opt.state as any)['enc.w']);
    expect(() => thaw(opt, 'enc.w')).toThrow(InvalidArgumentError);
    expect(() => update(freeze(opt, 'nope'), tree, tree)).toThrow(/matches no parameter/);
  });
});

describe('adjust', () => {
  it('changes a rate mid-run without losing momentum: the next step is the formula with the new rate', () => {
    let opt = setup(Momentum(0.1, 0.9), params0());
    let p: any = params0();
    for (let i = 0; i < 3; i++) [opt, p] = update(opt, p, grads(i)) as [typeof opt, any];
    expect(stepSizesOf(opt)).toEqual({ '': 0.1 });
    const before = opt.state;
    const adjusted = adjust(opt, { lr: 0.01 });
    expect(adjusted.state).toBe(before); // the state (velocity) is untouched
    expect(adjusted.step).toBe(opt.step);
    expect(opt.rule.hyperparams).toEqual({ lr: 0.1, rho: 0.9 }); // the old optimiser is unchanged
    expect(adjusted.rule.hyperparams).toEqual({ lr: 0.01, rho: 0.9 });
    expect(stepSizesOf(adjusted)).toEqual({ '': 0.01 });
    const v = (before as any).a.v.data;
    const [, p2] = update(adjusted, p, grads(3)) as [typeof opt, any];
    for (let k = 0; k < 2; k++) expect(p2.a.data[k]).toBe(p.a.data[k] - (0.9 * v[k] + 0.01 * grads(3).a.data[k]));
  });

  it('is the rule built with the new values from the start, on the same state (fast-check)', () => {
    const makers: [string, (lr: number) => AnyRule][] = [
      ['Adam', (lr) => Adam(lr, 0.8)],
      ['Momentum', (lr) => Momentum(lr, 0.7)],
      ['Descent', (lr) => Descent(lr)],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: makers.length - 1 }), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, steps, lr) => {
        const [name, make] = makers[i];
        let opt = setup(chain(ClipNorm(1), make(0.05)), params0());
        let p: Params = params0();
        for (let k = 0; k < steps; k++) [opt, p] = update(opt, p, grads(k));
        const adjusted = adjust(opt, name, { lr });
        const fresh = { ...opt, rule: chain(ClipNorm(1), make(lr)) };
        const [oa, pa] = update(adjusted, p, grads(steps));
        const [ob, pb] = update(fresh, p, grads(steps));
        expect(bitwiseEqual(pa, pb)).toBe(true);
        expect(bitwiseEqual(oa.state, ob.state)).toBe(true);
        expect(describeRule(adjusted.rule)).toEqual(describeRule(fresh.rule));
      }),
      { numRuns: 60 },
    );
  });

  it('addresses rules by rule path (partition labels, chain keys) through wrappers, with numbers or schedules', () => {
    const rule = partition({ q: Descent(0.1), kernel: accumulate(2, chain(ClipNorm(1), Adam(cosineDecay(0.1, 4)))) }, { a: 'q', b: 'kernel' });
    let opt = setup(rule, params0());
    [opt] = update(opt, params0(), grads(0));
    expect(stepSizesOf(opt)).toEqual({ q: 0.1, 'kernel.Adam': 0.1 }); // ⌊1 / 2⌋ = 0 real steps inside accumulate
    opt = adjust(opt, 'kernel.Adam', { lr: constant(0.2), beta1: 0.5 });
    opt = adjust(opt, 'kernel', { k: 3 }); // accumulate shares the path of what it wraps
    opt = adjust(opt, 'q', { lr: 0.3 });
    expect(stepSizesOf(opt)).toEqual({ q: 0.3, 'kernel.Adam': 0.2 });
    const kernel = opt.rule.children![0]; // branches in label order: kernel, q
    expect(kernel.hyperparams).toEqual({ k: 3 });
    expect(kernel.children![0].children![1].hyperparams).toEqual({ beta1: 0.5, beta2: 0.999, eps: 1e-8 });
    expect((kernel.children![0].children![1].options as any).schedules.lr).toEqual({ name: 'constant', params: { value: 0.2 } });
    // a run from the adjusted state goes on as that rule would
    expect(() => update(opt, params0(), grads(1))).not.toThrow();
  });

  it('refuses what it cannot do, with typed errors, and changes nothing', () => {
    const opt = setup(partition({ q: Descent(0.1), kernel: Adam(0.1) }, { a: 'q', b: 'kernel' }), params0());
    const before = describeRule(opt.rule);
    expect(() => adjust(opt, 'nope', { lr: 1 })).toThrow(/no rule at "nope" \(rule paths: "", "kernel", "q"\)/);
    expect(() => adjust(opt, 'q', { beta1: 0.5 })).toThrow(HyperparameterError);
    expect(() => adjust(opt, { nope: 1 })).toThrow(HyperparameterError);
    expect(() => adjust(opt, 'kernel', { beta1: 2 })).toThrow(HyperparameterError);
    expect(() => adjust(opt, 'kernel', { beta1: constant(0.5) })).toThrow(/a number, not a schedule/);
    expect(() => adjust(opt, 'kernel', {})).toThrow(InvalidArgumentError);
    expect(() => adjust(opt, 'a..b', { lr: 1 })).toThrow(NatgradError);
    expect(describeRule(opt.rule)).toEqual(before);
    // a state the new values cannot hold: 2 micro-steps accumulated, and k lowered to 2 (count must be < k)
    let acc = setup(accumulate(3, Descent(0.1)), params0());
    for (let i = 0; i < 2; i++) [acc] = update(acc, params0(), grads(i));
    expect(() => adjust(acc, { k: 2 })).toThrow(/state is not valid for the new hyperparameters: state\.count/);
    expect(adjust(acc, { k: 4 }).rule.hyperparams).toEqual({ k: 4 });
  });

  it('without a target, changes every rule that has the hyperparameter', () => {
    const opt = adjust(setup(chain(Descent(0.1), Momentum(0.2, 0.5), ClipNorm(1)), params0()), { lr: 0.05 });
    expect(stepSizesOf(opt)).toEqual({ Descent: 0.05, Momentum: 0.05 });
    expect(opt.rule.children![2].hyperparams).toEqual({ omega: 1, p: 2 });
  });

  it('refuses a rule that was not made by a definition', () => {
    const byHand = { name: 'ByHand', hyperparams: { lr: 1 }, init: () => ({}), apply: (s: unknown, _p: Params, g: Params) => [s, g] as const };
    expect(() => adjust(setup(byHand, params0()), { lr: 0.5 })).toThrow(/not made by a definition/);
  });
});

describe('accumulate', () => {
  it('k micro-steps equal one step on the mean gradient (bitwise), with zero steps in between', () => {
    const k = 3;
    let opt = setup(accumulate(k, Adam(0.1)), params0());
    let ref = setup(Adam(0.1), params0());
    let p: any = params0();
    let pr: Params = params0();
    for (let round = 0; round < 2; round++) {
      const gs = [0, 1, 2].map((j) => grads(3 * round + j));
      for (let j = 0; j < k; j++) {
        const before = p;
        [opt, p] = update(opt, p, gs[j]) as [typeof opt, any];
        if (j < k - 1) expect(p.a).toBe(before.a);
      }
      const mean = {
        a: t([0, 1].map((i) => (gs[0].a.data[i] + gs[1].a.data[i] + gs[2].a.data[i]) / k)),
        b: t([(gs[0].b.data[0] + gs[1].b.data[0] + gs[2].b.data[0]) / k]),
      };
      [ref, pr] = update(ref, pr, mean);
      expect(bitwiseEqual(p, pr)).toBe(true);
    }
  });

  it('advances inner schedules once per real step', () => {
    let opt = setup(accumulate(2, Descent(cosineDecay(1, 2))), { x: t([0]) });
    let p: any = { x: t([0]) };
    const steps: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [o2, p2] = update(opt, p, { x: t([1]) }) as [typeof opt, any];
      steps.push(p.x.data[0] - p2.x.data[0]);
      [opt, p] = [o2, p2];
    }
    expect(steps.map((s) => +s.toFixed(12))).toEqual([0, 1, 0, 0.5, 0, 0]);
  });
});

describe('applyIfFinite', () => {
  it('skips non-finite steps, keeps the inner state, counts, emits, and errors after maxConsecutive', () => {
    let opt = setup(applyIfFinite(Momentum(0.1, 0.9), { maxConsecutive: 2 }), params0());
    let p: any = params0();
    [opt, p] = update(opt, p, grads(0)) as [typeof opt, any];
    const inner = (opt.state as any).inner;
    const bad = { a: t([Number.NaN, 1]), b: t([1]) };
    const [o1, p1] = update(opt, p, bad) as [typeof opt, any];
    expect(p1.a).toBe(p.a);
    expect((o1.state as any).inner).toBe(inner);
    expect(o1.state).toMatchObject({ consecutive: 1, total: 1 });
    expect(o1.events.map((e: OptimiserEvent) => e.type)).toEqual(['skip-nonfinite']);
    const [o2] = update(o1, p1, { a: t([1, Number.POSITIVE_INFINITY]), b: t([1]) });
    expect(o2.state).toMatchObject({ consecutive: 2, total: 2 });
    expect(() => update(o2, p1, bad)).toThrow(TooManyNonFiniteStepsError);
    const [o3] = update(o2, p1, grads(1));
    expect(o3.state).toMatchObject({ consecutive: 0, total: 2 });
    expect(o3.events).toEqual([]);
  });

  it('without it, update rejects a non-finite gradient and changes nothing', () => {
    const opt = setup(Momentum(), params0());
    expect(() => update(opt, params0(), { a: t([Number.NaN, 1]), b: t([1]) })).toThrow(/gradient of "a" is NaN/);
  });
});

describe('immutability and sharing', () => {
  it('leaves the old state and parameters unchanged, and freezes the new ones', () => {
    const rule = chain(ClipNorm(1), partition({ x: Adam(0.1), y: accumulate(2, Momentum()) }, { a: 'x', b: 'y' }));
    let opt = setup(rule, params0());
    let p: Params = params0();
    for (let i = 0; i < 5; i++) {
      const snapState = snapshot(opt.state);
      const snapParams = snapshot(p);
      const [o2, p2]: [typeof opt, Params] = update(opt, p, grads(i));
      expect(snapshot(opt.state)).toEqual(snapState);
      expect(snapshot(p)).toEqual(snapParams);
      expect(Object.isFrozen(o2)).toBe(true);
      expect(Object.isFrozen(o2.state)).toBe(true);
      expect(Object.isFrozen((o2.state as any).Partition.x)).toBe(true);
      expect(Object.isFrozen(p2)).toBe(true);
      [opt, p] = [o2, p2];
    }
  });

  it('shares the state of stateless rules between updates', () => {
    const opt = setup(chain(WeightDecay(0.1), Descent(0.1)), params0());
    const [o2] = update(opt, params0(), grads(0));
    expect((o2.state as any).Descent.a).toBe((opt.state as any).Descent.a);
  });

  it('global ClipNorm uses the norm of all leaves together', () => {
    const opt = setup(ClipNorm(1, 2, { global: true }), { a: t([3]), b: t([4]) });
    const [, p] = update(opt, { a: t([0]), b: t([0]) }, { a: t([3]), b: t([4]) }) as [unknown, any];
    expect(p.a.data[0]).toBeCloseTo(-3 / 5, 15);
    expect(p.b.data[0]).toBeCloseTo(-4 / 5, 15);
  });
});
