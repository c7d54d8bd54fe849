/** What the curves show: the ELBO of all N training flights (estimated on a fixed sample) and the held-out RMSE. */
import { Tensor } from '@natgrad/core';
import type { Table } from './data/dataset.js';
import { D } from './data/features.js';
import { rmse } from './metrics.js';
import { predictSvgp } from './model/predict.js';
import { type SvgpParams, expectedLogLikelihood, whitenedKl } from './model/svgp.js';

/**
 * (N/n)·Σ_sample E_q[log p(y|f)] − KL: the ELBO of all `n` training flights estimated from the same `sample` rows
 * every time, so the curve has no minibatch noise (only a fixed sampling error). In nats for delays in minutes: the
 * model's density is over standardised delays, so each flight contributes −log(std) more (ELBO/N is then comparable
 * with a log predictive density per flight).
 */
export function elboEstimate(p: SvgpParams, sample: Table, n: number, target: { mean: number; std: number }, batchSize = 2000): number {
  let expected = 0;
  for (let start = 0; start < sample.n; start += batchSize) {
    const b = Math.min(batchSize, sample.n - start);
    const x = new Tensor(sample.x.slice(start * D, (start + b) * D), [b, D]);
    const y = new Float64Array(b);
    for (let i = 0; i < b; i++) y[i] = (sample.y[start + i] - target.mean) / target.std;
    expected += (expectedLogLikelihood(p, { x, y: new Tensor(y, [b]) }) as Tensor).item();
  }
  return (n / sample.n) * expected - n * Math.log(target.std) - (whitenedKl(p.q) as Tensor).item();
}

/** Held-out RMSE (minutes) of the SVGP's predictive mean on `table`. */
export function heldOutRmse(p: SvgpParams, table: Table, target: { mean: number; std: number }): number {
  return rmse(table.y, predictSvgp(p, table, target).mean);
}

