/** sample, reparameterise, logpdf, entropy and kl against closed forms and Monte-Carlo (fixed seeds). */
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, ops, random } from '@natgrad/core';
import {
  type AnyParametrisation,
  type Gaussian,
  convert,
  diagonal,
  diagonalExpectation,
  diagonalLogScale,
  diagonalNatural,
  entropy,
  expectation,
  kl,
  logpdf,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
  reparameterise,
  sample,
  meanLogCholesky,
} from '@natgrad/distributions';
import { checkDerivatives } from '../../core/test/util/check.js';
import { randn, randomIn, relErr, rng } from './util/gaussians.js';

const FULL: AnyParametrisation[] = [meanCovariance, meanCholesky, natural, expectation, meanPrecision, meanLogCholesky];
const DIAGONAL: AnyParametrisation[] = [diagonal, diagonalNatural, diagonalExpectation, diagonalLogScale];
const ALL = [...FULL, ...DIAGONAL];
const LOG_2PI = Math.log(2 * Math.PI);

/** Dense moments of q (diagonal embedded), as plain tensors. */
function dense(P: AnyParametrisation, q: Gaussian<string>): { mu: Tensor; Sigma: Tensor } {
  const m = P.toMoments(q) as unknown as Record<string, Tensor>;
  return { mu: m.mu, Sigma: (P.family === 'full' ? m.Sigma : ops.diag(m.sigma2)) as Tensor };
}

/** log N(x | μ, Σ) by the textbook formula with an explicit inverse and LU log-determinant. */
function denseLogpdf(mu: Tensor, sigma: Tensor, x: Tensor): number {
  const d = mu.shape[0];
  const r = ops.sub(x, mu);
  return -0.5 * (d * LOG_2PI + ops.logdet(sigma).item() + ops.dot(r, ops.matmul(ops.inv(sigma), r)).item());
}

const item = (v: Value) => (v as Tensor).item();

describe('sample and reparameterise', () => {
  it('shape [n, ...batch, D]; the same key gives the same samples; x = μ + Lε exactly', () => {
    const q = randomIn(meanCholesky, 3, rng(1), 10, [2]);
    const x = sample(meanCholesky, q, random.key(0), 5);
    expect(x.shape).toEqual([5, 2, 3]);
    expect(sample(meanCholesky, q, random.key(0), 5)).toEqual(x);
    expect(relErr(sample(meanCholesky, q, random.key(1), 5), x)).toBeGreaterThan(0.01);
    const eps = random.normal(random.key(0), [5, 2, 3]);
    for (let b = 0; b < 2; b++) {
      const manual = ops.add(ops.slice(q.mu, b), ops.matmul(ops.slice(eps, null, b), ops.matrixTranspose(ops.slice(q.L, b))));
      expect(relErr(ops.slice(x, null, b), manual)).toBeLessThan(1e-15);
    }
  });

  it.each(ALL.map((P) => [P.name, P] as const))('%s: sample mean and covariance match the moments (n = 20000)', (_, P) => {
    const q = randomIn(P, 3, rng(2), 10);
    const { mu, Sigma } = dense(P, q);
    const n = 20000;
    const x = sample(P, q, random.key(3), n) as Tensor;
    const m = ops.mean(x, 0);
    const c = ops.div(ops.matmul(ops.matrixTranspose(ops.sub(x, m)), ops.sub(x, m)), n - 1);
    // Standard errors: √(Σᵢᵢ/n) for the mean, √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n) for the covariance; allow 5 of them.
    for (let i = 0; i < 3; i++) {
      const sii = Sigma.get(i, i);
      expect(Math.abs((m as Tensor).get(i) - mu.get(i))).toBeLessThan(5 * Math.sqrt(sii / n));
      for (let j = 0; j < 3; j++) {
        const se = Math.sqrt((sii * Sigma.get(j, j) + Sigma.get(i, j) ** 2) / n);
        expect(Math.abs((c as Tensor).get(i, j) - Sigma.get(i, j))).toBeLessThan(5 * se);
      }
    }
  });

  it('reparameterised samples are differentiable in q (JVP vs finite differences, VJP vs JVP)', () => {
    const q = randomIn(meanCholesky, 3, rng(4));
    const eps = random.normal(random.key(5), [4, 3]);
    checkDerivatives((mu, L) => reparameterise(meanCholesky, { mu, L: ops.tril(L) }, eps), [q.mu, q.L]);
    const g = grad((qq: Gaussian<'mu' | 'L'>) => ops.sum(sample(meanCholesky, qq, random.key(5), 4)))(q);
    expect((g.mu as Tensor).toFlatArray()).toEqual([4, 4, 4]);
  });

  it('batched reparameterisation equals a loop over the batch, for both families', () => {
    for (const P of [meanCholesky, meanPrecision, diagonal] as AnyParametrisation[]) {
      const q = randomIn(P, 3, rng(6), 10, [4]);
      const eps = random.normal(random.key(7), [6, 4, 3]);
      const x = reparameterise(P, q, eps);
      for (let b = 0; b < 4; b++) {
        const qb = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, ops.slice(v, b)]));
        expect(relErr(ops.slice(x, null, b), reparameterise(P, qb, ops.slice(eps, null, b)))).toBeLessThan(1e-14);
      }
    }
  });
});

