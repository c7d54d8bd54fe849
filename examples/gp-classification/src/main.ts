/** Sparse variational GP classification of penguins. Prints accuracy and ELBO, writes out/surface.png. */
import { fileURLToPath } from 'node:url';
import { printTable, renderPng } from '@natgrad-examples/shared';
import { surfacePlot } from './plot.js';
import { POSITIVE, run } from './run.js';

const r = await run();

console.log(`${POSITIVE} vs the other penguins from bill length and depth: ${r.nTrain} training / ${r.nTest} held-out birds`);
console.log(`SVGP, ${r.inducingPoints.length} inducing points (k-means), whitened q(v) = N(m, LLᵀ); natural steps for q, Adam for ℓ and s²\n`);
printTable(
  ['quantity', 'value'],
  [
    ['ELBO at the start (q = prior, ℓ = s² = 1)', r.elboInitial],
    [`ELBO after ${r.elboCurve.length - 1} steps`, r.elboFinal],
    ['lengthscale ℓ (standardised units)', r.lengthscale],
    ['kernel variance s²', r.variance],
    ['training accuracy', `${(100 * r.trainAccuracy).toFixed(1)} %`],
    ['held-out accuracy', `${(100 * r.testAccuracy).toFixed(1)} %`],
    ['held-out log predictive density / bird', r.testLogPredictive],
    ['wall time (s)', Number((r.wallTimeMs / 1000).toFixed(2))],
  ],
);

const path = fileURLToPath(new URL('../out/surface.png', import.meta.url));
await renderPng(surfacePlot(r), path);
console.log(`\nwrote ${path}`);
