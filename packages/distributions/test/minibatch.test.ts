/**
 * Minibatch ELBOs: over every batch a shuffled epoch can hand a step — every B-subset of the N points, the short last
 * batch's size included — the average of the estimate is the full-data ELBO, and so is the average of its gradient
 * and of its natural gradient; derivatives against finite differences; argument errors.
 */
import { InvalidArgumentError, NonFiniteError, ShapeError, Tensor, type Value, grad, ops } from '@natgrad/core';
import {
  expectedGaussianLogLikelihood,
  kl,
  meanCholesky,
  minibatchElbo,
  minibatchScale,
  naturalGradientFromEuclidean,
} from '@natgrad/distributions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDerivatives } from '../../core/test/util/check.js';
import { randn, randomIn, rng } from './util/gaussians.js';

type Q = { mu: Tensor; L: Tensor };

/** All k-subsets of 0 … n−1, in lexicographic order. */
function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const go = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push([...acc]);
    for (let i = start; i < n; i++) go(i + 1, [...acc, i]);
  };
  go(0, []);
  return out;
}

/** A linear-Gaussian model y = Xw + ε in D dimensions with N points, a prior and a q away from the posterior. */
function model(seed: number, n: number, d: number) {
  const next = rng(seed);
  const X = randn([n, d], next);
  const y = randn([n], next, 2);
  const prior = randomIn(meanCholesky, d, next, 5) as Q;
  const q = randomIn(meanCholesky, d, next, 5) as Q;
  return { X, y, prior, q, noise: 0.3 + next() ** 2 };
}
type Model = ReturnType<typeof model>;

const rowsOf = (t: Tensor, rows: number[]) => ops.take(t, rows, 0) as Tensor;
const fullElbo = (m: Model) => (q: Q): Value =>
  ops.sub(expectedGaussianLogLikelihood(m.X, m.y, m.noise, meanCholesky, q), kl(meanCholesky, q, meanCholesky, m.prior));
const batchElbo = (m: Model, rows: number[]) => (q: Q): Value =>
  minibatchElbo(
    expectedGaussianLogLikelihood(rowsOf(m.X, rows), rowsOf(m.y, rows), m.noise, meanCholesky, q, { reduce: 'none' }),
    kl(meanCholesky, q, meanCholesky, m.prior),
    { dataSize: m.X.shape[0] },
  );
const item = (v: Value) => (v as Tensor).item();

/** Elementwise mean of trees of tensors. */
function meanOf(trees: Q[]): Q {
  const add = (k: keyof Q) => trees.map((t) => t[k]).reduce((a, b) => ops.add(a, b) as Tensor);
  return { mu: ops.div(add('mu'), trees.length) as Tensor, L: ops.div(add('L'), trees.length) as Tensor };
}
function expectClose(a: Q, b: Q, rtol: number) {
  for (const k of ['mu', 'L'] as const) {
    const scale = Math.max(...Array.from(b[k].data, Math.abs));
    a[k].data.forEach((v, i) => expect(Math.abs(v - b[k].data[i])).toBeLessThanOrEqual(rtol * scale));
  }
}

