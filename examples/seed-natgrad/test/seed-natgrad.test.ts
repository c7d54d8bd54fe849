/**
 * The main demo's claims, with its real settings (≈ 12 s): the natural gradient reaches the optimum ELBO (log Z,
 * exact for this conjugate model) within 1e-3 in far fewer iterations than Adam on the same Monte-Carlo ELBO.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, ops } from '@natgrad/core';
import { expectedGaussianLogLikelihood, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { isPng, renderPng } from '@natgrad-examples/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { carsRegression } from '../src/model.js';
import { elboPlot } from '../src/plot.js';
import { type SeedResult, run } from '../src/run.js';

describe('seed-natgrad: natural gradient vs Adam on cars.json', () => {
  let result: SeedResult;
  beforeAll(async () => {
    result = await run();
  }, 120_000);

  it('measures the ELBO exactly: log Z − KL(q ‖ posterior) = E_q[log p(y | w)] − KL(q ‖ prior)', () => {
    const m = carsRegression();
    const q = { mu: Tensor.from([0.1, -0.2, -0.3, 0.2]), L: Tensor.from([[0.5, 0, 0, 0], [0.1, 0.4, 0, 0], [0, 0.2, 0.3, 0], [0.1, 0, 0.1, 0.2]]) };
    const direct = ops.sub(
      expectedGaussianLogLikelihood(m.X, m.y, m.noiseVariance, meanCholesky, q),
      kl(meanCholesky, q, meanCovariance, m.prior),
    ).item();
    expect(m.exactElbo(q)).toBeCloseTo(direct, 8);
  });

  it('both natural-gradient runs reach log Z within 1e-3, and stay there', () => {
    const [theta, muL] = result.methods;
    // measured: 19 and 99 iterations (seed 0); a generous bound leaves room for platform differences in Math.exp/log
    expect(theta.iterationsToOptimum).toBeLessThanOrEqual(40);
    expect(muL.iterationsToOptimum).toBeLessThanOrEqual(200);
    for (const m of [theta, muL]) {
      const after = m.curve.filter((p) => p.step >= m.iterationsToOptimum! + 20).map((p) => p.gap);
      expect(Math.max(...after)).toBeLessThan(2 * result.tolerance); // the Monte-Carlo noise floor, not a drift away
      expect(result.logZ - m.finalElbo).toBeLessThan(result.tolerance);
    }
  });

  it('Adam needs far more iterations on the same estimates', () => {
    const adam = result.methods[2];
    expect(adam.iterationsToOptimum).toBeDefined(); // it does get there (≈ 3700 iterations) …
    // … about 200× (θ-steps) and 40× ((μ, L)-steps) later. Asserting 10× — an order of magnitude — keeps the claim of
    // the demo while leaving room for the run-to-run spread of Adam's first crossing of a noisy band (±20% over seeds).
    console.log(`Adam / natural-gradient iterations: ${result.ratios.theta.toFixed(1)}× (θ), ${result.ratios.muL.toFixed(1)}× ((μ, L))`);
    expect(result.ratios.theta).toBeGreaterThan(10);
    expect(result.ratios.muL).toBeGreaterThan(10);
  });

  it('plots the convergence curves to a PNG', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'natgrad-seed-')), 'elbo.png');
    await renderPng(elboPlot(result), path);
    const png = readFileSync(path);
    expect(isPng(png)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
  });
});
