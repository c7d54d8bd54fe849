/** expectedLogLikelihood: exact for Gaussian likelihoods, vs a dense computation, vs Monte-Carlo, derivatives. */
import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, type Value, grad, ops, random } from '@natgrad/core';
import {
  type AnyParametrisation,
  type Gaussian,
  type LogLikelihood,
  bernoulliLogLikelihood,
  diagonal,
  diagonalLogScale,
  expectedGaussianLogLikelihood,
  expectedLogLikelihood,
  gaussHermite,
  gaussHermiteExpectation,
  gaussianLogLikelihood,
  meanCholesky,
  meanCovariance,
  natural,
  sample,
} from '@natgrad/distributions';
import { checkDerivatives } from '../../core/test/util/check.js';
import { randn, randomIn, relErr, rng } from './util/gaussians.js';

const item = (v: Value) => (v as Tensor).item();
/** Bernoulli likelihood with a logit link, y ∈ {0, 1}: log σ((2y − 1) f). */
const bernoulliLogit: LogLikelihood = (y, f) => ops.logSigmoid(ops.mul(ops.sub(ops.mul(y, 2), 1), f));

function data(n: number, d: number, seed: number) {
  const next = rng(seed);
  const X = randn([n, d], next, 0.7);
  const y = Tensor.from(Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)));
  return { X, y };
}

describe('expectedLogLikelihood', () => {
  it('is exact for the Gaussian likelihood (a quadratic in f) with 2 or more points', () => {
    const { X } = data(7, 3, 1);
    const y = randn([7], rng(2));
    for (const P of [meanCholesky, meanCovariance, natural, diagonal, diagonalLogScale] as AnyParametrisation[]) {
      const q = randomIn(P, 3, rng(3), 20);
      const closed = item(expectedGaussianLogLikelihood(X, y, 0.3, P, q));
      for (const points of [2, 5, 20]) {
        const gh = item(expectedLogLikelihood(gaussianLogLikelihood(0.3), X, y, P, q, { points }));
        expect(Math.abs(gh - closed)).toBeLessThan(1e-12 * Math.abs(closed));
      }
    }
  });

  it('equals a dense computation with XΣXᵀ (per data point, non-Gaussian likelihood)', () => {
    const { X, y } = data(6, 4, 4);
    const q = randomIn(meanCholesky, 4, rng(5), 50);
    const per = expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q, { points: 30, reduce: 'none' }) as Tensor;
    expect(per.shape).toEqual([6]);
    const sigma = ops.matmul(q.L, ops.matrixTranspose(q.L));
    const cov = ops.matmul(X, ops.matmul(sigma, ops.matrixTranspose(X))) as Tensor; // dense N × N
    const m = ops.matmul(X, q.mu) as Tensor;
    const { nodes, weights } = gaussHermite(30);
    for (let n = 0; n < 6; n++) {
      let acc = 0;
      for (let i = 0; i < 30; i++) {
        const f = m.get(n) + Math.sqrt(2 * cov.get(n, n)) * nodes.data[i];
        const s = (2 * y.get(n) - 1) * f;
        acc += (weights.data[i] / Math.sqrt(Math.PI)) * -Math.log1p(Math.exp(-s));
      }
      expect(Math.abs(per.get(n) - acc)).toBeLessThan(1e-13 * (1 + Math.abs(acc)));
    }
    expect(Math.abs(item(expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q, { points: 30 })) - item(ops.sum(per)))).toBeLessThan(1e-13);
  });

  it('agrees with Monte-Carlo over reparameterised samples (n = 20000)', () => {
    const { X, y } = data(5, 3, 6);
    const q = randomIn(meanCholesky, 3, rng(7), 10);
    const gh = item(expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q));
    const w = sample(meanCholesky, q, random.key(8), 20000); // [S, D]
    const f = ops.matmul(w, ops.matrixTranspose(X)); // [S, N]
    const ll = ops.sum(bernoulliLogit(y, f) as Value, -1) as Tensor; // [S]
    const mc = item(ops.mean(ll));
    const sd = Math.sqrt(item(ops.mean(ops.square(ops.sub(ll, mc)))));
    expect(Math.abs(gh - mc)).toBeLessThan(5 * sd / Math.sqrt(20000));
  });

  it('is differentiable in q (JVP vs finite differences, VJP vs JVP) and in a likelihood hyperparameter', () => {
    const { X, y } = data(4, 2, 9);
    const q = randomIn(meanCholesky, 2, rng(10));
    checkDerivatives((mu, L) => expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, { mu, L: ops.tril(L) }, { points: 16 }), [q.mu, q.L]);
    const yr = randn([4], rng(11));
    const g = grad((v: Value) => expectedLogLikelihood(gaussianLogLikelihood(v), X, yr, meanCholesky, q))(Tensor.scalar(0.4));
    const h = 1e-6;
    const fd = (item(expectedGaussianLogLikelihood(X, yr, 0.4 + h, meanCholesky, q)) - item(expectedGaussianLogLikelihood(X, yr, 0.4 - h, meanCholesky, q))) / (2 * h);
    expect(Math.abs(item(g) - fd)).toBeLessThan(1e-7);
  });

  it('batched q gives [B] totals equal to a loop; a zero row of X keeps gradients finite', () => {
    const { X, y } = data(5, 3, 12);
    const q = randomIn(meanCholesky, 3, rng(13), 10, [3]);
    const v = expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q) as Tensor;
    expect(v.shape).toEqual([3]);
    for (let b = 0; b < 3; b++) {
      const qb = { mu: ops.slice(q.mu, b), L: ops.slice(q.L, b) };
      expect(Math.abs(v.get(b) - item(expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, qb)))).toBeLessThan(1e-12);
    }
    const Xz = ops.concat([X, Tensor.zeros([1, 3])]) as Tensor;
    const yz = ops.concat([y, Tensor.from([1])]) as Tensor;
    const q1 = randomIn(meanCholesky, 3, rng(14));
    const g = grad((qq: Gaussian<'mu' | 'L'>) => expectedLogLikelihood(bernoulliLogit, Xz, yz, meanCholesky, qq))(q1);
    for (const t of [g.mu, g.L] as Tensor[]) for (const x of t.data) expect(Number.isFinite(x)).toBe(true);
    // the zero row contributes log σ(0) exactly, independent of q
    const without = item(expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, q1));
    const withZero = item(expectedLogLikelihood(bernoulliLogit, Xz, yz, meanCholesky, q1));
    expect(Math.abs(withZero - without - Math.log(0.5))).toBeLessThan(1e-13);
    expect(relErr(g.mu, grad((qq: Gaussian<'mu' | 'L'>) => expectedLogLikelihood(bernoulliLogit, X, y, meanCholesky, qq))(q1).mu)).toBeLessThan(1e-13);
  });

  it('rejects X, y and logLik of the wrong shapes with ShapeErrors that say what was expected', () => {
    const q = randomIn(meanCholesky, 3, rng(15));
    const { X, y } = data(4, 3, 16);
    expect(() => expectedLogLikelihood(bernoulliLogit, randn([4, 2], rng(1)), y, meanCholesky, q)).toThrow(/X must have shape \[N, 3\]/);
    expect(() => expectedLogLikelihood(bernoulliLogit, X, Tensor.from([1, 0]), meanCholesky, q)).toThrow(/y must have shape \[4\]/);
    expect(() => expectedLogLikelihood(() => Tensor.zeros([4]), X, y, meanCholesky, q)).toThrow(ShapeError);
  });
});