describe('logpdf and entropy', () => {
  it.each(ALL.map((P) => [P.name, P] as const))('%s: logpdf matches the dense formula; entropy the closed form', (_, P) => {
    const next = rng(8);
    const q = randomIn(P, 4, next, 100);
    const { mu, Sigma } = dense(P, q);
    const x = randn([5, 4], next);
    const lp = logpdf(P, q, x) as Tensor;
    expect(lp.shape).toEqual([5]);
    for (let i = 0; i < 5; i++) {
      const ref = denseLogpdf(mu, Sigma, ops.slice(x, i) as Tensor);
      expect(Math.abs(lp.get(i) - ref)).toBeLessThan(1e-10 * (1 + Math.abs(ref)));
    }
    const h = 0.5 * 4 * (1 + LOG_2PI) + 0.5 * ops.logdet(Sigma).item();
    expect(Math.abs(item(entropy(P, q)) - h)).toBeLessThan(1e-12);
  });

  it('points broadcast against the batch: [n, B, D] → [n, B] and [D] → [B]', () => {
    const q = randomIn(meanCholesky, 2, rng(9), 10, [3]);
    const x = randn([4, 3, 2], rng(10));
    const lp = logpdf(meanCholesky, q, x) as Tensor;
    expect(lp.shape).toEqual([4, 3]);
    for (let b = 0; b < 3; b++) {
      const m = dense(meanCholesky, { mu: ops.slice(q.mu, b), L: ops.slice(q.L, b) });
      for (let i = 0; i < 4; i++) {
        expect(Math.abs(lp.get(i, b) - denseLogpdf(m.mu, m.Sigma, ops.slice(x, i, b) as Tensor))).toBeLessThan(1e-12);
      }
    }
    expect(logpdf(meanCholesky, q, [0.5, -1]).shape).toEqual([3]);
  });

  it('entropy ≈ −E_q[log q(x)] by Monte-Carlo (n = 40000)', () => {
    for (const P of [meanCholesky, diagonal, natural] as AnyParametrisation[]) {
      const q = randomIn(P, 3, rng(11), 10);
      const x = sample(P, q, random.key(12), 40000);
      const mc = -item(ops.mean(logpdf(P, q, x)));
      // −log q(x) = const + ½χ²₃: standard deviation √(3/2) ≈ 1.22, standard error 0.006; allow 5 of them.
      expect(Math.abs(mc - item(entropy(P, q)))).toBeLessThan(5 * Math.sqrt(1.5 / 40000));
    }
  });

  it('entropy gradient in (μ, L) is diag(1/Lᵢᵢ), zero in μ', () => {
    const q = randomIn(meanCholesky, 3, rng(13));
    const g = grad((qq: Gaussian<'mu' | 'L'>) => entropy(meanCholesky, qq))(q);
    expect((g.mu as Tensor).toFlatArray()).toEqual([0, 0, 0]);
    expect(relErr(g.L, ops.diag(ops.div(1, ops.diagonal(q.L))))).toBeLessThan(1e-15);
  });
});

