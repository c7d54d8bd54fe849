/**
 * The fused (μ, L) natural-gradient primitives (src/fused/): equal to the closed form written with ops and to the
 * one-JVP route, in both kernel regimes (triangular loops, blocked gemm) and both backends; MATH.md reference values;
 * derivatives of every order against finite differences and the other mode; batches; unchanged validation.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, type Value, bind, getBackend, grad, jvp, ops, setBackend, wasmReady } from '@natgrad/core';
import {
  type ExpectationParameters,
  expectationGradient,
  meanCholesky,
  naturalGradient,
  naturalGradientFromEuclidean,
} from '@natgrad/distributions';
import { checkDerivatives } from '../../core/test/util/check.js';
import { BLOCKED_MIN_ORDER, FROM_ETA, FROM_EUCLIDEAN, choleskyStepPrim } from '../src/fused/cholesky-step.js';
import { choleskyStepBlocked } from '../src/fused/cholesky-step-blocked.js';
import { choleskyStepLoops } from '../src/fused/cholesky-step-loops.js';
import { meanStepPrim } from '../src/fused/mean-step.js';
import { symmetricPart } from '../src/symmetric-part.js';
import { lossIn, q2d, ref2d } from './util/conjugate.js';
import { expectGaussianClose, expectValues, randn, randomIn, relErr, rng } from './util/gaussians.js';
import { opsClosedForm, opsClosedFormFromEuclidean } from './util/mean-cholesky-reference.js';

type Q = { mu: Tensor; L: Tensor };

const sym = (g: Value) => ops.mul(ops.add(g, ops.matrixTranspose(g)), 0.5);
const closedTol = (cond: number) => 1e-12 + 1e-14 * cond * cond;

function randomProblem(d: number, seed: number, cond = 10, batch: number[] = []) {
  const next = rng(seed);
  const q = randomIn(meanCholesky, d, next, cond, batch) as Q;
  const gEta = { eta1: randn([...batch, d], next), eta2: randn([...batch, d, d], next) };
  const gXi = { mu: randn([...batch, d], next), L: randn([...batch, d, d], next) };
  return { q, gEta, gXi };
}

afterEach(() => setBackend('auto'));

describe('fused closed form ≡ ops closed form ≡ one-JVP route', () => {
  it('triangular loops (D below the blocked threshold), from ∂L/∂η and from ∂L/∂ξ, unsymmetrised and unprojected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: BLOCKED_MIN_ORDER - 1 }), fc.integer(), fc.double({ min: 0, max: 3, noNaN: true }), (d, seed, e) => {
        const cond = 10 ** e;
        const { q, gEta, gXi } = randomProblem(d, seed, cond);
        const fused = naturalGradient(meanCholesky, q, gEta, { method: 'closed-form' });
        // the ops formula assumes a symmetric G₂ and a lower G_L; the fused primitives read those parts themselves
        expectGaussianClose(fused, opsClosedForm(q, { eta1: gEta.eta1, eta2: sym(gEta.eta2) }), 1e-12, `D = ${d} η`);
        expectGaussianClose(fused, naturalGradient(meanCholesky, q, gEta, { method: 'ad' }), closedTol(cond), `D = ${d} η vs AD`);
        const fusedXi = naturalGradientFromEuclidean(meanCholesky, q, gXi, { method: 'closed-form' });
        expectGaussianClose(fusedXi, opsClosedFormFromEuclidean(q, { mu: gXi.mu, L: ops.tril(gXi.L) }), 1e-12, `D = ${d} ξ`);
        expectGaussianClose(fusedXi, naturalGradientFromEuclidean(meanCholesky, q, gXi, { method: 'ad' }), closedTol(cond), `D = ${d} ξ vs AD`);
        expect(naturalGradient(meanCholesky, q, gEta)).toEqual(fused); // 'auto' takes the fused closed form
      }),
      { numRuns: 40 },
    );
  });

  it.each([BLOCKED_MIN_ORDER, 63, 64, 65, 100, 129])('blocked gemm path at D = %i', (d) => {
    const { q, gEta, gXi } = randomProblem(d, d, 30);
    const fused = naturalGradient(meanCholesky, q, gEta);
    expectGaussianClose(fused, opsClosedForm(q, { eta1: gEta.eta1, eta2: sym(gEta.eta2) }), 1e-12, `D = ${d} η`);
    const fusedXi = naturalGradientFromEuclidean(meanCholesky, q, gXi);
    expectGaussianClose(fusedXi, opsClosedFormFromEuclidean(q, { mu: gXi.mu, L: ops.tril(gXi.L) }), 1e-12, `D = ${d} ξ`);
    if (d <= 65) expectGaussianClose(fused, naturalGradient(meanCholesky, q, gEta, { method: 'ad' }), closedTol(30), `D = ${d} vs AD`);
    // a lower-triangular result with +0 above the diagonal, like the ops formula's tril
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(Object.is((fused.L as Tensor).data[i * d + j], 0)).toBe(true);
  });

  it('the blocked kernel with small blocks equals the loops for every D, block size and form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.integer(), (d, b, euclidean, seed) => {
        const next = rng(seed);
        // any L: both kernels read its lower triangle only
        const l = randn([d, d], next).data, g = randn([d, d], next).data;
        const a = new Float64Array(d * d).fill(NaN), c = new Float64Array(d * d);
        choleskyStepLoops(euclidean, d, l, 0, g, 0, a, 0);
        choleskyStepBlocked(euclidean, d, l, 0, g, 0, c, 0, b);
        expect(relErr(new Tensor(c, [d, d]), new Tensor(a, [d, d]))).toBeLessThan(1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it('the JavaScript and WebAssembly backends agree to 1e-12 on the blocked path', async () => {
    if (!(await wasmReady())) return expect(getBackend()).toBe('auto');
    for (const d of [64, 97]) {
      const { q, gEta } = randomProblem(d, 7 * d, 100);
      setBackend('js');
      const js = naturalGradient(meanCholesky, q, gEta);
      setBackend('wasm');
      const wasm = naturalGradient(meanCholesky, q, gEta);
      expectGaussianClose(wasm, js, 1e-12, `D = ${d}`);
    }
  });
});

describe('MATH.md reference values (2-D model)', () => {
  it('natgrad μ and L from ∂L/∂η and from ∂L/∂ξ, and the blocked kernel on the same numbers', () => {
    const loss = lossIn(meanCholesky);
    const gXi = grad(loss)(q2d) as Q;
    const gEta = expectationGradient(meanCholesky, q2d, gXi);
    for (const ng of [naturalGradient(meanCholesky, q2d, gEta), naturalGradientFromEuclidean(meanCholesky, q2d, gXi)]) {
      expectValues(ng.mu, ref2d.natgradMu, 1e-9, 'natgrad μ');
      expectValues(ng.L, ref2d.natgradL, 1e-9, 'natgrad L');
    }
    const y = new Float64Array(4);
    choleskyStepBlocked(false, 2, q2d.L.data, 0, (gEta.eta2 as Tensor).data, 0, y, 0, 1);
    expectValues(new Tensor(y, [2, 2]), ref2d.natgradL, 1e-9, 'blocked kernel, b = 1');
  });
});

describe('derivatives of the fused primitives', () => {
  const at = (d: number, seed: number) => {
    const { q, gEta, gXi } = randomProblem(d, seed, 5);
    return { q, gEta, gXi };
  };
  // tril inside keeps every finite-difference point a valid q (the diagonal stays positive for small steps)
  const fromEta = (key: 'mu' | 'L') => (mu: Value, L: Value, g1: Value, G: Value) =>
    naturalGradient(meanCholesky, { mu, L: ops.tril(L) }, { eta1: g1, eta2: G }, { method: 'closed-form' })[key];
  const fromXi = (key: 'mu' | 'L') => (mu: Value, L: Value, gmu: Value, GL: Value) =>
    naturalGradientFromEuclidean(meanCholesky, { mu, L: ops.tril(L) }, { mu: gmu, L: GL }, { method: 'closed-form' })[key];

  it.each([1, 3, 6])('first and second order vs finite differences and the other mode, D = %i (loops)', (d) => {
    const { q, gEta, gXi } = at(d, 11 + d);
    for (const key of ['mu', 'L'] as const) {
      checkDerivatives(fromEta(key), [q.mu, q.L, gEta.eta1, gEta.eta2], { secondOrder: true, seed: d });
      checkDerivatives(fromXi(key), [q.mu, q.L, gXi.mu, gXi.L], { secondOrder: true, seed: d + 1 });
    }
  });

  it(`first and second order on the blocked path, D = ${BLOCKED_MIN_ORDER}`, () => {
    const d = BLOCKED_MIN_ORDER;
    const { q, gEta, gXi } = at(d, 5);
    checkDerivatives(fromEta('L'), [q.mu, q.L, gEta.eta1, gEta.eta2], { secondOrder: true, wrt: [1, 3] });
    checkDerivatives(fromXi('L'), [q.mu, q.L, gXi.mu, gXi.L], { wrt: [1, 3] });
  });

  it('the primitives on an L that is not lower triangular: the upper triangle has zero derivative', () => {
    const next = rng(3);
    const L = randn([4, 4], next), G = randn([4, 4], next), g1 = randn([4], next), mu = randn([4], next);
    for (const p of [FROM_ETA, FROM_EUCLIDEAN]) {
      checkDerivatives((l, g) => bind(choleskyStepPrim, [l, g], p), [L, G], { secondOrder: true });
      const [, dY] = jvp((l: Value) => bind(choleskyStepPrim, [l, G], p), [L], [ops.triu(randn([4, 4], next), 1)]);
      expect(ops.sum(ops.abs(dY as Value)).item()).toBe(0);
    }
    checkDerivatives((l, a, g, m) => bind(meanStepPrim, [l, a, g, m], FROM_ETA), [L, g1, G, mu], { secondOrder: true });
    checkDerivatives((l, a) => bind(meanStepPrim, [l, a], FROM_EUCLIDEAN), [L, g1], { secondOrder: true });
  });

  it('naturalGradient inside grad and jvp: the fused route differentiates like the one-JVP route', () => {
    const { q, gEta } = at(5, 21);
    const W = randn([5, 5], rng(9)), w = randn([5], rng(10));
    const h = (method: 'closed-form' | 'ad') => (qq: Q, g: ExpectationParameters) => {
      const ng = naturalGradient(meanCholesky, qq, g, { method });
      return ops.add(ops.sum(ops.mul(ng.L, W)), ops.sum(ops.mul(ng.mu, w)));
    };
    const [a, b] = (['closed-form', 'ad'] as const).map((m) => grad(h(m), { argnums: [0, 1] })(q, gEta) as [Q, ExpectationParameters]);
    expectGaussianClose(a[0], b[0], 1e-10, 'grad wrt q');
    expectGaussianClose(a[1] as never, b[1] as never, 1e-10, 'grad wrt ∂L/∂η');
    const dq = { mu: randn([5], rng(12)), L: ops.tril(randn([5, 5], rng(13))) };
    const [, ta] = jvp((qq: Q) => h('closed-form')(qq, gEta), [q], [dq]);
    const [, tb] = jvp((qq: Q) => h('ad')(qq, gEta), [q], [dq]);
    expect(Math.abs((ta as Tensor).item() - (tb as Tensor).item())).toBeLessThan(1e-10 * Math.max(1, Math.abs((tb as Tensor).item())));
  });

  it('sym as one primitive: bit-identical to ½(X + Xᵀ), derivatives checked', () => {
    const X = randn([2, 3, 3], rng(1));
    expect(symmetricPart(X)).toEqual(sym(X));
    checkDerivatives((x) => symmetricPart(x), [X], { secondOrder: true });
  });
});

describe('batches and validation', () => {
  it.each([[[3], 5], [[2, 2], 3], [[2], BLOCKED_MIN_ORDER + 2]] as const)('batch %j, D = %i: bit-identical to one call per Gaussian', (batch, d) => {
    const { q, gEta, gXi } = randomProblem(d, 31 + d, 20, [...batch]);
    const all = naturalGradient(meanCholesky, q, gEta);
    const allXi = naturalGradientFromEuclidean(meanCholesky, q, gXi);
    const n = batch.reduce((a, b) => a * b, 1);
    const flat = (t: Value, i: number, inner: number[]) => ops.reshape(t, [n, ...inner]).slice(i) as Tensor;
    for (let i = 0; i < n; i++) {
      const qi = { mu: flat(q.mu, i, [d]), L: flat(q.L, i, [d, d]) };
      const one = naturalGradient(meanCholesky, qi, { eta1: flat(gEta.eta1, i, [d]), eta2: flat(gEta.eta2, i, [d, d]) });
      const oneXi = naturalGradientFromEuclidean(meanCholesky, qi, { mu: flat(gXi.mu, i, [d]), L: flat(gXi.L, i, [d, d]) });
      expect(flat(all.mu, i, [d])).toEqual(one.mu);
      expect(flat(all.L, i, [d, d])).toEqual(one.L);
      expect(flat(allXi.L, i, [d, d])).toEqual(oneXi.L);
    }
  });

  it('bad input raises the same typed error, with the same message, for the fused and the one-JVP route', () => {
    const { q, gEta } = randomProblem(3, 1);
    const upper = { mu: q.mu, L: ops.add(q.L, ops.triu(ops.ones([3, 3]), 1)) };
    const negative = { mu: q.mu, L: ops.mul(q.L, -1) };
    const nanG = { eta1: gEta.eta1, eta2: ops.mul(gEta.eta2, NaN) };
    const short = { eta1: gEta.eta1, eta2: ops.ones([2, 2]) };
    const cases: [Q | typeof upper, ExpectationParameters][] = [[upper, gEta], [negative, gEta], [q, nanG], [q, short]];
    for (const [qq, g] of cases) {
      const caught = (['closed-form', 'ad', 'auto'] as const).map((method) => {
        try {
          naturalGradient(meanCholesky, qq as Q, g, { method });
        } catch (e) {
          return e as Error;
        }
        throw new Error(`${method}: no error`);
      });
      for (const e of caught) {
        expect(e.constructor).toBe(caught[1].constructor);
        expect(e.message).toBe(caught[1].message);
      }
    }
  });
});
