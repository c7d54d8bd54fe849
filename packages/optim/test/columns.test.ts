/** `columns`: in-memory minibatches — epochs partition the rows, key-driven shuffles, drop-last, argument errors. */
import { InvalidArgumentError, Tensor, ops, random } from '@natgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Columns, columns } from '../src/index.js';

/** Column x [n, 2] with rows (i, −i) and y [n] = i + 0.5, so every batch row names its data row. */
function table(n: number) {
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) [x[2 * i], x[2 * i + 1], y[i]] = [i, -i, i + 0.5];
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

/** The data rows of a batch, read from its x column (and checked against y and the second feature). */
function rowsOf(b: { x: Tensor; y: Tensor }): number[] {
  const rows: number[] = [];
  for (let r = 0; r < b.y.shape[0]; r++) {
    const i = b.x.data[2 * r];
    expect(b.x.data[2 * r + 1]).toBe(-i);
    expect(b.y.data[r]).toBe(i + 0.5);
    rows.push(i);
  }
  return rows;
}

describe('columns', () => {
  it('cuts each epoch into ⌈n/B⌉ batches that use every row once, the last one short (drop_last = false)', () => {
    const data = columns(table(10), { batchSize: 4 });
    expect(data.size).toBe(10);
    expect(data.batchesPerEpoch).toBe(3);
    for (const epoch of [0, 1, 5]) {
      const batches = [0, 1, 2].map((i) => data.batch(epoch, i));
      expect(batches.map((b) => b.x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
      const rows = batches.flatMap(rowsOf);
      expect([...rows].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(rows).toEqual(Array.from(data.order(epoch)));
    }
  });

  it('visits epoch e in the order permutation(foldIn(key(seed), e), n), a new order every epoch', () => {
    const data = columns(table(50), { batchSize: 7, seed: 3 });
    for (const epoch of [0, 1, 2]) {
      expect(Array.from(data.order(epoch))).toEqual(random.permutation(random.foldIn(random.key(3), epoch), 50));
    }
    expect(Array.from(data.order(0))).not.toEqual(Array.from(data.order(1)));
    const mine = data.order(2); // a copy: writing into it changes nothing
    const before = rowsOf(data.batch(2, 0));
    mine.fill(0);
    expect(rowsOf(data.batch(2, 0))).toEqual(before);
    // the same seed gives the same batches in another source (a resumed process), whatever was read before
    const again = columns(table(50), { batchSize: 7, seed: 3 });
    expect(rowsOf(again.batch(2, 3))).toEqual(rowsOf(data.batch(2, 3)));
    expect(rowsOf(columns(table(50), { batchSize: 7, seed: 4 }).batch(2, 3))).not.toEqual(rowsOf(data.batch(2, 3)));
  });

  it('with dropLast leaves out the last n mod B rows of each epoch (different ones each epoch): every batch has B rows', () => {
    const data = columns(table(10), { batchSize: 4, dropLast: true, seed: 1 });
    expect(data.batchesPerEpoch).toBe(2);
    const left: number[][] = [];
    for (const epoch of [0, 1, 2, 3]) {
      const rows = [0, 1].flatMap((i) => rowsOf(data.batch(epoch, i)));
      expect(rows).toHaveLength(8);
      expect(new Set(rows).size).toBe(8);
      left.push(Array.from(data.order(epoch)).slice(8));
    }
    expect(new Set(left.map((l) => l.join())).size).toBeGreaterThan(1);
    expect(() => data.batch(0, 2)).toThrow(InvalidArgumentError);
  });

  it('without shuffle takes the rows in order, the same batches every epoch', () => {
    const data = columns(table(7), { batchSize: 3, shuffle: false });
    expect(rowsOf(data.batch(0, 0))).toEqual([0, 1, 2]);
    expect(rowsOf(data.batch(4, 2))).toEqual([6]);
    expect(data.batch(1, 1).x).toEqual(ops.slice(table(7).x, [3, 6]));
  });

  it('takes Float64Array columns (one number per row) and tensors of any rank ≥ 1, and gives null-prototype batches', () => {
    const w = new Float64Array([10, 11, 12, 13]);
    const img = Tensor.from([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]], [[13, 14], [15, 16]]]);
    const data = columns({ w, img }, { batchSize: 2, seed: 9 });
    const order = data.order(0);
    const b = data.batch(0, 1);
    expect(Object.getPrototypeOf(b)).toBe(null);
    expect(Object.keys(b)).toEqual(['w', 'img']);
    expect(b.w.shape).toEqual([2]);
    expect(Array.from(b.w.data)).toEqual([w[order[2]], w[order[3]]]);
    expect(b.img.shape).toEqual([2, 2, 2]);
    expect(Array.from(b.img.data.subarray(4))).toEqual(Array.from(img.data.subarray(4 * order[3], 4 * order[3] + 4)));
    expect(Object.isFrozen(b)).toBe(true);
    w[0] = -1; // a Float64Array column is copied when the source is made
    expect(data.batch(0, 0).w.data.includes(-1)).toBe(false);
  });

  it('partitions every epoch for any n, batch size, drop-last and seed (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.boolean(), fc.nat(1000), fc.nat(20), (n, b0, dropLast, seed, epoch) => {
        const B = 1 + ((b0 - 1) % n);
        const data = columns(table(n), { batchSize: B, dropLast, seed });
        const rows: number[] = [];
        for (let i = 0; i < data.batchesPerEpoch; i++) {
          const r = rowsOf(data.batch(epoch, i));
          expect(r.length).toBe(i < Math.floor(n / B) ? B : n % B);
          rows.push(...r);
        }
        expect(rows.length).toBe(dropLast ? n - (n % B) : n);
        expect(new Set(rows).size).toBe(rows.length);
        expect(rows).toEqual(Array.from(data.order(epoch)).slice(0, rows.length));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bad columns and options with errors that say what is wrong', () => {
    const t = table(5);
    const bad = (f: () => unknown, msg: RegExp) => {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow(msg);
    };
    bad(() => columns({}, { batchSize: 1 }), /no columns/);
    bad(() => columns(t.x as never, { batchSize: 1 }), /record of columns/);
    bad(() => columns({ x: t.x, y: Tensor.zeros([4]) }, { batchSize: 1 }), /column "y" has 4 rows but column "x" has 5/);
    bad(() => columns({ s: Tensor.scalar(1) }, { batchSize: 1 }), /column "s" must be a Tensor .* got a scalar tensor/);
    bad(() => columns({ a: [1, 2, 3] as never }, { batchSize: 1 }), /column "a" must be a Tensor/);
    bad(() => columns({ e: Tensor.zeros([0, 3]) }, { batchSize: 1 }), /no rows/);
    bad(() => columns(JSON.parse('{"__proto__": 1}'), { batchSize: 1 }), /"__proto__" is not allowed/);
    bad(() => columns({ 'a.b': t.y }, { batchSize: 1 }), /"a.b" is not allowed/);
    for (const batchSize of [0, 6, 1.5, NaN, '2']) bad(() => columns(t, { batchSize } as never), /batchSize must be an integer in \[1, 5\]/);
    bad(() => columns(t, { batchSize: 2, shuffle: 'yes' } as never), /shuffle must be a boolean/);
    bad(() => columns(t, { batchSize: 2, dropLast: 1 } as never), /dropLast must be a boolean/);
    bad(() => columns(t, { batchSize: 2, seed: -1 }), /invalid seed/);
    bad(() => columns(t, { batchSize: 2, batch_size: 3 } as never), /unknown option "batch_size"/);
    bad(() => columns(t, null as never), /options must be/);
    const data = columns(t, { batchSize: 2 });
    bad(() => data.batch(-1, 0), /epoch must be an integer/);
    bad(() => data.batch(0, 3), /index must be an integer in \[0, 2\]/);
    expect(data).toBeInstanceOf(Columns);
    expect(Object.isFrozen(data)).toBe(true);
  });
});
