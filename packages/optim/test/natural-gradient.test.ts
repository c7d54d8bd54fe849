/** NaturalGradient end to end on the conjugate models of MATH.md (loss = −ELBO, gradients by core's `grad`). */
import { ShapeError, Tensor, type Value, grad, ops } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';
import {
  Adam,
  Descent,
  IncreasingRate,
  Momentum,
  freeze,
  type OptimiserEvent,
  type OptimiserState,
  load,
  partition,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { NaturalGradient, nativeCoordinates, naturalCoordinates } from '@natgrad/optim/natural';
import { describe, expect, it } from 'vitest';
import { bitwiseEqual } from './helpers.js';
import { type ConjugateModel, elbo, logZ, model1d, model2d, noise2d, q2d } from './elbo.js';

type Q = { mu: Tensor; L: Tensor };
const value = (q: Q, m: ConjugateModel, noise: number) => (elbo(q, m, noise) as Tensor).item();
const lossGrad = (m: ConjugateModel, noise: number) => grad((q: { mu: Value; L: Value }) => ops.neg(elbo(q, m, noise)));

/** Updates until |ELBO − log Z| < 1e-4; returns the number of steps. */
function stepsToConverge(coordinates: 'natural' | 'native', lr: number): number {
  const g = lossGrad(model2d, noise2d);
  const lz = logZ(model2d, noise2d);
  let opt = setup(NaturalGradient(Descent(lr), { coordinates: coordinates === 'natural' ? naturalCoordinates() : nativeCoordinates() }), q2d());
  let q: Q = q2d();
  let n = 0;
  while (Math.abs(value(q, model2d, noise2d) - lz) >= 1e-4) {
    [opt, q] = update(opt, q, g(q)) as [typeof opt, Q];
    n++;
    if (n > 1000) break;
  }
  return n;
}

describe('NaturalGradient on the 2-D conjugate model (MATH.md)', () => {
  it('the test ELBO reproduces the reference values', () => {
    expect(value(q2d(), model2d, noise2d)).toBeCloseTo(-3.238191358, 9);
    expect(logZ(model2d, noise2d)).toBeCloseTo(-2.7782006567, 9);
    const g = lossGrad(model2d, noise2d)(q2d());
    expect(g.mu.toFlatArray()[0]).toBeCloseTo(-1.2666666667, 9);
  });

  it('NaturalGradient(Descent(1), { coordinates: naturalCoordinates() }) reaches log Z in one step', () => {
    const opt = setup(NaturalGradient(Descent(1), { coordinates: naturalCoordinates() }), q2d());
    const [, q] = update(opt, q2d(), lossGrad(model2d, noise2d)(q2d())) as [unknown, Q];
    expect(value(q, model2d, noise2d)).toBeCloseTo(-2.7782006567, 9);
    expect(q.mu.toFlatArray()[0]).toBeCloseTo(0.5625, 10);
    const S = ops.matmul(q.L, ops.matrixTranspose(q.L)) as Tensor;
    expect(S.toFlatArray().map((x) => +x.toFixed(10))).toEqual([0.3125, 0.0625, 0.0625, 0.3125]);
  });

  it('one (μ, L) step of size 1 gives ELBO −3.1301279238', () => {
    const opt = setup(NaturalGradient(Descent(1), { coordinates: nativeCoordinates() }), q2d());
    const [, q] = update(opt, q2d(), lossGrad(model2d, noise2d)(q2d())) as [unknown, Q];
    expect(value(q, model2d, noise2d)).toBeCloseTo(-3.1301279238, 9);
  });

  it.each([
    [0.01, 380, 381],
    [0.1, 36, 37],
    [0.5, 5, 6],
    [1.0, 4, 1],
  ])('step %f: (μ, L) needs %i steps, θ needs %i', (lr, native, natural) => {
    expect(stepsToConverge('native', lr)).toBe(native);
    expect(stepsToConverge('natural', lr)).toBe(natural);
  });

  it('works with IncreasingRate and keys its state by θ paths in natural coordinates', () => {
    let opt = setup(NaturalGradient(IncreasingRate(1, 0.5)), { q: q2d() });
    let p: { q: Q } = { q: q2d() };
    const g = lossGrad(model2d, noise2d);
    for (let i = 0; i < 30; i++) [opt, p] = update(opt, p, { q: g(p.q) }) as [typeof opt, { q: Q }];
    expect(Math.abs(value(p.q, model2d, noise2d) - logZ(model2d, noise2d))).toBeLessThan(1e-6);
    expect(Object.keys((opt.state as any).inner).sort()).toEqual(['q.theta1', 'q.theta2']);
  });

  it('steps every block of a tree; a frozen block (even partly frozen) keeps its value and inner state', () => {
    const g = lossGrad(model2d, noise2d);
    let opt = setup(NaturalGradient(Momentum(0.5, 0.5)), { a: q2d(), b: [q2d()] });
    let p = { a: q2d(), b: [q2d()] };
    [opt, p] = update(opt, p, { a: g(p.a), b: [g(p.b[0])] }) as [typeof opt, typeof p];
    expect(bitwiseEqual(p.a, p.b[0])).toBe(true);
    for (const path of ['a', 'a.L']) {
      const frozen = freeze(opt, path);
      const [o2, p2] = update(frozen, p, { a: g(p.a), b: [g(p.b[0])] }) as [typeof opt, typeof p];
      expect(p2.a).toBe(p.a);
      expect((o2.state as any).inner['a.theta1']).toBe((opt.state as any).inner['a.theta1']);
      expect(p2.b[0]).not.toBe(p.b[0]);
    }
  });

  it('rejects a parameter that is not in a Gaussian block', () => {
    expect(() => setup(NaturalGradient(Descent(1)), { q: q2d(), s: Tensor.from([1]) })).toThrow(ShapeError);
  });
});

describe('positive definiteness on the 1-D precision example (q precision 10, posterior precision 2)', () => {
  const q0 = (): Q => ({ mu: Tensor.from([0]), L: Tensor.from([[1 / Math.sqrt(10)]]) });
  const precision = (q: Q) => 1 / q.L.data[0] ** 2;
  const g1 = lossGrad(model1d, 1);
  const step = (lr: number, options: { maxHalvings?: number; riemannian?: boolean } = {}): [OptimiserState, Q] => {
    const { riemannian, ...rest } = options;
    const opt = setup(NaturalGradient(Descent(lr), { coordinates: naturalCoordinates(meanCholesky, { riemannian }), ...rest }), q0());
    return update(opt, q0(), g1(q0())) as [OptimiserState, Q];
  };

  it('a θ-step below 1.25 gives precision 10 − 8γ without backtracking', () => {
    for (const lr of [0.5, 1, 1.2]) {
      const [opt, q] = step(lr);
      expect(precision(q)).toBeCloseTo(10 - 8 * lr, 8);
      expect(opt.events).toEqual([]);
    }
  });

  it('a θ-step of size γ ≥ 1.25 is backtracked, reported, and the emitted q is PD', () => {
    for (const lr of [1.25, 1.5, 2, 3]) {
      const [opt, q] = step(lr);
      const backtracks = opt.events.filter((e: OptimiserEvent) => e.type === 'backtrack');
      expect(backtracks.length).toBeGreaterThan(0);
      expect((opt.state as any).backtracks).toBe(backtracks.length);
      const scale = 2 ** -backtracks.length;
      expect(precision(q)).toBeGreaterThan(0);
      expect(precision(q)).toBeCloseTo(10 - 8 * lr * scale, 8);
      expect(backtracks[0].data).toEqual({ halvings: 1, scale: 0.5 });
      expect(q.L.data[0]).toBeGreaterThan(0);
    }
  });

  it("keeps q and emits 'step-rejected' when no halving works", () => {
    const [opt, q] = step(1.5, { maxHalvings: 0 });
    expect(opt.events.map((e: OptimiserEvent) => e.type)).toEqual(['step-rejected']);
    expect((opt.state as any).rejected).toBe(1);
    expect(bitwiseEqual(q, q0())).toBe(true);
  });

  it('native (μ, L) steps are backtracked too', () => {
    // q precision 0.5 (L = √2) below the posterior's 2: the natural step shrinks L by ≈ 3, past zero at size 1.
    const wide = (): Q => ({ mu: Tensor.from([0]), L: Tensor.from([[Math.SQRT2]]) });
    const opt = setup(NaturalGradient(Descent(1), { coordinates: nativeCoordinates() }), wide());
    const [o2, q] = update(opt, wide(), g1(wide())) as [OptimiserState, Q];
    expect(o2.events.some((e: OptimiserEvent) => e.type === 'backtrack')).toBe(true);
    expect(q.L.data[0]).toBeGreaterThan(0);
  });

  it('riemannian: precisions 6.8, 5.2, 5.0, 5.2, 6.8 at γ = 0.5, 1, 1.25, 1.5, 2', () => {
    const expected = [6.8, 5.2, 5.0, 5.2, 6.8];
    [0.5, 1, 1.25, 1.5, 2].forEach((lr, i) => {
      const [opt, q] = step(lr, { riemannian: true });
      expect(precision(q)).toBeCloseTo(expected[i], 8);
      expect(opt.events).toEqual([]);
    });
  });
});

describe('partition: natural steps for q, Adam for the noise variance', () => {
  it('improves the ELBO beyond what q alone can reach at the initial noise', () => {
    type P = { q: Q; logNoise: Tensor };
    const loss = (p: { q: { mu: Value; L: Value }; logNoise: Value }) => ops.neg(elbo(p.q, model2d, ops.exp(ops.sum(p.logNoise))));
    const g = grad(loss);
    const f = (p: P) => -(loss(p) as Tensor).item();
    const rule = partition({ natural: NaturalGradient(Descent(0.5)), adam: Adam(0.05) }, { q: 'natural', logNoise: 'adam' });
    const p0: P = { q: q2d(), logNoise: Tensor.from([Math.log(2)]) };
    let opt = setup(rule, p0);
    let p = p0;
    for (let i = 0; i < 60; i++) [opt, p] = update(opt, p, g(p)) as [typeof opt, P];
    expect(f(p)).toBeGreaterThan(f(p0));
    expect(f(p)).toBeGreaterThan(logZ(model2d, 2)); // the best q can do with the noise fixed at 2
    expect(p.logNoise.data[0]).toBeLessThan(Math.log(2));
    // And it checkpoints: the rule, the parametrisation by name, and the state.
    const back = load(save(opt), { params: p });
    expect(bitwiseEqual(back.state, opt.state)).toBe(true);
    const ng = back.rule.children![back.rule.childKeys!.indexOf('natural')];
    expect((ng.options as any).parametrisation).toBe(meanCholesky.name);
  });
});
