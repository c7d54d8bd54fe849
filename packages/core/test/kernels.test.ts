/**
 * The strided kernels (broadcasting binary/ternary loops, gather/scatter for slices, flips, transposes, reductions)
 * against naive reference implementations written index by index, on random shapes that hit every fast path and the
 * general n-d path: same shapes, scalars, rows, columns, unit axes, zero-size axes, negative steps, matrices larger
 * than a transpose block.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, ops } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major multi-index of flat index k. */
function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = k % shape[i];
    k = Math.floor(k / shape[i]);
  }
  return idx;
}

/** The element of `t` read at output multi-index `idx` under NumPy broadcasting (right-aligned, unit axes repeat). */
function readBroadcast(t: Tensor, idx: readonly number[]): number {
  const lead = idx.length - t.shape.length;
  const st = strides(t.shape);
  let off = 0;
  for (let i = 0; i < t.shape.length; i++) off += (t.shape[i] === 1 ? 0 : idx[lead + i]) * st[i];
  return t.data[off];
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[i - (n - a.length)] ?? 1, db = b[i - (n - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
}

/** A shape and a partner broadcasting against it: a suffix with some extents set to 1 (or the roles swapped). */
const shapePair = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }),
    fc.integer({ min: 0, max: 4 }),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([s, drop, ones, swap]) => {
    const partner = s.slice(Math.min(drop, s.length)).map((d, i) => (ones[i] ? 1 : d));
    return swap ? [partner, s] : [s, partner];
  });

