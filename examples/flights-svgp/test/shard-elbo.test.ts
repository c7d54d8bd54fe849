/**
 * The sharded −ELBO: summed over any split of a batch, its value and gradient are those of −minibatchElbo on the
 * whole batch (1e-12 relative); `fit` with a gradient pool (1 worker thread + the main thread) follows the
 * single-thread run on the same batches; a bad N is refused.
 */
import { InvalidArgumentError, Tensor, ops, random, valueAndGrad } from '@natgrad/core';
import { treeLeaves } from '@natgrad/core';
import { Adam, Descent, partition } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { createGradientPool, shardRows, shardWorker, sliceRows, sumShards } from '@natgrad/optim/parallel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../src/data/features.js';
import { trainingColumns } from '../src/data/minibatches.js';
import { fit } from '../src/fit.js';
import { shardNegativeElbo } from '../src/model/shard-elbo.js';
import { type SvgpParams, expectedLogLikelihood, minibatchElbo, whitenedKl } from '../src/model/svgp.js';
import { N } from './fixtures/shard-objective.js';

function model(seed: number, M: number): SvgpParams {
  const k = random.split(random.key(seed), 4);
  const raw = random.normal(k[1], [M, M]) as Tensor;
  const L = ops.add(ops.mul(0.3, ops.tril(raw, -1)), ops.diag(ops.add(0.5, ops.mul(0.2, ops.abs(ops.diagonal(raw)))))) as Tensor;
  return {
    q: { mu: random.normal(k[0], [M]) as Tensor, L },
    kernel: { logLengthscales: ops.add(0.5, ops.mul(0.2, random.normal(k[2], [D]))) as Tensor, logVariance: Tensor.scalar(-0.4) },
    logNoise: Tensor.scalar(-0.7),
    Z: random.normal(k[3], [M, D]) as Tensor,
  };
}

function batch(seed: number, rows: number) {
  const [kx, ky] = random.split(random.key(seed), 2);
  return { x: random.normal(kx, [rows, D]) as Tensor, y: random.normal(ky, [rows]) as Tensor };
}

const leaves = (p: SvgpParams) => treeLeaves(p) as Tensor[];
/** Largest |a − b| over all leaves, relative to the largest |b|. */
function relativeError(a: SvgpParams, b: SvgpParams): number {
  let diff = 0;
  let scale = 0;
  const bs = leaves(b);
  leaves(a).forEach((t, i) => t.data.forEach((v, j) => {
    diff = Math.max(diff, Math.abs(v - bs[i].data[j]));
    scale = Math.max(scale, Math.abs(bs[i].data[j]));
  }));
  return diff / scale;
}

describe('shardNegativeElbo', () => {
  it('sums over any split of the batch to −minibatchElbo of the whole batch, value and gradient', () => {
    const evaluate = shardWorker(shardNegativeElbo(N), { differentiate: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 3, max: 60 }), fc.integer({ min: 1, max: 4 }), (seed, rows, count) => {
        const p = model(seed, 6);
        const b = batch(seed + 1, rows);
        const [loss, grad] = valueAndGrad((q: SvgpParams) => ops.neg(minibatchElbo(q, b, N)))(p);
        const parts = shardRows(rows, count).map((s) => evaluate(p, sliceRows(b, s.start, s.end), random.key(0), 0, s));
        const sum = sumShards(parts);
        expect(Math.abs(sum.loss - loss.item())).toBeLessThanOrEqual(1e-12 * Math.abs(loss.item()));
        expect(relativeError(sum.grad, grad)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 25 },
    );
  });

  it('scales the likelihood by N over the batch rows and gives the shard its rows’ share of the KL', () => {
    const p = model(3, 5);
    const half = batch(4, 5);
    const f = shardNegativeElbo(N);
    const ell = expectedLogLikelihood(p, half).item();
    const kl = whitenedKl(p.q).item();
    const asShard = (f(p, half, random.key(0), 0, { index: 1, count: 2, start: 5, end: 10, rows: 10 }) as Tensor).item();
    expect(asShard).toBeCloseTo(-((N / 10) * ell - kl / 2), 6);
    const asBatch = (f(p, half, random.key(0), 0, { index: 0, count: 1, start: 0, end: 5, rows: 5 }) as Tensor).item();
    expect(asBatch).toBeCloseTo(-minibatchElbo(p, half, N).item(), 6);
  });

  it('refuses an N that is not a positive integer, and a shard without x or y', () => {
    for (const n of [0, -1, 2.5, NaN]) expect(() => shardNegativeElbo(n)).toThrow(InvalidArgumentError);
    const f = shardNegativeElbo(N);
    expect(() => f(model(0, 3), { x: batch(0, 4).x }, random.key(0), 0, { index: 0, count: 1, start: 0, end: 4, rows: 4 })).toThrow(/no column "y"/);
  });
});

describe('fit with a gradient pool', () => {
  it('follows the single-thread run on the same batches (losses 1e-12 relative, parameters 1e-10)', async () => {
    const b = batch(7, 400);
    const table = { n: 400, x: b.x.data, y: b.y.data };
    const optimiser = partition({ natural: NaturalGradient(Descent(0.05)), adam: Adam(0.05) }, { q: 'natural', kernel: 'adam', logNoise: 'adam', Z: 'adam' });
    const start = model(8, 6);
    const common = { params: start, optimiser, steps: 6 };
    const data = () => trainingColumns(table, { batchSize: 128, seed: 2 });
    const single = await fit({ ...common, data: data(), loss: (p: SvgpParams, rows) => ops.neg(minibatchElbo(p, rows, N)) });
    const pool = await createGradientPool<SvgpParams>({ module: new URL('./fixtures/shard-objective.ts', import.meta.url), workers: 1, differentiate: true });
    try {
      const sharded = await fit({ ...common, data: data(), gradient: (p, rows, key, step) => pool.valueAndGrad(p, rows, key, step) });
      expect(sharded.losses).toHaveLength(6);
      sharded.losses.forEach((l, i) => expect(Math.abs(l - single.losses[i])).toBeLessThanOrEqual(1e-12 * Math.abs(single.losses[i])));
      expect(relativeError(sharded.params, single.params)).toBeLessThanOrEqual(1e-10);
      expect(sharded.stepCpuMs.every((v) => v >= 0)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
