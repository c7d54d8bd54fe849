/**
 * `pnpm demo`: natural gradient vs Adam on a Bayesian linear regression of car fuel economy. Prints a table and
 * writes out/elbo.png (also copied to docs/images/seed-natgrad.png for the README).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber, printTable, renderPng } from '@natgrad-examples/shared';
import { FEATURES } from './model.js';
import { elboPlot } from './plot.js';
import { run } from './run.js';

const out = (file: string) => fileURLToPath(new URL(`../out/${file}`, import.meta.url));
const docsImage = fileURLToPath(new URL('../../../docs/images/seed-natgrad.png', import.meta.url));

const result = await run({ progress: true });
const { methods, logZ, tolerance } = result;

console.log(
  `\nBayesian linear regression of mpg on ${FEATURES.join(', ')} (cars.json, N = ${result.n}, D = ${result.dim} with the ` +
    `intercept, σ² = ${formatNumber(result.noiseVariance)}); q = N(μ, LLᵀ), ${result.samples} Monte-Carlo samples per step.`,
);
console.log(`Optimum ELBO = log Z = ${logZ.toFixed(6)} (exact, conjugate model)\n`);
printTable(
  [`method`, `iterations to log Z − ${tolerance}`, 'final ELBO', 'final gap', 'backtracks', 'wall time (s)'],
  methods.map((m) => [
    m.method,
    m.iterationsToOptimum ?? `> ${m.steps}`,
    m.finalElbo.toFixed(6),
    (logZ - m.finalElbo).toExponential(2),
    m.backtracks,
    Number((m.wallTimeMs / 1000).toFixed(2)),
  ]),
);
console.log(
  `\nAdam iterations / natural-gradient iterations: ${result.ratios.theta.toFixed(0)}× (θ-steps), ` +
    `${result.ratios.muL.toFixed(0)}× ((μ, L)-steps)`,
);

await renderPng(elboPlot(result), out('elbo.png'));
mkdirSync(dirname(docsImage), { recursive: true });
copyFileSync(out('elbo.png'), docsImage);
console.log(`\nwrote ${out('elbo.png')} (and docs/images/seed-natgrad.png)`);
