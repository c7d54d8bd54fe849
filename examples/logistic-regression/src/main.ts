/** Bayesian logistic regression on the penguins: natural gradient vs Adam. Prints a table, writes out/logistic.png. */
import { fileURLToPath } from 'node:url';
import { printTable, renderPng } from '@natgrad-examples/shared';
import { logisticPlot } from './plot.js';
import { COEFFICIENTS, run } from './run.js';

const result = await run();
const [natural, adam] = result.methods;

console.log(`Sex of Palmer penguins from bill length, bill depth, flipper length and body mass`);
console.log(`${result.nTrain} training / ${result.nTest} held-out birds; optimum ELBO ${result.optimum.toFixed(6)}\n`);
printTable(
  ['method', `iterations to optimum − ${result.tolerance}`, 'final ELBO', 'held-out accuracy', 'held-out log pred. density / bird', 'wall time (s)'],
  result.methods.map((m) => [
    m.method,
    m.iterationsToOptimum ?? `> ${m.elbo.length - 1}`,
    m.finalElbo.toFixed(6),
    `${(100 * m.testAccuracy).toFixed(1)} %`,
    m.testLogPredictive.toFixed(4),
    Number((m.wallTimeMs / 1000).toFixed(2)),
  ]),
);
console.log(`\nAdam iterations / natural-gradient iterations: ${result.ratio.toFixed(1)}×\n`);
printTable(
  ['coefficient', 'posterior mean', 'posterior sd', 'Adam mean', 'Adam sd'],
  COEFFICIENTS.map((name, i) => [name, ...[natural, adam].flatMap((m) => [m.q.mu.data[i], sd(m.q.L.data, i, m.q.mu.shape[0])])]),
);

const path = fileURLToPath(new URL('../out/logistic.png', import.meta.url));
await renderPng(logisticPlot(result), path);
console.log(`\nwrote ${path}`);

/** √Σᵢᵢ from the row i of L. */
function sd(L: Float64Array, i: number, D: number): number {
  let s = 0;
  for (let k = 0; k <= i; k++) s += L[i * D + k] ** 2;
  return Math.sqrt(s);
}