describe('binary kernels broadcast like NumPy (against an index-by-index reference)', () => {
  const table: [string, (x: Value, y: Value) => Value, (u: number, v: number) => number][] = [
    ['add', ops.add, (u, v) => u + v],
    ['sub', ops.sub, (u, v) => u - v],
    ['mul', ops.mul, (u, v) => u * v],
    ['div', ops.div, (u, v) => u / v],
    ['maximum', ops.maximum, Math.max],
    ['minimum', ops.minimum, Math.min],
    ['greater', ops.greater, (u, v) => Number(u > v)],
    ['notEqual', ops.notEqual, (u, v) => Number(u !== v)],
  ];
  for (const [name, op, ref] of table) {
    it(name, () => {
      fc.assert(
        fc.property(shapePair, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([sa, sb], seed) => {
          const next = rng(seed);
          const a = randomTensor(sa, next), b = randomTensor(sb, next);
          const out = op(a, b) as Tensor;
          const shape = broadcastShape(sa, sb);
          expect(out.shape).toEqual(shape);
          for (let k = 0; k < out.size; k++) {
            const idx = unravel(k, shape);
            expect(out.data[k]).toBe(ref(readBroadcast(a, idx), readBroadcast(b, idx)));
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('rows and columns of larger matrices (one inner loop per row)', () => {
    const next = rng(7);
    const m = randomTensor([41, 33], next), row = randomTensor([33], next), col = randomTensor([41, 1], next);
    const viaRow = ops.sub(m, row) as Tensor, viaCol = ops.mul(col, m) as Tensor, outer = ops.add(col, row) as Tensor;
    for (let i = 0; i < 41; i++) {
      for (let j = 0; j < 33; j++) {
        expect(viaRow.data[i * 33 + j]).toBe(m.data[i * 33 + j] - row.data[j]);
        expect(viaCol.data[i * 33 + j]).toBe(col.data[i] * m.data[i * 33 + j]);
        expect(outer.data[i * 33 + j]).toBe(col.data[i] + row.data[j]);
      }
    }
  });

  it('where broadcasts three operands', () => {
    fc.assert(
      fc.property(shapePair, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([sa, sb], which, seed) => {
        const next = rng(seed);
        const shapes = [sa, sb, which === 0 ? [] : which === 1 ? sa : sb];
        const [c, x, y] = shapes.map((s) => randomTensor(s, next));
        for (let i = 0; i < c.size; i++) c.data[i] = c.data[i] > 0 ? 1 : 0;
        const out = ops.where(c, x, y) as Tensor;
        const shape = broadcastShape(broadcastShape(shapes[0], shapes[1]), shapes[2]);
        expect(out.shape).toEqual(shape);
        for (let k = 0; k < out.size; k++) {
          const idx = unravel(k, shape);
          expect(out.data[k]).toBe(readBroadcast(c, idx) !== 0 ? readBroadcast(x, idx) : readBroadcast(y, idx));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('results keep the shape object of a same-shape operand (shared, frozen)', () => {
    const a = Tensor.from([[1, 2], [3, 4]]);
    const s = ops.exp(a) as Tensor, t = ops.add(a, 1) as Tensor, u = ops.mul(a, a) as Tensor;
    expect(s.shape).toBe(a.shape);
    expect(t.shape).toBe(a.shape);
    expect(u.shape).toBe(a.shape);
    expect(Object.isFrozen(a.shape)).toBe(true);
  });
});

/** Python-style slice of one axis: the positions start, start + step, … before stop. */
function positions(n: number, spec: readonly (number | null)[]): number[] {
  const step = spec[2] ?? 1;
  const norm = (i: number, lo: number, hi: number) => Math.min(Math.max(i < 0 ? i + n : i, lo), hi);
  const start = spec[0] === null || spec[0] === undefined ? (step > 0 ? 0 : n - 1) : norm(spec[0], step > 0 ? 0 : -1, step > 0 ? n : n - 1);
  const stop = spec[1] === null || spec[1] === undefined ? (step > 0 ? n : -1) : norm(spec[1], step > 0 ? 0 : -1, step > 0 ? n : n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

describe('strided gather and scatter', () => {
  const rangeSpec = fc.tuple(
    fc.option(fc.integer({ min: -7, max: 7 }), { nil: null }),
    fc.option(fc.integer({ min: -7, max: 7 }), { nil: null }),
    fc.option(fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0), { nil: null }),
  );
  const sliceCase = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.array(rangeSpec, { minLength: shape.length, maxLength: shape.length })),
  );

  it('slice with any steps (negative included) matches a Python-style reference, and its VJP scatters back', () => {
    fc.assert(
      fc.property(sliceCase, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([shape, specs], seed) => {
        const x = randomTensor(shape, rng(seed));
        const pos = shape.map((n, i) => positions(n, specs[i]));
        const out = ops.slice(x, ...specs) as Tensor;
        expect(out.shape).toEqual(pos.map((p) => p.length));
        const st = strides(shape);
        const expected = new Float64Array(out.size);
        for (let k = 0; k < out.size; k++) {
          const idx = unravel(k, out.shape);
          expected[k] = x.data[idx.reduce((off, j, ax) => off + pos[ax][j] * st[ax], 0)];
        }
        expect(Array.from(out.data)).toEqual(Array.from(expected));
        // VJP: the cotangent lands on the sliced positions, zeros elsewhere (slices never overlap).
        const w = randomTensor(out.shape as number[], rng(seed + 1));
        const g = grad((v: Value) => ops.sum(ops.mul(ops.slice(v, ...specs), w)))(x) as Tensor;
        const back = new Float64Array(x.size);
        for (let k = 0; k < out.size; k++) {
          const idx = unravel(k, out.shape);
          back[idx.reduce((off, j, ax) => off + pos[ax][j] * st[ax], 0)] = w.data[k];
        }
        expect(Array.from(g.data)).toEqual(Array.from(back));
      }),
      { numRuns: 150 },
    );
  });

  it('flip reverses the chosen axes, is its own VJP, and accepts negative and repeated-free axis lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (shape, chosen, seed) => {
          const x = randomTensor(shape, rng(seed));
          const axes = shape.map((_, i) => i).filter((i) => chosen[i]);
          const out = ops.flip(x, axes.map((a) => a - shape.length)) as Tensor;
          const st = strides(shape);
          for (let k = 0; k < out.size; k++) {
            const idx = unravel(k, shape);
            const src = idx.reduce((off, j, ax) => off + (axes.includes(ax) ? shape[ax] - 1 - j : j) * st[ax], 0);
            expect(out.data[k]).toBe(x.data[src]);
          }
          expect(Array.from((ops.flip(out, axes) as Tensor).data)).toEqual(Array.from(x.data));
        },
      ),
    );
    expect((ops.flip([[1, 2], [3, 4]]) as Tensor).toArray()).toEqual([[4, 3], [2, 1]]);
    expect((ops.flip([[1, 2], [3, 4]], 1) as Tensor).toArray()).toEqual([[2, 1], [4, 3]]);
  });

  it('flip differentiates in both modes and to second order', () => {
    checkDerivatives((x) => ops.mul(ops.flip(x, 0), ops.sin(x)), [randomTensor([3, 4], rng(3))], { secondOrder: true });
  });

  it('broadcastTo copies with zero strides', () => {
    fc.assert(
      fc.property(shapePair, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([sa, sb], seed) => {
        const target = broadcastShape(sa, sb);
        const x = randomTensor(sb, rng(seed));
        const out = ops.broadcastTo(x, target) as Tensor;
        for (let k = 0; k < out.size; k++) expect(out.data[k]).toBe(readBroadcast(x, unravel(k, target)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('transposes', () => {
  it('any permutation matches an index-by-index reference', () => {
    const permCase = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })),
    );
    fc.assert(
      fc.property(permCase, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([shape, perm], seed) => {
        const x = randomTensor(shape, rng(seed));
        const out = ops.transpose(x, perm) as Tensor;
        const outShape = perm.map((p) => shape[p]);
        expect(out.shape).toEqual(outShape);
        const st = strides(shape);
        for (let k = 0; k < out.size; k++) {
          const idx = unravel(k, outShape);
          expect(out.data[k]).toBe(x.data[idx.reduce((off, j, i) => off + j * st[perm[i]], 0)]);
        }
      }),
    );
  });

  it('batched matrix transposes larger than a cache block (blocked path) and degenerate matrices', () => {
    for (const shape of [[2, 70, 45], [33, 1], [1, 40], [3, 0, 5], [65, 64]]) {
      const x = randomTensor(shape, rng(shape.length + shape[shape.length - 1]));
      const t = ops.matrixTranspose(x) as Tensor;
      const r = shape[shape.length - 2], c = shape[shape.length - 1], nb = size(shape) / Math.max(1, r * c);
      expect(t.shape).toEqual([...shape.slice(0, -2), c, r]);
      for (let b = 0; b < nb; b++) {
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(t.data[b * r * c + j * r + i]).toBe(x.data[b * r * c + i * c + j]);
      }
      expect(Array.from((ops.matrixTranspose(t) as Tensor).data)).toEqual(Array.from(x.data));
    }
  });
});

describe('reductions over any axes', () => {
  const reduceCase = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i))),
  );

  /** Reference reduction: fold `op` over each output cell's elements in input order, starting from `init`. */
  function reference(x: Tensor, axes: number[], init: number, op: (acc: number, v: number) => number): number[] {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = new Array<number>(size(kept)).fill(init);
    const ks = strides(kept);
    for (let k = 0; k < x.size; k++) {
      const idx = unravel(k, x.shape);
      const o = idx.reduce((off, j, i) => off + (axes.includes(i) ? 0 : j * ks[i]), 0);
      out[o] = op(out[o], x.data[k]);
    }
    return out;
  }

  it('sum, max, min and logsumexp against folds in input order', () => {
    fc.assert(
      fc.property(reduceCase, fc.integer({ min: 1, max: 2 ** 31 - 1 }), ([shape, axes], seed) => {
        const x = randomTensor(shape, rng(seed), -3, 3);
        expect(Array.from((ops.sum(x, axes) as Tensor).data)).toEqual(reference(x, axes, 0, (a, v) => a + v));
        const kept = (ops.sum(x, axes, true) as Tensor).shape;
        expect(kept).toEqual(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
        if (axes.every((a) => shape[a] > 0)) {
          expect(Array.from((ops.max(x, axes) as Tensor).data)).toEqual(reference(x, axes, -Infinity, Math.max));
          expect(Array.from((ops.min(x, axes) as Tensor).data)).toEqual(reference(x, axes, Infinity, Math.min));
          const lse = (ops.logsumexp(x, axes) as Tensor).data;
          const sums = reference(x, axes, 0, (a, v) => a + Math.exp(v));
          lse.forEach((v, i) => expect(v).toBeCloseTo(Math.log(sums[i]), 12));
        }
      }),
      { numRuns: 150 },
    );
  });
});
