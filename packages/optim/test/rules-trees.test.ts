/**
 * The issue-12 rules on trees, one table (rule-references.ts) tested the same way: a missing gradient (null leaf) is
 * no step and leaves that leaf's state as it was; save → load mid-run continues bit for bit; every declared state
 * domain refuses an out-of-domain value on load; bad hyperparameters throw a HyperparameterError; and each rule
 * minimises a random convex quadratic (SignDecay reaches the L₁-regularised optimum).
 */
import { Tensor } from '@natgrad/core';
import {
  AMSGrad,
  AdaBelief,
  AdaDelta,
  AdaMax,
  type AnyRule,
  CheckpointError,
  Descent,
  HyperparameterError,
  LAMB,
  Lion,
  NAdam,
  OAdam,
  type OptimiserState,
  type Params,
  RAdam,
  Rprop,
  SignDecay,
  Yogi,
  adjust,
  chain,
  load,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { describe, expect, it } from 'vitest';
import { bitwiseEqual, maxDiff, quadratic, run as runOn } from './helpers.js';
import { GRADS, SUBJECTS, X0 } from './rule-references.js';

const tree = (): Params => ({ a: Tensor.from(X0.slice(0, 3)), b: { c: Tensor.from(X0.slice(3)) } }) as Params;
const treeGrad = (k: number): Params => ({ a: Tensor.from(GRADS[k].slice(0, 3)), b: { c: Tensor.from(GRADS[k].slice(3)) } }) as Params;

function run(opt: OptimiserState, params: Params, from: number, to: number): [OptimiserState, Params] {
  let o = opt;
  let p = params;
  for (let k = from; k < to; k++) [o, p] = update(o, p, treeGrad(k));
  return [o, p];
}

describe('new rules on trees: missing gradients, checkpoints, state domains, hyperparameters', () => {
  it.each(SUBJECTS.map((s) => [s.name, s] as const))('%s: a null gradient leaf is no step and keeps that leaf’s state', (_name, s) => {
    const [opt, params] = run(setup(s.make(), tree()), tree(), 0, 3);
    const before = (opt.state as Record<string, unknown>)['b.c'];
    const g = { a: Tensor.from(GRADS[3].slice(0, 3)), b: { c: null } } as unknown as Params;
    const [next, moved] = update(opt, params, g);
    const p = moved as { a: Tensor; b: { c: Tensor } };
    expect(p.b.c).toBe((params as { b: { c: Tensor } }).b.c);
    expect((next.state as Record<string, unknown>)['b.c']).toBe(before);
    expect(bitwiseEqual(p.a, (params as { a: Tensor }).a)).toBe(false); // the other leaf did move
  });

  it.each(SUBJECTS.map((s) => [s.name, s] as const))('%s: save → load mid-run continues bit for bit', (_name, s) => {
    const [opt, params] = run(setup(s.make(), tree()), tree(), 0, 5);
    const restored = load(save(opt), { params });
    const [a, pa] = run(opt, params, 5, 10);
    const [b, pb] = run(restored, params, 5, 10);
    expect(bitwiseEqual(pa, pb)).toBe(true);
    expect(bitwiseEqual(a.state, b.state)).toBe(true);
  });

  const withDomain = SUBJECTS.flatMap((s) => Object.entries(s.outside ?? {}).map(([field, value]) => [`${s.name}.${field} = ${value}`, s, field, value] as const));
  it.each(withDomain)('%s is refused on load', (_name, s, field, value) => {
    const [opt, params] = run(setup(s.make(), tree()), tree(), 0, 3);
    const doc = JSON.parse(save(opt));
    const entry = doc.state['b.c'];
    expect(entry).toHaveProperty(field);
    if (typeof entry[field] === 'number') entry[field] = value;
    else entry[field].data[1] = value;
    const text = JSON.stringify(doc);
    expect(() => load(text, { params, verifyChecksum: false })).toThrow(CheckpointError);
    expect(() => load(text, { params, verifyChecksum: false })).toThrow(new RegExp(`b\\.c\\.${field}`));
  });

  const invalid = SUBJECTS.flatMap((s) => (s.invalid ?? []).map((f, i) => [`${s.name} #${i}`, f] as const));
  it.each(invalid)('%s: a bad hyperparameter is a HyperparameterError', (_name, f) => {
    expect(f).toThrow(HyperparameterError);
  });

  it('Rprop refuses bounds that adjust crossed (minStepSize > maxStepSize) at the next update, state untouched', () => {
    const [opt, params] = run(setup(Rprop(0.01), tree()), tree(), 0, 2);
    const crossed = adjust(opt, { minStepSize: 100 });
    expect(() => update(crossed, params, treeGrad(2))).toThrow(/Rprop: hyperparameter minStepSize = 100 is invalid \(at most maxStepSize = 50\)/);
    expect(() => update(crossed, params, treeGrad(2))).toThrow(HyperparameterError);
    expect(bitwiseEqual(update(opt, params, treeGrad(2)), update(opt, params, treeGrad(2)))).toBe(true);
  });
});

describe('new rules minimise a random convex quadratic (3000 updates from 0)', () => {
  const { f, xStar } = quadratic(5, 3);
  const x0 = Tensor.zeros([5]);
  // Adam-type rules with a constant rate settle within about the rate; sign-based ones within their step size.
  const cases: [string, AnyRule, number][] = [
    ['Lion', Lion(1e-3), 3e-3],
    ['NAdam', NAdam(0.05), 1e-4],
    ['RAdam', RAdam(0.05), 1e-10],
    ['AdaBelief', AdaBelief(0.05), 1e-6],
    ['Yogi', Yogi(0.05), 1e-10],
    ['AdaMax', AdaMax(0.05), 1e-10],
    ['AMSGrad', AMSGrad(0.05), 1e-10],
    ['AdaDelta', AdaDelta(0.9, 1e-6), 1e-10],
    ['Rprop', Rprop(0.01), 1e-4],
    ['OAdam', OAdam(0.02), 0.03],
    ['LAMB', LAMB(0.02), 0.03],
  ];
  it.each(cases)('%s', (_name, rule, tol) => {
    expect(maxDiff(x0.data, xStar)).toBeGreaterThan(0.5);
    const [x] = runOn(rule, f, x0, 3000);
    expect(maxDiff(x.data, xStar)).toBeLessThan(tol);
  });

  it('chain(SignDecay(λ), Descent) reaches the optimum of f + λ‖x‖₁: ∇f(x) + λ·sign(x) = 0', () => {
    const lambda = 0.05;
    const [x] = runOn(chain(SignDecay(lambda), Descent(0.1)), f, x0, 3000);
    const g = f(x)[1].data;
    for (let i = 0; i < 5; i++) {
      expect(x.data[i]).not.toBe(0);
      expect(Math.abs(g[i] + lambda * Math.sign(x.data[i]))).toBeLessThan(1e-10);
    }
    expect(maxDiff(x.data, xStar)).toBeGreaterThan(1e-3); // and that optimum is not f's own
  });
});

