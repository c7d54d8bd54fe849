/**
 * The pieces of data-parallel gradients, on one thread: deterministic sharding, zero-copy row slices and shared
 * memory, the shard worker (against a hand-written gradient and finite differences), and the reducer (the sum over
 * shards equals the whole batch's gradient within 1e-12 relative; arrival order does not matter).
 */
import { InvalidArgumentError, ShapeError, Tensor, random } from '@natgrad/core';
import {
  type Batch,
  MAX_BATCH_COLUMNS,
  ShardReducer,
  type ShardResult,
  shardRows,
  shardWorker,
  shareBatch,
  sliceRows,
  sumShards,
} from '@natgrad/optim/parallel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import logistic, { type LogisticParams, manual, noisy, wrongShape } from './fixtures/shard-objectives.js';
import { expectSameBits, logisticData, logisticParams, relativeError } from './parallel/data.js';

const whole = (rows: number) => ({ index: 0, count: 1, start: 0, end: rows, rows });

describe('shardRows', () => {
  it('covers the rows in order with contiguous shards whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 64 }), (rows, count) => {
        const shards = shardRows(rows, count);
        expect(shards.length).toBe(Math.max(1, Math.min(rows, count)));
        let next = 0;
        shards.forEach((s, i) => {
          expect(s).toEqual({ index: i, count: shards.length, start: next, end: s.end, rows });
          next = s.end;
        });
        expect(next).toBe(rows);
        const sizes = shards.map((s) => s.end - s.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        if (rows > 0) expect(Math.min(...sizes)).toBeGreaterThan(0);
        expect(shardRows(rows, count)).toEqual(shards); // a function of its arguments only
      }),
    );
  });

  it('gives the extra rows to the first shards', () => {
    expect(shardRows(10, 3).map((s) => [s.start, s.end])).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(shardRows(0, 4).map((s) => [s.start, s.end])).toEqual([[0, 0]]);
  });

  it('rejects bad counts', () => {
    for (const [r, c] of [[-1, 2], [1.5, 2], [10, 0], [10, 2.5], [Number.NaN, 1]]) {
      expect(() => shardRows(r, c)).toThrow(InvalidArgumentError);
    }
  });
});

describe('sliceRows and shareBatch', () => {
  const x = Tensor.from([[1, 2], [3, 4], [5, 6], [7, 8]]);
  const y = Tensor.from([10, 20, 30, 40]);

  it('slices rows as views of the same memory', () => {
    const s = sliceRows({ x, y }, 1, 3);
    expect(s.x.toArray()).toEqual([[3, 4], [5, 6]]);
    expect(s.y.toArray()).toEqual([20, 30]);
    expect(s.x.data.buffer).toBe(x.data.buffer);
    expect(s.x.data.byteOffset).toBe(2 * 8);
    expect(Object.getPrototypeOf(s)).toBe(null);
    expect(sliceRows({ x, y }, 2, 2).x.shape).toEqual([0, 2]);
  });

  it('puts columns into SharedArrayBuffers once; slices of a shared batch stay shared', () => {
    const shared = shareBatch({ x, y });
    expect(shared.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.x.toArray()).toEqual(x.toArray());
    expect(shared.y.toArray()).toEqual(y.toArray());
    expect(shareBatch(shared).x).toBe(shared.x); // already shared: kept, not copied
    expect(sliceRows(shared, 1, 2).x.data.buffer).toBe(shared.x.data.buffer);
    expect(Object.isFrozen(shared)).toBe(true);
  });

  it('rejects malformed batches and ranges, naming the column', () => {
    const cases: [unknown, RegExp][] = [
      [null, /object of tensors/],
      [[x], /object of tensors/],
      [{}, /no columns/],
      [{ x, y: [1, 2, 3, 4] }, /column "y" must be a concrete Tensor/],
      [{ x, s: Tensor.scalar(1) }, /column "s" is a scalar/],
      [{ x, y: Tensor.from([1, 2, 3]) }, /column "y" has 3 rows, "x" has 4/],
      [Object.fromEntries(Array.from({ length: MAX_BATCH_COLUMNS + 1 }, (_, i) => [`c${i}`, y])), /more than 1024 columns/],
    ];
    for (const [batch, message] of cases) {
      expect(() => sliceRows(batch as Batch, 0, 1)).toThrow(message);
      expect(() => shareBatch(batch as Batch)).toThrow(InvalidArgumentError);
    }
    const getter = Object.defineProperty({ x }, 'y', { get: () => y, enumerable: true }) as Batch;
    expect(() => shareBatch(getter)).toThrow(/column "y" must be a concrete Tensor \(an own data property\)/);
    for (const [a, b] of [[-1, 2], [3, 2], [0, 5], [0.5, 1]]) expect(() => sliceRows({ x, y }, a, b)).toThrow(/not a range within \[0, 4\]/);
  });
});

