/** GP regression, the conjugate case, with its real settings (< 1 s). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPng, renderPng } from '@natgrad-examples/shared';
import { describe, expect, it } from 'vitest';
import { gpRegressionPlot } from '../src/plot.js';
import { run } from '../src/run.js';

describe('gp-regression: one natural step is exact', () => {
  const r = run();

  it('the ELBO after one step equals the exact log marginal likelihood to < 1e-8', () => {
    console.log(`ELBO ${r.elboAfter}, log marginal likelihood ${r.logMarginalLikelihood}, difference ${r.elboAfter - r.logMarginalLikelihood}`);
    expect(r.n).toBe(392);
    expect(Math.abs(r.elboAfter - r.logMarginalLikelihood)).toBeLessThan(1e-8);
    expect(r.elboBefore).toBeLessThan(r.logMarginalLikelihood - 100); // the step did the work
    expect(r.posteriorError).toBeLessThan(1e-7); // q is the textbook posterior
  });

  it('holds for other fixed hyperparameters too', () => {
    const s = run({ lengthscale: 0.5, variance: 2, noiseVariance: 0.2, gridPoints: 10 });
    expect(Math.abs(s.elboAfter - s.logMarginalLikelihood)).toBeLessThan(1e-8);
  });

  it('plots the posterior mean and 2σ bands to a PNG', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'natgrad-gpr-')), 'gp-regression.png');
    await renderPng(gpRegressionPlot(r), path);
    const png = readFileSync(path);
    expect(isPng(png)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
    // the band contains most cars: the model is calibrated, not just exact
    const inside = r.data.filter((d) => {
      const g = r.grid.reduce((best, p) => (Math.abs(p.horsepower - d.horsepower) < Math.abs(best.horsepower - d.horsepower) ? p : best));
      return d.mpg >= g.yLow && d.mpg <= g.yHigh;
    }).length;
    expect(inside / r.n).toBeGreaterThan(0.9);
  });
});
