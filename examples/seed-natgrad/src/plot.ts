/** The demo's figure as a vega-lite spec. */
import type { TopLevelSpec } from '@natgrad-examples/shared';
import type { SeedResult } from './run.js';

/** log Z − ELBO against the iteration, log-log, one line per method, with the tolerance as a dashed rule. */
export function elboPlot(r: SeedResult): TopLevelSpec {
  // every step up to 300, then every 10th: the long Adam curve stays small in the SVG
  const values = r.methods.flatMap((m) =>
    m.curve.filter((p) => p.step <= 300 || p.step % 10 === 0).map((p) => ({ method: m.method, step: p.step, gap: p.gap })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Natural gradient vs Adam on the same Monte-Carlo ELBO',
      subtitle: `Bayesian linear regression of mpg (cars.json), ${r.samples} samples per step; dashed: log Z − ${r.tolerance}`,
    },
    width: 560,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.6, clip: true },
        encoding: {
          x: {
            field: 'step',
            type: 'quantitative',
            scale: { type: 'log', domain: [1, Math.max(...r.methods.map((m) => m.steps))] },
            axis: { values: [1, 3, 10, 30, 100, 300, 1000, 3000, 10000], grid: true },
            title: 'iteration',
          },
          y: {
            field: 'gap',
            type: 'quantitative',
            scale: { type: 'log', domain: [1e-4, 1e4] },
            axis: { values: [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4], format: '~g' },
            title: 'log Z − ELBO(q)  (exact)',
          },
          color: { field: 'method', type: 'nominal', title: null, legend: { orient: 'top-right', labelLimit: 400 } },
        },
      },
      {
        data: { values: [{ tol: r.tolerance }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { y: { field: 'tol', type: 'quantitative' } },
      },
    ],
  };
}
