import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Tensor, type Value, grad, hessian, jvp, ops } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

const T = (x: number | number[] | number[][]): Tensor => Tensor.from(x);

function data(v: Value): number[] {
  return Array.from((v as Tensor).data);
}

/** Distinct values (pairwise ≥ 0.15 apart, in random order) so max/min never tie, even under finite differences. */
function distinct(shape: number[], next: () => number): Tensor {
  const t = randomTensor(shape, next, 0, 1);
  const n = t.size;
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  for (let i = 0; i < n; i++) t.data[i] = 0.2 * perm[i] + 0.05 * t.data[i] - 0.1 * n;
  return t;
}

/** A random shape of rank 1–3 and a random axis argument for it: undefined, one (maybe negative) axis, or a list. */
const reductionCase = fc
  .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), fc.boolean())
  .map(([shape, k, keepdims]) => {
    const nd = shape.length;
    let axis: number | number[] | undefined;
    const mode = k % 3;
    if (mode === 0) axis = undefined;
    else if (mode === 1) axis = (k % nd) - (k % 2 === 0 ? nd : 0); // negative half of the time
    else axis = Array.from({ length: nd }, (_, i) => i).filter((i) => ((k >> i) & 1) === 1);
    return { shape, axis, keepdims };
  });

/** Reference reduction on plain numbers: reduces `x` (row-major, `shape`) over `axes` with `op` from `init`. */
function reference(x: Tensor, axes: number[], init: number, op: (acc: number, v: number) => number): number[] {
  const shape = x.shape;
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(size).fill(init);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < x.size; flat++) {
    let o = 0;
    shape.forEach((d, i) => {
      if (!axes.includes(i)) o = o * d + idx[i];
    });
    out[o] = op(out[o], x.data[flat]);
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      if (++idx[ax] < shape[ax]) break;
      idx[ax] = 0;
    }
  }
  return out;
}

function axesOf(axis: number | number[] | undefined, nd: number): number[] {
  if (axis === undefined) return Array.from({ length: nd }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + nd : a));
}