describe('minibatchElbo', () => {
  it('averaged over every batch of every size B (uniform B-subsets of N) is the full-data ELBO', () => {
    const m = model(1, 7, 2);
    const full = item(fullElbo(m)(m.q));
    for (let b = 1; b <= 7; b++) {
      const all = subsets(7, b);
      const mean = all.reduce((s, rows) => s + item(batchElbo(m, rows)(m.q)), 0) / all.length;
      // The average of C(7, B) sums, each within a few ulps: relative 1e-13.
      expect(Math.abs(mean - full)).toBeLessThanOrEqual(1e-13 * Math.abs(full) * all.length);
    }
  });

  it('averaged over the batches of one epoch (a partition into equal batches) is the full-data ELBO, for any q (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1, 2, 3, 4, 6, 12), (seed, b) => {
        const m = model(seed, 12, 3);
        const order = Array.from({ length: 12 }, (_, i) => i).sort((i, j) => Math.sin(seed * (i + 1)) - Math.sin(seed * (j + 1)));
        let sum = 0;
        for (let i = 0; i < 12 / b; i++) sum += item(batchElbo(m, order.slice(i * b, (i + 1) * b))(m.q));
        const full = item(fullElbo(m)(m.q));
        expect(Math.abs(sum / (12 / b) - full)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(full)));
      }),
      { numRuns: 30 },
    );
  });

  it('its gradient and its natural gradient, averaged over every batch, are the full-data ones', () => {
    const m = model(2, 6, 2);
    const gFull = grad(fullElbo(m))(m.q) as Q;
    const ngFull = naturalGradientFromEuclidean(meanCholesky, m.q, gFull) as Q;
    for (const b of [1, 2, 4]) {
      const grads = subsets(6, b).map((rows) => grad(batchElbo(m, rows))(m.q) as Q);
      expectClose(meanOf(grads), gFull, 1e-12);
      expectClose(meanOf(grads.map((g) => naturalGradientFromEuclidean(meanCholesky, m.q, g) as Q)), ngFull, 1e-11);
    }
  });

  it('is differentiable in logLik and kl, and through them in q: JVP/VJP against finite differences', () => {
    const m = model(3, 5, 2);
    checkDerivatives((ll: Value, k: Value) => minibatchElbo(ll, k, { dataSize: 40 }), [Tensor.from([-1, -2.5, 0.3]), Tensor.scalar(1.7)]);
    checkDerivatives((mu: Value, L: Value) => batchElbo(m, [0, 3])({ mu, L: ops.tril(L) } as Q), [m.q.mu, m.q.L]);
  });

  it('scales by N/B with B the batch’s own size, once per Gaussian of a batch of q', () => {
    const v = minibatchElbo(Tensor.from([[-1, -2], [-3, -4]]), Tensor.from([0.5, 1]), { dataSize: 10 });
    expect(Array.from((v as Tensor).data)).toEqual([5 * -3 - 0.5, 5 * -7 - 1]);
    expect(item(minibatchElbo([-1, -2, -3], 2, { dataSize: 3 }))).toBe(-8);
    expect(item(minibatchElbo([-Infinity, 0], 1, { dataSize: 4 }))).toBe(-Infinity);
    expect(item(minibatchElbo([-1], Infinity, { dataSize: 4 }))).toBe(-Infinity);
    expect(minibatchScale(60_000, 128)).toBe(468.75);
    expect(minibatchScale(5, 5)).toBe(1);
  });

  it('rejects bad arguments naming them', () => {
    const bad = (f: () => unknown, type: new (...a: never[]) => Error, msg: RegExp) => {
      expect(f).toThrow(type);
      expect(f).toThrow(msg);
    };
    bad(() => minibatchElbo(-3, 0, { dataSize: 5 }), ShapeError, /logLik must hold one value per data point/);
    bad(() => minibatchElbo(Tensor.zeros([0]), 0, { dataSize: 5 }), ShapeError, /no data points/);
    bad(() => minibatchElbo([-1, -2, -3], 0, { dataSize: 2 }), InvalidArgumentError, /logLik has 3 data points \(its last axis\), more than options.dataSize = 2/);
    bad(() => minibatchElbo([[-1], [-2]], [1, 2, 3], { dataSize: 5 }), ShapeError, /kl \[3\] does not broadcast against the batch axes \[2\]/);
    bad(() => minibatchElbo([-1, NaN], 0, { dataSize: 5 }), NonFiniteError, /minibatchElbo: logLik/);
    bad(() => minibatchElbo([-1, Infinity], 0, { dataSize: 5 }), NonFiniteError, /may be −∞, not NaN or \+∞/);
    bad(() => minibatchElbo([-1], -Infinity, { dataSize: 5 }), NonFiniteError, /minibatchElbo: kl/);
    bad(() => minibatchElbo('x' as never, 0, { dataSize: 5 }), InvalidArgumentError, /minibatchElbo: logLik must be a tensor/);
    bad(() => minibatchElbo([-1], {} as never, { dataSize: 5 }), InvalidArgumentError, /minibatchElbo: kl must be a tensor/);
    for (const dataSize of [0, 2.5, NaN, '5', -1]) bad(() => minibatchElbo([-1], 0, { dataSize } as never), InvalidArgumentError, /options.dataSize must be an integer/);
    bad(() => minibatchElbo([-1], 0, {} as never), InvalidArgumentError, /options.dataSize .* is required/);
    bad(() => minibatchElbo([-1], 0, { dataSize: 5, scale: 2 } as never), InvalidArgumentError, /scale/);
    bad(() => minibatchScale(10, 11), InvalidArgumentError, /batchSize 11 is larger than dataSize 10/);
    bad(() => minibatchScale(10, 0), InvalidArgumentError, /minibatchScale: batchSize must be an integer/);
    bad(() => minibatchScale(1.5, 1), InvalidArgumentError, /minibatchScale: dataSize must be an integer/);
  });
});
