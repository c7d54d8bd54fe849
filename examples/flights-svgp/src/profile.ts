/**
 * Where a training step's time goes, at the example's sizes (B = 1 000, D = 8, M = 100 and 200): the forward ELBO,
 * its value and gradient, the optimiser update (natural gradient for q, Adam for the rest), and, as baselines
 * measured in the same run, the one O(M²B) product of the ELBO (K_ZX K_XZ) and one M×M Cholesky. Medians of 15
 * repetitions after warm-up. `pnpm --filter @natgrad-examples/flights-svgp profile:step`
 */
import { Tensor, ops, random, valueAndGrad } from '@natgrad/core';
import { setup, update } from '@natgrad/optim';
import { printTable } from '@natgrad-examples/shared';
import { D } from './data/features.js';
import { rbf } from './model/kernel.js';
import { type SvgpParams, minibatchElbo } from './model/svgp.js';
import { QUICK } from './options.js';
import { initialParams, optimiserFor } from './run.js';

function medianMs(f: () => unknown, reps = 15): number {
  for (let i = 0; i < 3; i++) f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

const B = 1000;
const rows: (string | number)[][] = [];
for (const M of [100, 200]) {
  const [kx, ky, kz] = random.split(random.key(M), 3);
  const batch = { x: random.normal(kx, [B, D]) as Tensor, y: random.normal(ky, [B]) as Tensor };
  let p: SvgpParams = initialParams((random.normal(kz, [M, D]) as Tensor).data.slice(), M);
  let opt = setup(optimiserFor(QUICK), p);
  const lossAndGrad = valueAndGrad((q: SvgpParams) => ops.neg(minibatchElbo(q, batch, 1e6)));
  for (let i = 0; i < 5; i++) [opt, p] = update(opt, p, lossAndGrad(p)[1]); // move q away from the prior
  const g = lossAndGrad(p)[1];
  const Kzx = rbf(p.Z, batch.x, p.kernel) as Tensor;
  const spd = ops.add(ops.matmul(p.Z, ops.matrixTranspose(p.Z)), ops.mul(M, Tensor.eye(M))) as Tensor;
  const product = medianMs(() => ops.matmul(Kzx, ops.matrixTranspose(Kzx)));
  const cholesky = medianMs(() => ops.cholesky(spd));
  const forward = medianMs(() => minibatchElbo(p, batch, 1e6));
  const gradient = medianMs(() => lossAndGrad(p));
  const step = medianMs(() => update(opt, p, g));
  const r = (x: number) => `${x.toFixed(1)} ms (${(x / product).toFixed(1)}×)`;
  rows.push(
    [M, 'K_ZX K_XZ product (baseline)', r(product)],
    [M, `Cholesky of M×M`, r(cholesky)],
    [M, 'minibatch ELBO, forward', r(forward)],
    [M, 'ELBO value and gradient', r(gradient)],
    [M, 'update: natural gradient (q) + Adam', r(step)],
    [M, 'one training step', r(gradient + step)],
  );
}
printTable(['M', 'what', 'median (× the product)'], rows);
