/** The decision surface of the GP classifier as a vega-lite spec. */
import type { TopLevelSpec } from '@natgrad-examples/shared';
import { FEATURES, type GpClassificationResult, POSITIVE } from './run.js';

/** Predictive probability on a grid (colour), the birds coloured by class, the inducing points as black crosses. */
export function surfacePlot(r: GpClassificationResult): TopLevelSpec {
  const x = { field: 'length', type: 'quantitative' as const, title: FEATURES[0].replace('Beak Length', 'bill length'), scale: { zero: false, nice: false } };
  const y = { field: 'depth', type: 'quantitative' as const, title: FEATURES[1].replace('Beak Depth', 'bill depth'), scale: { zero: false, nice: false } };
  const birds = r.points.map((b) => ({ ...b, label: b.species === POSITIVE ? POSITIVE : `${b.species} (other)` }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Sparse variational GP classifier: ${POSITIVE} vs the other penguins`,
      subtitle: `${r.inducingPoints.length} inducing points (+); test accuracy ${(100 * r.testAccuracy).toFixed(1)} % (${r.nTest} birds), ELBO ${r.elboFinal.toFixed(2)}`,
    },
    width: 480,
    height: 400,
    resolve: { scale: { color: 'independent' } },
    layer: [
      {
        data: { values: r.surface },
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          x,
          x2: { field: 'length2' },
          y,
          y2: { field: 'depth2' },
          color: {
            field: 'p',
            type: 'quantitative',
            title: `p(${POSITIVE})`,
            scale: { scheme: 'blueorange', domain: [0, 1] },
            legend: { orient: 'right', gradientLength: 200 },
          },
        },
      },
      {
        data: { values: birds },
        mark: { type: 'point', filled: true, size: 30, stroke: 'black', strokeWidth: 0.7, opacity: 1 },
        encoding: {
          x,
          y,
          shape: { field: 'set', type: 'nominal', title: 'birds', scale: { domain: ['train', 'test'], range: ['circle', 'triangle-up'] } },
          color: {
            field: 'label',
            type: 'nominal',
            title: 'species',
            scale: { domain: [POSITIVE, 'Adelie (other)', 'Gentoo (other)'], range: ['#fdb863', '#ffffff', '#404040'] },
          },
        },
      },
      {
        data: { values: r.inducingPoints.map((z) => ({ ...z, what: 'inducing point' })) },
        mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: 'black', stroke: 'white', strokeWidth: 0.8 },
        encoding: { x, y },
      },
    ],
  } as TopLevelSpec;
}
