/** The training curves as a vega-lite spec: the ELBO per flight and the held-out RMSE against the step. */
import type { TopLevelSpec } from '@natgrad-examples/shared';
import type { FlightsResult } from './run.js';

/** Moving average over a trailing window (the first points average what there is). */
export function movingAverage(values: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/**
 * Two panels over the step: (top) the ELBO per flight estimated on a fixed training sample, with the minibatch ELBO
 * smoothed over 50 steps behind it; (bottom) the RMSE on the monitored held-out flights, with the two baselines'
 * RMSE on the same flights as dashed lines.
 */
export function curvesPlot(r: FlightsResult): TopLevelSpec {
  const o = r.options;
  const step = { field: 'step', type: 'quantitative' as const, title: `step (minibatches of ${o.batchSize}; ${Math.floor(r.nTrain / o.batchSize)} per epoch)` };
  const smooth = movingAverage(r.batchElboPerFlight, 50);
  const every = Math.max(1, Math.floor(smooth.length / 1500)); // keep the SVG light on the full run
  const batchElbo = Array.from(smooth, (v, i) => ({ step: i + 1, elbo: v, what: 'minibatch ELBO (50-step mean)' })).filter((_, i) => i % every === 0);
  const fixedElbo = r.curve.map((c) => ({ step: c.step, elbo: c.elboPerFlight, what: `ELBO estimated on ${o.elboSample} fixed training flights` }));
  const rules = [
    { rmse: r.baselines.mean.monitorRmse, what: `training mean (${r.baselines.mean.monitorRmse.toFixed(2)})` },
    { rmse: r.baselines.linear.monitorRmse, what: `Bayesian linear regression (${r.baselines.linear.monitorRmse.toFixed(2)})` },
  ];
  const rmseValues = [...r.curve.map((c) => c.rmse), ...rules.map((x) => x.rmse)];
  const elboValues = [...r.curve.map((c) => c.elboPerFlight), ...smooth.slice(Math.min(50, smooth.length - 1))];
  const pad = (v: number[], f: number) => {
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    return [lo - f * (hi - lo || 1), hi + f * (hi - lo || 1)];
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `SVGP on ${(r.nTrain + r.nTest).toLocaleString('en-US')} US flights: delay from date, time, distance and airports`,
      // two lines: vega's headless text measure overestimates widths and would widen the canvas
      subtitle: [
        `M = ${o.inducing} inducing points; natural steps for q, Adam for the kernel, noise and Z`,
        `held-out RMSE ${r.svgp.rmse.toFixed(2)} min on ${r.nTest.toLocaleString('en-US')} flights (linear ${r.baselines.linear.rmse.toFixed(2)}, mean ${r.baselines.mean.rmse.toFixed(2)})`,
      ],
      anchor: 'start',
    },
    vconcat: [
      {
        title: {
          text: 'ELBO per flight',
          subtitle: 'heavy-tailed delays: estimates on different flights differ by a few hundredths of a nat per flight',
          fontSize: 12,
        },
        width: 760,
        height: 220,
        layer: [
          {
            data: { values: batchElbo },
            mark: { type: 'line', strokeWidth: 1, opacity: 0.5 },
            encoding: { x: step, y: { field: 'elbo', type: 'quantitative' }, color: { field: 'what', type: 'nominal', title: null } },
          },
          {
            data: { values: fixedElbo },
            mark: { type: 'line', point: true, strokeWidth: 2 },
            encoding: {
              x: step,
              y: { field: 'elbo', type: 'quantitative', title: 'ELBO / N (nats per flight)', scale: { domain: pad(elboValues, 0.1), zero: false } },
              color: { field: 'what', type: 'nominal', title: null, scale: { range: ['#1f77b4', '#9ecae1'] } },
            },
          },
        ],
        resolve: { scale: { color: 'shared' } },
      },
      {
        title: { text: 'Held-out RMSE', subtitle: 'baselines (dashed) scored on the same held-out flights', fontSize: 12 },
        width: 760,
        height: 220,
        layer: [
          {
            data: { values: r.curve.map((c) => ({ step: c.step, rmse: c.rmse, what: `SVGP (${o.monitorSize} held-out flights)` })) },
            mark: { type: 'line', point: true, strokeWidth: 2 },
            encoding: {
              x: step,
              y: { field: 'rmse', type: 'quantitative', title: 'held-out RMSE (minutes)', scale: { domain: pad(rmseValues, 0.1), zero: false } },
              color: { field: 'what', type: 'nominal', title: null },
            },
          },
          {
            data: { values: rules },
            mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'rmse', type: 'quantitative' }, color: { field: 'what', type: 'nominal', title: null } },
          },
        ],
        resolve: { scale: { color: 'shared' } },
      },
    ],
    resolve: { scale: { color: 'independent' } },
    config: { legend: { orient: 'top-right', labelLimit: 400 } },
  } as TopLevelSpec;
}
