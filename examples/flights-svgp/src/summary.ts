/** The run's figures as a table, a JSON object and a markdown summary (out/summary.json, out/summary.md). */
import { formatTable } from '@natgrad-examples/shared';
import type { FlightsResult } from './run.js';

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

/** Rows of the results table: method, held-out RMSE (minutes), NLPD (nats per flight). */
export function scoreRows(r: FlightsResult): (string | number)[][] {
  const fmt = (x: number) => Number(x.toFixed(3));
  return [
    ['training mean', fmt(r.baselines.mean.rmse), fmt(r.baselines.mean.nlpd)],
    ['Bayesian linear regression', fmt(r.baselines.linear.rmse), fmt(r.baselines.linear.nlpd)],
    [`SVGP, M = ${r.options.inducing}`, fmt(r.svgp.rmse), fmt(r.svgp.nlpd)],
  ];
}

/** Rows of the timing table. */
export function timingRows(r: FlightsResult): (string | number)[][] {
  const t = r.timing;
  return [
    ['read + featurise (s)', seconds(t.readMs)],
    ['baselines (s)', seconds(t.baselinesMs)],
    ['k-means for Z (s)', seconds(t.kMeansMs)],
    ['median step, wall (ms)', Number(t.stepMsMedian.toFixed(1))],
    ['median step, CPU (ms)', Number(t.stepCpuMsMedian.toFixed(1))],
    ['epoch = steps per epoch × median step, wall (s)', seconds(t.epochMs)],
    ['epoch, CPU (s)', seconds(t.epochCpuMs)],
    [`training, ${r.options.steps} steps (s)`, seconds(t.trainMs)],
    ['curve evaluations (s)', seconds(t.evalMs)],
    ['total (s)', seconds(t.totalMs)],
  ];
}

/** Everything but the per-step minibatch ELBO, as plain JSON. */
export function summaryJson(r: FlightsResult): object {
  const { batchElboPerFlight, ...rest } = r;
  return { ...rest, steps: batchElboPerFlight.length };
}

/** A markdown report of the run. */
export function summaryMarkdown(r: FlightsResult): string {
  const first = r.curve[0];
  const last = r.curve[r.curve.length - 1];
  return [
    `# flights-svgp: ${(r.nTrain + r.nTest).toLocaleString('en-US')} flights (${r.nTrain.toLocaleString('en-US')} train, ${r.nTest.toLocaleString('en-US')} held out), seed ${r.options.seed}`,
    '',
    '```',
    formatTable(['method', 'held-out RMSE (min)', 'NLPD (nats/flight)'], scoreRows(r)),
    '```',
    '',
    `ELBO per flight on ${r.options.elboSample} fixed training flights ${first.elboPerFlight.toFixed(4)} → ${last.elboPerFlight.toFixed(4)} ` +
      `over ${last.step} steps (${last.epoch.toFixed(2)} epochs of minibatches of ${r.options.batchSize}); on all ` +
      `${r.nTrain.toLocaleString('en-US')} training flights at the end: ${r.svgp.elboPerFlight.toFixed(4)}.`,
    '',
    'Lengthscales (feature units): ' + Object.entries(r.svgp.lengthscales).map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`).join(', ') + '.',
    `Signal variance ${r.svgp.signalVariance.toFixed(1)} min², noise variance ${r.svgp.noiseVariance.toFixed(1)} min².`,
    '',
    '```',
    formatTable(['time', 'value'], timingRows(r)),
    '```',
    '',
  ].join('\n');
}
