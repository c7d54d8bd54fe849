/**
 * The example's quick mode, as `pnpm start -- --quick` runs it: 200 000 flights (20 000 held out), M = 100,
 * 300 minibatches of 1 000, seed 0: ≈ 35 s on an idle machine (≈ 50 ms CPU per step); inside the full suite on a
 * machine shared with other builds it has taken 2 minutes of wall time. Measured: RMSE training mean 32.50, Bayesian
 * linear regression 32.11, SVGP 31.42 minutes; NLPD 4.900, 4.888, 4.866; ELBO per flight −5.099 → −4.928.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPng, renderPng } from '@natgrad-examples/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUICK } from '../src/options.js';
import { curvesPlot } from '../src/plot.js';
import { type FlightsResult, run } from '../src/run.js';
import { summaryJson, summaryMarkdown } from '../src/summary.js';

describe('flights-svgp, quick mode', () => {
  let r: FlightsResult;
  beforeAll(async () => {
    r = await run();
  }, 300_000); // ≈ 35 s on an idle machine; generous for a loaded shared one

  it('runs the quick settings on the split it says', () => {
    expect(r.options).toEqual(QUICK);
    expect([r.nTrain, r.nTest]).toEqual([180_000, 20_000]);
    expect(r.batchElboPerFlight).toHaveLength(300);
  });

  it('beats both baselines on held-out RMSE, with a margin, and on NLPD', () => {
    const { mean, linear } = r.baselines;
    console.log(`RMSE mean ${mean.rmse.toFixed(3)}, linear ${linear.rmse.toFixed(3)}, SVGP ${r.svgp.rmse.toFixed(3)}; NLPD ${mean.nlpd.toFixed(4)}, ${linear.nlpd.toFixed(4)}, ${r.svgp.nlpd.toFixed(4)}`);
    expect(linear.rmse).toBeLessThan(mean.rmse); // the features carry signal
    expect(r.svgp.rmse).toBeLessThan(linear.rmse - 0.3); // measured 0.70 minutes better
    expect(r.svgp.rmse).toBeLessThan(mean.rmse - 0.6); // measured 1.08
    expect(r.svgp.nlpd).toBeLessThan(linear.nlpd - 0.01); // measured 0.022 nats per flight
    expect(linear.nlpd).toBeLessThan(mean.nlpd);
    // the same order on the monitored subset the curve shows
    expect(r.svgp.monitorRmse).toBeLessThan(linear.monitorRmse - 0.3);
  });

  it('has a finite ELBO that improves', () => {
    const elbo = r.curve.map((c) => c.elboPerFlight);
    expect(elbo.every(Number.isFinite)).toBe(true);
    expect(r.batchElboPerFlight.every(Number.isFinite)).toBe(true);
    expect(r.curve.map((c) => c.step)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300]);
    expect(elbo[elbo.length - 1]).toBeGreaterThan(elbo[0] + 0.1); // measured −5.099 → −4.928 per flight
    // still rising after the first fast phase: the last third beats the first evaluation after step 0
    expect(Math.max(...elbo.slice(-4))).toBeGreaterThan(elbo[1]);
    // the held-out RMSE falls with it
    expect(r.curve[r.curve.length - 1].rmse).toBeLessThan(r.curve[0].rmse - 0.5);
    expect(r.events['step-rejected'] ?? 0).toBe(0);
  });

  it('reports the time per step and per epoch', () => {
    const t = r.timing;
    console.log(`median step ${t.stepMsMedian.toFixed(1)} ms (CPU ${t.stepCpuMsMedian.toFixed(1)} ms), epoch ${(t.epochMs / 1000).toFixed(1)} s, total ${(t.totalMs / 1000).toFixed(1)} s`);
    expect(t.stepMsMedian).toBeGreaterThan(0);
    expect(t.stepCpuMsMedian).toBeGreaterThan(0);
    expect(t.epochMs).toBeCloseTo(t.stepMsMedian * 180, 6); // 180 batches of 1 000 per epoch
    expect(t.epochCpuMs).toBeCloseTo(t.stepCpuMsMedian * 180, 6);
    expect(t.trainMs).toBeLessThan(t.totalMs);
    expect(t.readMs + t.trainMs + t.evalMs).toBeLessThan(t.totalMs);
  });

  it('draws the ELBO and RMSE curves to a PNG and writes the summaries', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'natgrad-flights-')), 'curves.png');
    await renderPng(curvesPlot(r), path);
    const png = readFileSync(path);
    expect(isPng(png)).toBe(true);
    expect(png.length).toBeGreaterThan(50_000);
    const md = summaryMarkdown(r);
    expect(md).toContain('SVGP, M = 100');
    expect(md).toContain(r.svgp.rmse.toFixed(3).replace(/0+$/, ''));
    const json = JSON.parse(JSON.stringify(summaryJson(r)));
    expect(json.svgp.rmse).toBe(r.svgp.rmse);
    expect(json.steps).toBe(300);
  });
});
