/** Figures of the logistic-regression example as vega-lite specs. */
import type { TopLevelSpec } from '@natgrad-examples/shared';
import { COEFFICIENTS, type Gaussian2, type LogisticResult } from './run.js';

/** Gaps below this are drawn at it (log scale): the natural gradient gets to the optimum to round-off. */
const FLOOR = 1e-10;

/**
 * Left: optimum ELBO − ELBO against the iteration for both methods. Right: the posterior of coefficients `i` and `j`
 * — mean and 2σ ellipse of the final q of each method, and Adam's q after as many iterations as the natural gradient
 * needed (dashed).
 */
export function logisticPlot(r: LogisticResult, i = 2, j = 4): TopLevelSpec {
  const [natural, adam] = r.methods;
  const gaps = r.methods.flatMap((m) =>
    m.elbo.map((e, k) => ({ method: m.method, iteration: k, gap: Math.max(r.optimum - e, FLOOR) })),
  );
  const kNat = natural.iterationsToOptimum ?? 0;
  const qs = [
    { label: `natural gradient, final (${natural.elbo.length - 1} it.)`, q: natural.q, dash: false },
    { label: `Adam, final (${adam.elbo.length - 1} it.)`, q: adam.q, dash: false },
    { label: `Adam after ${kNat} iterations`, q: adam.trajectory[kNat], dash: true },
  ];
  const ellipses = qs.flatMap(({ label, q }) => ellipse(q, i, j).map((p, order) => ({ label, order, ...p })));
  const means = qs.map(({ label, q }) => ({ label, x: q.mu.data[i], y: q.mu.data[j] }));
  // natural gradient: wide and pale underneath; Adam's final q on top of it (they coincide); Adam after kNat: dashed
  const color = {
    field: 'label',
    type: 'nominal' as const,
    title: null,
    scale: { domain: qs.map((d) => d.label), range: ['#f4a3a2', '#4c78a8', '#7aaad6'] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Bayesian logistic regression: sex of Palmer penguins from 4 measurements',
      subtitle: `${r.nTrain} training birds; q = N(μ, LLᵀ), expected log-likelihood by Gauss–Hermite`,
    },
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    hconcat: [
      {
        width: 360,
        height: 300,
        title: 'optimum ELBO − ELBO',
        data: { values: gaps },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative', scale: { type: 'symlog' }, axis: { values: [0, 1, 3, 10, 30, 100, 300, 1000] } },
          y: {
            field: 'gap',
            type: 'quantitative',
            scale: { type: 'log', domain: [FLOOR, 1e3] },
            axis: { values: [1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1, 100], format: '~e' },
            title: `gap (log scale, floored at ${FLOOR})`,
          },
          color: { field: 'method', type: 'nominal', title: null, scale: { domain: ['natural gradient', 'Adam'], range: ['#e45756', '#4c78a8'] }, legend: { orient: 'top-right', symbolType: 'stroke' } },
        },
      },
      {
        width: 300,
        height: 300,
        title: `posterior of two coefficients (mean, 2σ ellipse)`,
        layer: [
          // one layer per q, so each gets its own stroke; the shared colour scale makes one legend
          ...qs.map(({ label }, k) => ({
            data: { values: ellipses.filter((e) => e.label === label) },
            mark: { type: 'line' as const, strokeWidth: [7, 2, 2][k], strokeDash: k === 2 ? [5, 4] : [1, 0] },
            encoding: {
              x: { field: 'x', type: 'quantitative' as const, title: `w (${COEFFICIENTS[i]})`, scale: { zero: false } },
              y: { field: 'y', type: 'quantitative' as const, title: `w (${COEFFICIENTS[j]})`, scale: { zero: false } },
              order: { field: 'order' },
              color: { ...color, legend: { orient: 'bottom' as const, direction: 'vertical' as const, labelLimit: 300, symbolType: 'stroke' } },
            },
          })),
          {
            data: { values: means },
            mark: { type: 'point', filled: true, size: 60, opacity: 1 },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** Points of the 2σ ellipse of the (i, j) marginal of q = N(μ, LLᵀ): μ + 2·chol(Σ_ij)·(cos t, sin t). */
function ellipse(q: Gaussian2, i: number, j: number, n = 80): { x: number; y: number }[] {
  const D = q.mu.shape[0];
  const L = q.L.data;
  let a = 0, b = 0, c = 0; // Σᵢᵢ, Σᵢⱼ, Σⱼⱼ from the rows i and j of L
  for (let k = 0; k < D; k++) {
    a += L[i * D + k] ** 2;
    b += L[i * D + k] * L[j * D + k];
    c += L[j * D + k] ** 2;
  }
  const l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(c - l21 * l21);
  return Array.from({ length: n + 1 }, (_, k) => {
    const t = (2 * Math.PI * k) / n;
    const [u, v] = [2 * Math.cos(t), 2 * Math.sin(t)];
    return { x: q.mu.data[i] + l11 * u, y: q.mu.data[j] + l21 * u + l22 * v };
  });
}