describe('gaussHermiteExpectation and bernoulliLogLikelihood', () => {
  it('integrates polynomials exactly and matches expectedLogLikelihood for f = Xw', () => {
    // E[f²] = m² + v and E[f⁴] = m⁴ + 6m²v + 3v² for f ~ N(m, v)
    const mean = Tensor.from([0.3, -1.2, 2]);
    const variance = Tensor.from([0.5, 0, 1.7]);
    const m2 = gaussHermiteExpectation((_y, f) => ops.square(f), Tensor.zeros([3]), mean, variance, { points: 5 }) as Tensor;
    const m4 = gaussHermiteExpectation((_y, f) => ops.square(ops.square(f)), Tensor.zeros([3]), mean, variance, { points: 5 }) as Tensor;
    mean.data.forEach((m, i) => {
      const v = variance.data[i];
      expect(m2.data[i]).toBeCloseTo(m * m + v, 13);
      expect(m4.data[i]).toBeCloseTo(m ** 4 + 6 * m * m * v + 3 * v * v, 12);
    });
  });
  it('bernoulliLogLikelihood is log σ((2y − 1)f)', () => {
    const ll = bernoulliLogLikelihood(Tensor.from([1, 0]), Tensor.from([0.7, 0.7])) as Tensor;
    expect(ll.data[0]).toBeCloseTo(-Math.log1p(Math.exp(-0.7)), 15);
    expect(ll.data[1]).toBeCloseTo(-Math.log1p(Math.exp(0.7)), 15);
  });
});
