/**
 * The whitened SVGP: the Gram-form expected log-likelihood against per-point marginals, the closed-form KL against
 * distributions' `kl`, exactness when Z = X (one natural step of size 1 gives the exact GP: ELBO = log marginal
 * likelihood, predictions = the GP posterior), unbiased minibatches, and derivatives three ways.
 */
import { Tensor, ops, random } from '@natgrad/core';
import { kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Descent, partition, setup, update } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { grad } from '@natgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../src/data/features.js';
import { rbf } from '../src/model/kernel.js';
import { predictSvgp } from '../src/model/predict.js';
import { type SvgpParams, expectedLogLikelihood, minibatchElbo, whitenedKl } from '../src/model/svgp.js';
import { checkDirectional, randomDirection } from './derivatives.js';

const identity = { mean: 0, std: 1 };

/** A random model with M inducing points in D = 8 dimensions and a random (valid) q. */
function model(seed: number, M: number): SvgpParams {
  const k = random.split(random.key(seed), 5);
  const raw = random.normal(k[1], [M, M]) as Tensor;
  // lower triangular with a positive diagonal
  const L = ops.add(ops.mul(0.3, ops.tril(raw, -1)), ops.diag(ops.add(0.5, ops.mul(0.2, ops.abs(ops.diagonal(raw)))))) as Tensor;
  return {
    q: { mu: random.normal(k[0], [M]) as Tensor, L },
    kernel: { logLengthscales: ops.add(0.5, ops.mul(0.2, random.normal(k[2], [D]))) as Tensor, logVariance: Tensor.scalar(-0.4) },
    logNoise: Tensor.scalar(-0.7),
    Z: random.normal(k[3], [M, D]) as Tensor,
  };
}

function data(seed: number, n: number) {
  const [kx, ky] = random.split(random.key(seed), 2);
  return { x: random.normal(kx, [n, D]) as Tensor, y: random.normal(ky, [n]) as Tensor };
}

const table = (b: { x: Tensor; y: Tensor }) => ({ n: b.y.size, x: b.x.data, y: b.y.data });

describe('whitened SVGP', () => {
  it('Gram-form Σ E_q[log N(y|f, σ²)] equals the sum over per-point marginals q(f_n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const p = model(seed, 12);
        const batch = data(seed + 1, 30);
        const noise = Math.exp(p.logNoise.item());
        const { mean, variance } = predictSvgp(p, table(batch), identity, 7); // odd batch size: several batches
        let perPoint = 0;
        for (let i = 0; i < 30; i++) {
          const varF = variance[i] - noise;
          perPoint += -0.5 * Math.log(2 * Math.PI * noise) - ((batch.y.data[i] - mean[i]) ** 2 + varF) / (2 * noise);
        }
        expect((expectedLogLikelihood(p, batch) as Tensor).item()).toBeCloseTo(perPoint, 9);
      }),
      { numRuns: 20 },
    );
  });

  it('KL(q ‖ N(0, I)) in closed form equals distributions’ kl', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 15 }), (seed, M) => {
        const { q } = model(seed, M);
        const reference = kl(meanCholesky, q, meanCovariance, { mu: Tensor.zeros([M]), Sigma: Tensor.eye(M) }) as Tensor;
        expect((whitenedKl(q) as Tensor).item()).toBeCloseTo(reference.item(), 11);
      }),
      { numRuns: 30 },
    );
  });

  it('with Z = X, one natural step of size 1 gives the exact GP: ELBO = log marginal likelihood, GP predictions', () => {
    const N = 12;
    const batch = data(7, N);
    const p0 = { ...model(8, N), Z: batch.x, q: { mu: Tensor.zeros([N]), L: Tensor.eye(N) } };
    const elbo = (p: SvgpParams) => minibatchElbo(p, batch, N);
    const opt = setup(partition({ nat: NaturalGradient(Descent(1)), none: Descent(0) }, { q: 'nat', kernel: 'none', logNoise: 'none', Z: 'none' }), p0);
    const [, p1] = update(opt, p0, grad((p: SvgpParams) => ops.neg(elbo(p)))(p0));

    // exact GP: y ~ N(0, K + σ²I)
    const noise = Math.exp(p0.logNoise.item());
    const K = rbf(batch.x, batch.x, p0.kernel) as Tensor;
    const Ly = ops.cholesky(ops.add(K, ops.mul(noise, Tensor.eye(N)))) as Tensor;
    const alpha = ops.choleskySolve(Ly, batch.y) as Tensor;
    const logMarginal = -0.5 * (ops.dot(batch.y, alpha) as Tensor).item() - (ops.sum(ops.log(ops.diagonal(Ly))) as Tensor).item() - 0.5 * N * Math.log(2 * Math.PI);
    // the bound is tight up to the jitter on K_ZZ (1e-6·s²)
    expect(Math.abs((elbo(p1) as Tensor).item() - logMarginal)).toBeLessThan(1e-4);
    expect((elbo(p0) as Tensor).item()).toBeLessThan(logMarginal - 1); // the step did the work

    const star = data(9, 5).x;
    const Ks = rbf(star, batch.x, p0.kernel) as Tensor; // [5, N]
    const exactMean = ops.matmul(Ks, alpha) as Tensor;
    const V = ops.triangularSolve(Ly, ops.matrixTranspose(Ks), { lower: true }) as Tensor;
    const exactVar = ops.add(ops.sub(Math.exp(p0.kernel.logVariance.item()), ops.sum(ops.square(V), 0)), noise) as Tensor;
    const pred = predictSvgp(p1, { n: 5, x: star.data, y: new Float64Array(5) }, identity);
    for (let i = 0; i < 5; i++) {
      expect(pred.mean[i]).toBeCloseTo(exactMean.data[i], 5);
      expect(pred.variance[i]).toBeCloseTo(exactVar.data[i], 5);
    }
  });

  it('minibatch ELBOs of a partition of the data average to the full-data ELBO (unbiased)', () => {
    const p = model(3, 10);
    const all = data(4, 40);
    const full = (minibatchElbo(p, all, 40) as Tensor).item();
    let mean = 0;
    for (let b = 0; b < 4; b++) {
      const rows = (t: Tensor, w: number) => new Tensor(t.data.slice(b * 10 * w, (b + 1) * 10 * w), w === 1 ? [10] : [10, w]);
      mean += (minibatchElbo(p, { x: rows(all.x, D), y: rows(all.y, 1) }, 40) as Tensor).item() / 4;
    }
    expect(mean).toBeCloseTo(full, 8);
  });

  it('has derivatives in every parameter (q, kernel, noise, Z) that agree three ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const p = model(seed, 6);
        const batch = data(seed + 1, 15);
        checkDirectional((q: SvgpParams) => minibatchElbo(q, batch, 100), p, randomDirection(p, seed + 2), { rtol: 1e-5 });
      }),
      { numRuns: 15 },
    );
  });
});