describe('shardWorker', () => {
  const { x, y } = logisticData(300, 3, 11);
  const params = logisticParams(3);
  const key = random.key(0);

  it('differentiates a scalar objective: equals the hand-written gradient and finite differences', () => {
    const ad = shardWorker<LogisticParams>(logistic as never, { differentiate: true })(params, { x, y }, key, 0, whole(300));
    const byHand = manual(params, { x, y });
    expect(Math.abs(ad.loss - byHand.loss) / byHand.loss).toBeLessThan(1e-13);
    expect(relativeError(ad.grad, byHand.grad)).toBeLessThan(1e-12);
    // central differences of the loss along each coordinate of w and b
    const h = 1e-5;
    const lossAt = (p: LogisticParams) => manual(p, { x, y }).loss;
    for (const [name, j] of [['w', 0], ['w', 1], ['w', 2], ['b', 0]] as const) {
      const shifted = (delta: number) => {
        const d = params[name].data.slice();
        d[j] += delta;
        return { ...params, [name]: new Tensor(d, params[name].shape) } as LogisticParams;
      };
      const fd = (lossAt(shifted(h)) - lossAt(shifted(-h))) / (2 * h);
      expect(ad.grad[name].data[j]).toBeCloseTo(fd, 5);
    }
  });

  it('detects the kind of objective on the first call, and uses a given { loss, grad } as is', () => {
    const auto = shardWorker<LogisticParams>(logistic as never);
    const given = shardWorker<LogisticParams>(manual as never);
    const a = auto(params, { x, y }, key, 0, whole(300));
    const b = given(params, { x, y }, key, 0, whole(300));
    expect(relativeError(a.grad, b.grad)).toBeLessThan(1e-12);
    expectSameBits(auto(params, { x, y }, key, 0, whole(300)).grad, a.grad); // the second call: same path, same bits
    expectSameBits(b.grad, manual(params, { x, y }).grad);
  });

  it('reports results of the wrong kind or shape as typed errors', () => {
    const pair = (p: LogisticParams) => ({ loss: 0, grad: p });
    expect(() => shardWorker(pair as never, { differentiate: true })(params, { x, y }, key, 0, whole(300))).toThrow(
      /returned \{ loss, grad \} although differentiate is true/,
    );
    expect(() => shardWorker(logistic as never, { differentiate: false })(params, { x, y }, key, 0, whole(300))).toThrow(
      /returned a scalar although differentiate is false/,
    );
    expect(() => shardWorker(wrongShape as never)(params, { x, y }, key, 0, whole(300))).toThrow(/gradient of "w" must be a Tensor of shape \[3\]/);
    expect(() => shardWorker((() => 'x') as never)(params, { x, y }, key, 0, whole(300))).toThrow(InvalidArgumentError);
    expect(() => shardWorker(42 as never)).toThrow(/objective must be a function/);
  });
});