function expectedShape(shape: readonly number[], axes: number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

describe('derivatives of reductions (random shapes, axes, keepdims)', () => {
  const cases: [string, (x: Value, axis: number | number[] | undefined, keepdims: boolean) => Value, (s: number[], n: () => number) => Tensor][] = [
    ['max', (x, a, k) => ops.max(x, a, k), distinct],
    ['min', (x, a, k) => ops.min(x, a, k), distinct],
    ['mean', (x, a, k) => ops.mean(x, a, k), (s, n) => randomTensor(s, n, -2, 2)],
    ['logsumexp', (x, a, k) => ops.logsumexp(x, a, k), (s, n) => randomTensor(s, n, -3, 3)],
    ['logsumexp of a nonlinear function', (x, a, k) => ops.logsumexp(ops.mul(x, x), a, k), (s, n) => randomTensor(s, n, -2, 2)],
    ['max of a nonlinear function', (x, a, k) => ops.max(ops.sin(x), a, k), (s, n) => ops.mul(distinct(s, n), 0.1) as Tensor],
  ];
  for (const [name, op, gen] of cases) {
    it(`${name}: jvp, vjp, linearize, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), reductionCase, (seed, { shape, axis, keepdims }) => {
          checkDerivatives((x) => op(x, axis, keepdims), [gen(shape, rng(seed))], { seed, secondOrder: true });
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('reduction values, shapes, keepdims and negative axes', () => {
  type Reduce = (x: Tensor, a: number | number[] | undefined, k: boolean) => Tensor;
  type Step = (acc: number, v: number) => number;
  const table: [string, Reduce, number, Step, ((r: number, count: number) => number)?][] = [
    ['max', (x, a, k) => ops.max(x, a, k), -Infinity, Math.max],
    ['min', (x, a, k) => ops.min(x, a, k), Infinity, Math.min],
    ['mean', (x, a, k) => ops.mean(x, a, k), 0, (acc, v) => acc + v, (r, c) => r / c],
    ['logsumexp', (x, a, k) => ops.logsumexp(x, a, k), 0, (acc, v) => acc + Math.exp(v), (r) => Math.log(r)],
  ];
  for (const [name, op, init, acc, finish] of table) {
    it(`${name} matches a direct computation`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), reductionCase, (seed, { shape, axis, keepdims }) => {
          const x = randomTensor(shape, rng(seed), -3, 3);
          const axes = axesOf(axis, shape.length);
          const r = op(x, axis, keepdims);
          expect(r.shape).toEqual(expectedShape(shape, axes, keepdims));
          const count = axes.reduce((c, a) => c * shape[a], 1);
          const ref = reference(x, axes, init, acc).map((v) => (finish ? finish(v, count) : v));
          data(r).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 12));
        }),
        { numRuns: 50 },
      );
    });
  }

  it('explicit examples with negative axes and keepdims', () => {
    const x = T([[1, 5, 3], [4, 4, 2]]);
    expect(ops.max(x, -1).toArray()).toEqual([5, 4]);
    expect(ops.max(x, 0, true).toArray()).toEqual([[4, 5, 3]]);
    expect(ops.min(x, [-2, -1]).toArray()).toEqual(1);
    expect(ops.min(x, -2, true).toArray()).toEqual([[1, 4, 2]]);
    expect(ops.mean(x).item()).toBe(19 / 6);
    expect(ops.mean(x, 1, true).toArray()).toEqual([[3], [10 / 3]]);
    expect(ops.logsumexp([[0, 0], [0, 0]], -1).toArray()).toEqual([Math.LN2, Math.LN2]);
    expect(ops.logsumexp(x, [0, 1], true).shape).toEqual([1, 1]);
    // an empty axis list is the identity
    expect(ops.max(x, []).toArray()).toEqual(x.toArray());
    expect(ops.logsumexp(x, []).toArray()).toEqual(x.toArray());
  });

  it('methods on values forward to the ops', () => {
    const x = T([[1, 5], [4, 2]]);
    expect(x.max(1).toArray()).toEqual([5, 4]);
    expect(x.mean(0, true).toArray()).toEqual([[2.5, 3.5]]);
  });
});

describe('max/min share the derivative equally among ties', () => {
  it('gradient of a full max with a three-way tie', () => {
    expect(data(grad((x: Value) => ops.max(x))(T([1, 3, 2, 3, 3])))).toEqual([0, 1 / 3, 0, 1 / 3, 1 / 3]);
    expect(data(grad((x: Value) => ops.min(x))(T([1, 3, 1])))).toEqual([0.5, 0, 0.5]);
  });

  it('jvp of max over an axis averages the tangents of the tied elements', () => {
    const x = T([[1, 3, 3], [2, 0, 1]]);
    const [y, t] = jvp((v: Value) => ops.max(v, 1, true), [x], [T([[9, 2, 4], [5, 7, 1]])]);
    expect((y as Tensor).toArray()).toEqual([[3], [2]]);
    expect((t as Tensor).toArray()).toEqual([[3], [5]]);
  });

  it('per-slice tie counts along a middle axis', () => {
    const x = Tensor.from([5, 5, 5, 2, 7, 7, 7, 0], [2, 2, 2]);
    // max over axis 1 compares x[i, 0, k] with x[i, 1, k]: ties at (0, ·, 0) (5 vs 5) and (1, ·, 0) (7 vs 7)
    const g = grad((v: Value) => ops.sum(ops.mul(ops.max(v, 1), T([[1, 10], [100, 1000]]))))(x);
    expect(data(g)).toEqual([0.5, 10, 0.5, 0, 50, 1000, 50, 0]);
  });

  it('second derivatives through max treat the tie mask as a constant', () => {
    // max(x²) = x₁² near x = (1, -3, 2): the Hessian is 2 at (1, 1) and 0 elsewhere
    expect(data(hessian((x: Value) => ops.max(ops.square(x)))(T([1, -3, 2])))).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0]);
    // a tie: max(x, x) is x, whose Hessian through the tie-mask constants is zero
    expect(data(hessian((x: Value) => ops.max(ops.stack([x, x])))(T(1.5)))).toEqual([0]);
  });
});

describe('logsumexp stability', () => {
  it('is finite and correct at ±1000 with softmax gradients', () => {
    expect(ops.logsumexp([1000, 1000]).item()).toBe(1000 + Math.LN2);
    expect(ops.logsumexp([-1000, -1000]).item()).toBe(-1000 + Math.LN2);
    expect(ops.logsumexp([1000, -1000]).item()).toBe(1000);
    expect(data(ops.logsumexp([[1000, 1000], [-1000, -1000]], 1))).toEqual([1000 + Math.LN2, -1000 + Math.LN2]);
    // softmax = exp(x - out): relative accuracy ~ |out|·ε, here ~1e-13
    const g = data(grad((x: Value) => ops.logsumexp(x))(T([1000, 1000, -1000])));
    expect(g[0]).toBeCloseTo(0.5, 12);
    expect(g[1]).toBeCloseTo(0.5, 12);
    expect(g[2]).toBe(0);
    const [, t] = jvp((x: Value) => ops.logsumexp(x), [T([-1000, -1000])], [T([1, 3])]);
    expect((t as Tensor).item()).toBeCloseTo(2, 12);
  });

  it('handles infinities and empty reductions like JAX', () => {
    expect(ops.logsumexp([-Infinity, -Infinity]).item()).toBe(-Infinity);
    expect(ops.logsumexp([Infinity, 1]).item()).toBe(Infinity);
    expect(ops.logsumexp([-Infinity, 0]).item()).toBe(0);
    expect(ops.logsumexp(Tensor.zeros([0])).item()).toBe(-Infinity);
    expect(data(ops.logsumexp(Tensor.zeros([2, 0]), 1))).toEqual([-Infinity, -Infinity]);
  });

  it('the Hessian is diag(p) - p pᵀ', () => {
    const x = [0.3, -1, 2];
    const z = x.reduce((s, v) => s + Math.exp(v), 0);
    const p = x.map((v) => Math.exp(v) / z);
    const h = data(hessian((v: Value) => ops.logsumexp(v))(T(x)));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[3 * i + j]).toBeCloseTo((i === j ? p[i] : 0) - p[i] * p[j], 14);
  });
});

describe('NaN propagation and errors in reductions', () => {
  it('NaN propagates through max, min, mean and logsumexp', () => {
    for (const op of [ops.max, ops.min, ops.mean, ops.logsumexp]) {
      const r = data(op(T([[1, NaN, 3], [1, 2, 3]]), 1));
      expect(Number.isNaN(r[0])).toBe(true);
      expect(Number.isNaN(r[1])).toBe(false);
    }
    // NaN wins wherever it sits, also after larger values
    expect(Number.isNaN(ops.max([5, 1, NaN, 2]).item())).toBe(true);
    expect(Number.isNaN(ops.min([-5, NaN, 1]).item())).toBe(true);
  });

  it('InvalidArgumentError for a bad axis, naming the op', () => {
    const x = T([[1, 2], [3, 4]]);
    for (const [name, f] of [
      ['max', () => ops.max(x, 2)],
      ['min', () => ops.min(x, -3)],
      ['mean', () => ops.mean(x, 1.5)],
      ['logsumexp', () => ops.logsumexp(x, [0, -2])],
    ] as const) {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow(name);
    }
  });

  it('max/min over an empty axis have no identity: InvalidArgumentError; mean of nothing is NaN', () => {
    expect(() => ops.max(Tensor.zeros([2, 0]), 1)).toThrow(InvalidArgumentError);
    expect(() => ops.min(Tensor.zeros([0]))).toThrow(InvalidArgumentError);
    expect(ops.max(Tensor.zeros([0, 2]), 1).shape).toEqual([0]);
    expect(Number.isNaN(ops.mean(Tensor.zeros([0])).item())).toBe(true);
  });
});
