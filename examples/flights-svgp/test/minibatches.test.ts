/**
 * The training columns: each epoch a seeded permutation cut into equal batches (optim's `columns` with dropLast),
 * rows intact, targets standardised, bad sizes rejected.
 */
import { InvalidArgumentError, random } from '@natgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Table } from '../src/data/dataset.js';
import { D } from '../src/data/features.js';
import { batchesPerEpoch, trainingColumns } from '../src/data/minibatches.js';

/** Row r has x = r + j/10 in column j and y = 100 + r, so a batch tells which rows it holds. */
function numbered(n: number): Table {
  const x = new Float64Array(n * D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) x[r * D + j] = r + j / 10;
  return { n, x, y: Float64Array.from({ length: n }, (_, r) => 100 + r) };
}

describe('trainingColumns', () => {
  it('cover ⌊n/B⌋·B distinct rows per epoch, rows intact, then reshuffle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.nat(1000), (n, B0, seed) => {
        const B = Math.min(B0, n);
        const perEpoch = batchesPerEpoch(n, B);
        const data = trainingColumns(numbered(n), { batchSize: B, seed });
        expect(data.batchesPerEpoch).toBe(perEpoch);
        for (const e of [0, 1]) {
          const epoch = Array.from({ length: perEpoch }, (_, i) => data.batch(e, i));
          const rows = epoch.flatMap((b) => Array.from(b.y.data, (v) => v - 100));
          expect(new Set(rows).size).toBe(perEpoch * B); // no row twice in an epoch
          expect(rows).toEqual(random.permutation(random.foldIn(random.key(seed), e), n).slice(0, perEpoch * B));
          for (const b of epoch) {
            expect(b.x.shape).toEqual([B, D]);
            for (let k = 0; k < B; k++) for (let j = 0; j < D; j++) expect(b.x.data[k * D + j]).toBeCloseTo(b.y.data[k] - 100 + j / 10, 12);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('are deterministic in the seed, differ between epochs and seeds, and standardise the targets', () => {
    const order = (seed: number, epoch: number) => Array.from(trainingColumns(numbered(50), { batchSize: 50, seed }).batch(epoch, 0).y.data).join();
    expect(order(3, 0)).toEqual(order(3, 0));
    expect(order(3, 0)).not.toEqual(order(3, 1));
    expect(order(3, 0)).not.toEqual(order(4, 0));
    const b = trainingColumns(numbered(10), { batchSize: 10, seed: 0, target: { mean: 100, std: 2 } }).batch(0, 0);
    expect(Array.from(b.y.data).sort((u, v) => u - v)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  });

  it('reject a batch size that is not an integer in [1, n]', () => {
    for (const batchSize of [0, 11, 2.5, NaN]) {
      expect(() => trainingColumns(numbered(10), { batchSize, seed: 0 })).toThrow(InvalidArgumentError);
    }
    expect(() => trainingColumns(numbered(10), { batchSize: 11, seed: 0 })).toThrow(/batchSize must be an integer in \[1, 10\]/);
  });
});
