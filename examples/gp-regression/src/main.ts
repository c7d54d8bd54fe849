/**
 * GP regression, the conjugate case: one natural-gradient step gives the exact posterior, and the ELBO there equals
 * the exact log marginal likelihood. Prints both, writes out/gp-regression.png.
 */
import { fileURLToPath } from 'node:url';
import { printTable, renderPng } from '@natgrad-examples/shared';
import { gpRegressionPlot } from './plot.js';
import { run } from './run.js';

const t0 = performance.now();
const r = run();
const ms = performance.now() - t0;

console.log(`mpg ~ GP(horsepower): ${r.n} cars, q(u) over f at the ${r.m} distinct horsepower values\n`);
printTable(
  ['quantity', 'value'],
  [
    ['ELBO at the prior q₀ = N(0, K_zz)', r.elboBefore.toFixed(10)],
    ['ELBO after one natural-gradient step (size 1, natural coordinates)', r.elboAfter.toFixed(10)],
    ['exact log marginal likelihood log N(y | 0, K_xx + σ²I)', r.logMarginalLikelihood.toFixed(10)],
    ['difference', (r.elboAfter - r.logMarginalLikelihood).toExponential(2)],
    ['max |q − exact posterior| (mean and covariance entries)', r.posteriorError.toExponential(2)],
    ['wall time (ms)', ms.toFixed(0)],
  ],
);

const path = fileURLToPath(new URL('../out/gp-regression.png', import.meta.url));
await renderPng(gpRegressionPlot(r), path);
console.log(`\nwrote ${path}`);