describe('sumShards and ShardReducer', () => {
  it('the sum over shards is the whole batch’s loss and gradient within 1e-12 relative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (n, d, k, seed, stochastic) => {
          const data = logisticData(n, d, seed);
          const params = logisticParams(d, seed + 1);
          const objective = shardWorker<LogisticParams>((stochastic ? noisy : logistic) as never, { differentiate: true });
          const key = random.key(seed);
          const single = objective(params, data, key, 0, whole(n));
          const parts = shardRows(n, k).map((s) => objective(params, sliceRows(data, s.start, s.end), key, 0, s));
          const sum = sumShards(parts);
          expect(Math.abs(sum.loss - single.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(single.loss));
          expect(relativeError(sum.grad, single.grad)).toBeLessThanOrEqual(1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sums in shard order whatever order the results arrive in: bit for bit', () => {
    const data = logisticData(1000, 4, 3);
    const params = logisticParams(4);
    const evaluate = shardWorker<LogisticParams>(logistic as never, { differentiate: true });
    const shards = shardRows(1000, 7);
    const parts = shards.map((s) => evaluate(params, sliceRows(data, s.start, s.end), random.key(0), 0, s));
    const inOrder = sumShards(parts);
    fc.assert(
      fc.property(fc.shuffledSubarray(shards.map((s) => s.index), { minLength: 7, maxLength: 7 }), (order) => {
        const reducer = new ShardReducer<LogisticParams>(7);
        for (const i of order) {
          expect(reducer.complete).toBe(false);
          reducer.add(i, parts[i]);
        }
        expect(reducer.received).toBe(7);
        expect(reducer.complete).toBe(true);
        const r = reducer.result();
        expect(r.loss).toBe(inOrder.loss);
        expectSameBits(r.grad, inOrder.grad);
      }),
    );
  });

  it('compensates the summation: many shards of cancelling terms', () => {
    // 1e16, 1, −1e16, 1, …: naive left-to-right summation loses the ones.
    const parts: ShardResult<{ g: Tensor }>[] = [];
    for (let i = 0; i < 10; i++) parts.push({ loss: i % 2 === 0 ? 1e16 : 1, grad: { g: Tensor.from([i % 2 === 0 ? 1e16 : 1, 2]) } });
    for (let i = 0; i < 5; i++) parts.push({ loss: -1e16, grad: { g: Tensor.from([-1e16, 2]) } });
    const s = sumShards(parts);
    expect(s.loss).toBe(5);
    expect(s.grad.g.toArray()).toEqual([5, 30]);
    const inf = sumShards([{ loss: Infinity, grad: { g: Tensor.from([Infinity]) } }, { loss: 1, grad: { g: Tensor.from([1]) } }]);
    expect(inf.loss).toBe(Infinity); // ±∞ stays ±∞ (compensation would turn it into NaN)
    expect(inf.grad.g.data[0]).toBe(Infinity);
  });

  it('rejects missing, repeated and mismatched shards, naming them', () => {
    const a = { loss: 1, grad: { w: Tensor.from([1, 2]) } };
    const reducer = new ShardReducer(3);
    reducer.add(2, a);
    expect([reducer.has(0), reducer.has(2)]).toEqual([false, true]);
    expect(() => reducer.add(2, a)).toThrow(/shard 2 was already received/);
    expect(() => reducer.add(3, a)).toThrow(/not in 0…2/);
    expect(() => reducer.result()).toThrow(/shard 0 of 3 has not been received/);
    expect(() => new ShardReducer(0)).toThrow(InvalidArgumentError);
    expect(() => sumShards([])).toThrow(/non-empty array/);
    expect(() => sumShards([a, { loss: 'x' } as never])).toThrow(/result 1 must be \{ loss: number, grad \}/);
    expect(() => sumShards([a, { loss: 1, grad: { w: Tensor.from([1, 2, 3]) } }])).toThrow(ShapeError);
    expect(() => sumShards([a, { loss: 1, grad: { w: Tensor.from([1, 2, 3]) } }])).toThrow(/"w" of shard 1 has shape \[3\], shard 0's \[2\]/);
    expect(() => sumShards([a, { loss: 1, grad: { v: Tensor.from([1, 2]) } } as never])).toThrow(/shard 1 does not have the structure/);
    expect(() => sumShards([a, { loss: 1, grad: { w: [1, 2] } } as never])).toThrow(ShapeError);
  });
});
