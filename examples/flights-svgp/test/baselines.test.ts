/**
 * The baselines. Bayesian linear regression: the evidence from sufficient statistics against the marginal
 * N(y | 0, α⁻¹ΦΦᵀ + β⁻¹I) of the same data (an n×n route), the fixed point as a stationary point of the evidence
 * (reverse-mode gradient ≈ 0), predictions against the function-space (GP) form. The training-mean baseline and the
 * scores against closed forms.
 */
import { Tensor, grad, ops, random } from '@natgrad/core';
import { describe, expect, it } from 'vitest';
import { predictTrainingMean } from '../src/baselines/mean.js';
import { fitLinear, logEvidence, predictLinear, sufficientStats } from '../src/baselines/linear.js';
import type { Table } from '../src/data/dataset.js';
import { D } from '../src/data/features.js';
import { nlpd, rmse, score } from '../src/metrics.js';

/** y = 5 + 20·(x₀ − 0.5x₃) + noise(σ = 30), in "minutes", with standardised-looking features. */
function synthetic(seed: number, n: number): Table {
  const [kx, ke] = random.split(random.key(seed), 2);
  const x = (random.normal(kx, [n, D]) as Tensor).data;
  const e = (random.normal(ke, [n]) as Tensor).data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 5 + 20 * (x[i * D] - 0.5 * x[i * D + 3]) + 30 * e[i];
  return { n, x: Float64Array.from(x), y };
}

/** The design Φ = [1, x] as a tensor [n, D + 1]. */
function design(t: Table): Tensor {
  const P = D + 1;
  const phi = new Float64Array(t.n * P);
  for (let i = 0; i < t.n; i++) {
    phi[i * P] = 1;
    for (let j = 0; j < D; j++) phi[i * P + j + 1] = t.x[i * D + j];
  }
  return new Tensor(phi, [t.n, P]);
}

describe('Bayesian linear regression', () => {
  const train = synthetic(1, 60);
  const target = { mean: 4, std: 31 };
  const yStd = new Tensor(train.y.map((v) => (v - target.mean) / target.std), [train.n]);

  it('evidence from sufficient statistics = log N(y | 0, α⁻¹ΦΦᵀ + β⁻¹I)', () => {
    const s = sufficientStats(train, target);
    const Phi = design(train);
    for (const [alpha, beta] of [[0.5, 2], [3, 0.7], [0.01, 10]]) {
      const C = ops.add(ops.mul(1 / alpha, ops.matmul(Phi, ops.matrixTranspose(Phi))), ops.mul(1 / beta, Tensor.eye(train.n)));
      const Lc = ops.cholesky(C);
      const direct =
        -0.5 * (ops.dot(yStd, ops.choleskySolve(Lc, yStd)) as Tensor).item() -
        (ops.sum(ops.log(ops.diagonal(Lc))) as Tensor).item() -
        0.5 * train.n * Math.log(2 * Math.PI);
      expect((logEvidence(s, Tensor.scalar(Math.log(alpha)), Tensor.scalar(Math.log(beta))) as Tensor).item()).toBeCloseTo(direct, 9);
    }
  });

  it('fits α and β at a stationary point of the evidence', () => {
    const model = fitLinear(train, target);
    const s = sufficientStats(train, target);
    const [ga, gb] = grad((la: Tensor, lb: Tensor) => logEvidence(s, la, lb), { argnums: [0, 1] })(
      Tensor.scalar(Math.log(model.alpha)),
      Tensor.scalar(Math.log(model.beta)),
    ) as [Tensor, Tensor];
    expect(Math.abs(ga.item())).toBeLessThan(1e-8);
    expect(Math.abs(gb.item())).toBeLessThan(1e-8);
    // and it is a maximum: moving away lowers the evidence
    for (const [da, db] of [[0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]]) {
      const moved = logEvidence(s, Tensor.scalar(Math.log(model.alpha) + da), Tensor.scalar(Math.log(model.beta) + db)) as Tensor;
      expect(moved.item()).toBeLessThan(model.logEvidence);
    }
    expect(model.iterations).toBeLessThan(500);
  });

  it('predicts as the equivalent GP with kernel α⁻¹φ(x)ᵀφ(x′) and noise β⁻¹ (in minutes)', () => {
    const model = fitLinear(train, target);
    const test = synthetic(2, 7);
    const pred = predictLinear(model, test);
    const [Phi, Phis] = [design(train), design(test)];
    const [a, b] = [1 / model.alpha, 1 / model.beta];
    const C = ops.add(ops.mul(a, ops.matmul(Phi, ops.matrixTranspose(Phi))), ops.mul(b, Tensor.eye(train.n)));
    const Lc = ops.cholesky(C);
    const Ks = ops.mul(a, ops.matmul(Phis, ops.matrixTranspose(Phi))) as Tensor; // [7, n]
    const mean = ops.matmul(Ks, ops.choleskySolve(Lc, yStd)) as Tensor;
    const V = ops.triangularSolve(Lc, ops.matrixTranspose(Ks), { lower: true });
    const kss = ops.mul(a, ops.sum(ops.square(Phis), 1));
    const variance = ops.add(ops.sub(kss, ops.sum(ops.square(V), 0)), b) as Tensor;
    for (let i = 0; i < 7; i++) {
      expect(pred.mean[i]).toBeCloseTo(target.mean + target.std * mean.data[i], 8);
      expect(pred.variance[i] / target.std ** 2).toBeCloseTo(variance.data[i], 10);
    }
  });

  it('beats the training mean on data with a linear signal', () => {
    const big = synthetic(3, 5000);
    const test = synthetic(4, 2000);
    const t = { mean: 5, std: 35 };
    const linear = score(test.y, predictLinear(fitLinear(big, t), test));
    const mean = score(test.y, predictTrainingMean(big, test.n));
    expect(linear.rmse).toBeLessThan(31); // noise σ = 30
    expect(mean.rmse).toBeGreaterThan(35); // signal sd ≈ 22 on top
    expect(linear.nlpd).toBeLessThan(mean.nlpd);
  });
});

describe('training mean and scores', () => {
  it('predicts N(ȳ, s²) of the training delays', () => {
    const train = { n: 4, x: new Float64Array(4 * D), y: Float64Array.from([1, 2, 3, 6]) };
    const p = predictTrainingMean(train, 3);
    expect(Array.from(p.mean)).toEqual([3, 3, 3]);
    expect(Array.from(p.variance)).toEqual([3.5, 3.5, 3.5]); // (4 + 1 + 0 + 9)/4
  });

  it('RMSE and NLPD match their closed forms', () => {
    const y = Float64Array.from([1, -1, 3]);
    const mean = Float64Array.from([0, 0, 0]);
    const variance = Float64Array.from([1, 1, 4]);
    expect(rmse(y, mean)).toBeCloseTo(Math.sqrt(11 / 3), 14);
    const expected = (0.5 * Math.log(2 * Math.PI) + 0.5 + 0.5 * Math.log(2 * Math.PI) + 0.5 + 0.5 * Math.log(8 * Math.PI) + 9 / 8) / 3;
    expect(nlpd(y, mean, variance)).toBeCloseTo(expected, 14);
  });
});
