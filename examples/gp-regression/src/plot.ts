/** The GP-regression figure as a vega-lite spec. */
import type { TopLevelSpec } from '@natgrad-examples/shared';
import type { GpRegressionResult } from './run.js';

const LABELS = ['cars', 'posterior mean of f', '2σ band of f', '2σ band of a new observation'];
const COLORS = ['#555555', '#e45756', '#4c78a8', '#a6c4e0'];

/** Data points, the posterior mean of f, its 2σ band, and the 2σ band of a new observation y = f + ε. */
export function gpRegressionPlot(r: GpRegressionResult): TopLevelSpec {
  const x = { field: 'horsepower', type: 'quantitative' as const, title: 'horsepower', scale: { zero: false, nice: false } };
  // `datum` colours: one legend entry per layer
  const color = (k: number) => ({
    datum: LABELS[k],
    type: 'nominal' as const,
    scale: { domain: LABELS, range: COLORS },
    legend: { title: null, orient: 'top-right' as const, symbolOpacity: 0.7, labelLimit: 300 },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'GP regression of fuel economy on horsepower (cars.json)',
      subtitle: `after one natural-gradient step, ELBO = log marginal likelihood = ${r.logMarginalLikelihood.toFixed(6)} (difference ${(r.elboAfter - r.logMarginalLikelihood).toExponential(1)})`,
    },
    width: 560,
    height: 340,
    layer: [
      {
        data: { values: r.grid },
        mark: { type: 'area', opacity: 0.45 },
        encoding: { x, y: { field: 'yLow', type: 'quantitative', title: 'miles per gallon' }, y2: { field: 'yHigh' }, color: color(3) },
      },
      {
        data: { values: r.grid },
        mark: { type: 'area', opacity: 0.4 },
        encoding: { x, y: { field: 'fLow', type: 'quantitative' }, y2: { field: 'fHigh' }, color: color(2) },
      },
      {
        data: { values: r.data },
        mark: { type: 'circle', size: 14, opacity: 0.6 },
        encoding: { x, y: { field: 'mpg', type: 'quantitative' }, color: color(0) },
      },
      {
        data: { values: r.grid },
        mark: { type: 'line', strokeWidth: 2.2 },
        encoding: { x, y: { field: 'mean', type: 'quantitative' }, color: color(1) },
      },
    ],
  } as TopLevelSpec;
}