describe('kl', () => {
  /** KL(q‖p) by the textbook formula with explicit inverses. */
  function denseKl(a: { mu: Tensor; Sigma: Tensor }, b: { mu: Tensor; Sigma: Tensor }): number {
    const d = a.mu.shape[0];
    const inv = ops.inv(b.Sigma);
    const r = ops.sub(b.mu, a.mu);
    return 0.5 * (ops.trace(ops.matmul(inv, a.Sigma)).item() + ops.dot(r, ops.matmul(inv, r)).item() - d +
      ops.logdet(b.Sigma).item() - ops.logdet(a.Sigma).item());
  }

  it('matches the dense formula for every mix of parametrisations and families', () => {
    const next = rng(14);
    for (const A of ALL) {
      for (const B of [meanCovariance, meanCholesky, diagonal, diagonalLogScale, natural] as AnyParametrisation[]) {
        const q = randomIn(A, 3, next, 30), p = randomIn(B, 3, next, 30);
        const ref = denseKl(dense(A, q), dense(B, p));
        expect(Math.abs(item(kl(A, q, B, p)) - ref)).toBeLessThan(1e-10 * (1 + ref));
      }
    }
  });

  it('KL(q‖q) = 0, KL ≥ 0, and it equals E_q[log q − log p] by Monte-Carlo', () => {
    const next = rng(15);
    const q = randomIn(meanCholesky, 3, next, 10), p = randomIn(meanCovariance, 3, next, 10);
    expect(Math.abs(item(kl(meanCholesky, q, meanCholesky, q)))).toBeLessThan(1e-14);
    const value = item(kl(meanCholesky, q, meanCovariance, p));
    expect(value).toBeGreaterThan(0);
    const x = sample(meanCholesky, q, random.key(16), 40000);
    const ratio = ops.sub(logpdf(meanCholesky, q, x), logpdf(meanCovariance, p, x)) as Tensor;
    const mc = item(ops.mean(ratio));
    const sd = Math.sqrt(item(ops.mean(ops.square(ops.sub(ratio, mc)))));
    expect(Math.abs(mc - value)).toBeLessThan(5 * sd / Math.sqrt(40000));
  });

  it('batches broadcast: q [B, D] against one p, and the conversion-invariance of KL', () => {
    const next = rng(17);
    const q = randomIn(meanCholesky, 2, next, 10, [3]);
    const p = randomIn(meanCovariance, 2, next, 10);
    const v = kl(meanCholesky, q, meanCovariance, p) as Tensor;
    expect(v.shape).toEqual([3]);
    for (let b = 0; b < 3; b++) {
      const qb = { mu: ops.slice(q.mu, b), L: ops.slice(q.L, b) };
      expect(Math.abs(v.get(b) - item(kl(meanCholesky, qb, meanCovariance, p)))).toBeLessThan(1e-13);
      const same = kl(natural, convert(qb, meanCholesky, natural), meanPrecision, convert(p, meanCovariance, meanPrecision));
      expect(Math.abs(v.get(b) - item(same))).toBeLessThan(1e-12);
    }
  });

  it('is differentiable in both arguments', () => {
    const next = rng(18);
    const q = randomIn(meanCholesky, 2, next, 5), p = randomIn(meanCholesky, 2, next, 5);
    checkDerivatives(
      (m1, l1, m2, l2) => kl(meanCholesky, { mu: m1, L: ops.tril(l1) }, meanCholesky, { mu: m2, L: ops.tril(l2) }),
      [q.mu, q.L, p.mu, p.L],
    );
  });
});
