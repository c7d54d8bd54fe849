/** Minibatches: each epoch a seeded permutation cut into equal batches; targets standardised; bad sizes rejected. */
import { InvalidArgumentError } from '@natgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Table } from '../src/data/dataset.js';
import { D } from '../src/data/features.js';
import { type Minibatch, batchesPerEpoch, minibatches } from '../src/data/minibatches.js';

/** Row r has x = r + j/10 in column j and y = 100 + r, so a batch tells which rows it holds. */
function numbered(n: number): Table {
  const x = new Float64Array(n * D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) x[r * D + j] = r + j / 10;
  return { n, x, y: Float64Array.from({ length: n }, (_, r) => 100 + r) };
}

function take(it: Iterator<Minibatch>, k: number): Minibatch[] {
  return Array.from({ length: k }, () => it.next().value as Minibatch);
}

describe('minibatches', () => {
  it('cover ⌊n/B⌋·B distinct rows per epoch, rows intact, then reshuffle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.nat(1000), (n, B0, seed) => {
        const B = Math.min(B0, n);
        const perEpoch = batchesPerEpoch(n, B);
        const batches = take(minibatches(numbered(n), { batchSize: B, seed })[Symbol.iterator](), 2 * perEpoch);
        for (const [e, epoch] of [batches.slice(0, perEpoch), batches.slice(perEpoch)].entries()) {
          const rows = epoch.flatMap((b) => Array.from(b.y.data, (v) => v - 100));
          expect(new Set(rows).size).toBe(perEpoch * B); // no row twice in an epoch
          epoch.forEach((b, i) => {
            expect([b.epoch, b.index, ...b.x.shape]).toEqual([e, i, B, D]);
            for (let k = 0; k < B; k++) for (let j = 0; j < D; j++) expect(b.x.data[k * D + j]).toBeCloseTo(b.y.data[k] - 100 + j / 10, 12);
          });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('are deterministic in the seed, differ between epochs and seeds, and standardise the targets', () => {
    const order = (seed: number, k = 2) => take(minibatches(numbered(50), { batchSize: 50, seed })[Symbol.iterator](), k).map((b) => Array.from(b.y.data).join());
    expect(order(3)).toEqual(order(3));
    expect(order(3)[0]).not.toEqual(order(3)[1]);
    expect(order(3)[0]).not.toEqual(order(4)[0]);
    const [b] = take(minibatches(numbered(10), { batchSize: 10, seed: 0, target: { mean: 100, std: 2 } })[Symbol.iterator](), 1);
    expect(Array.from(b.y.data).sort((u, v) => u - v)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  });

  it('reject a batch size that is not an integer in [1, n]', () => {
    for (const batchSize of [0, 11, 2.5, NaN]) {
      expect(() => minibatches(numbered(10), { batchSize, seed: 0 }).next()).toThrow(InvalidArgumentError);
    }
    expect(() => minibatches(numbered(10), { batchSize: 11, seed: 0 }).next()).toThrow(/batchSize must be an integer in \[1, 10\]/);
  });
});
