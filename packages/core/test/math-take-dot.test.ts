import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, Tensor, type Value, grad, hessian, jvp, ops, vjp } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

const T = (x: number | number[] | number[][]): Tensor => Tensor.from(x);

function data(v: Value): number[] {
  return Array.from((v as Tensor).data);
}

/** A random shape of rank 1–3, an axis (maybe negative) and 1–6 indices into it (with repeats and negatives). */
const takeCase = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 0, max: 1000 }),
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }),
  )
  .map(([shape, k, picks]) => {
    const nd = shape.length;
    const axis = (k % nd) - (k % 2 === 0 ? nd : 0);
    const extent = shape[axis < 0 ? axis + nd : axis];
    const indices = picks.map((p) => (p % extent) - (p % 3 === 0 ? extent : 0));
    return { shape, axis, indices };
  });

/** Direct gather on plain numbers: out[..., j, ...] = x[..., indices[j], ...]. */
function gather(x: Tensor, indices: number[], axis: number): number[] {
  const nd = x.shape.length;
  const ax = axis < 0 ? axis + nd : axis;
  const outer = x.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const n = x.shape[ax];
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const i of indices) {
      const k = i < 0 ? i + n : i;
      for (let t = 0; t < inner; t++) out.push(x.data[(o * n + k) * inner + t]);
    }
  }
  return out;
}

describe('take', () => {
  it('gathers like a direct computation (random shapes, axes, repeated and negative indices)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), takeCase, (seed, { shape, axis, indices }) => {
        const x = randomTensor(shape, rng(seed));
        const r = ops.take(x, indices, axis);
        const ax = axis < 0 ? axis + shape.length : axis;
        expect(r.shape).toEqual(shape.map((d, i) => (i === ax ? indices.length : d)));
        expect(data(r)).toEqual(gather(x, indices, axis));
        expect(data(ops.take(x, Int32Array.from(indices), axis))).toEqual(data(r));
      }),
      { numRuns: 50 },
    );
  });

  it('jvp, vjp (scatter-add), linearize and second order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), takeCase, (seed, { shape, axis, indices }) => {
        const x = randomTensor(shape, rng(seed), -2, 2);
        checkDerivatives((v) => ops.take(v, indices, axis), [x], { seed, secondOrder: true });
        // nonlinear around the gather so that second derivatives pass through take and scatter-add
        checkDerivatives((v) => ops.sin(ops.take(ops.mul(v, v), indices, axis)), [x], { seed, secondOrder: true });
      }),
      { numRuns: 25 },
    );
  });

  it('repeated indices accumulate their gradients; a number index drops the axis', () => {
    const x = T([[1, 2, 3], [4, 5, 6]]);
    expect(data(grad((v: Value) => ops.sum(ops.take(v, [2, 0, 2, -1], 1)))(x))).toEqual([1, 0, 3, 1, 0, 3]);
    expect(ops.take(x, 1).toArray()).toEqual([4, 5, 6]);
    expect(ops.take(x, -1, 1).toArray()).toEqual([3, 6]);
    expect(ops.take(x, [], 1).shape).toEqual([2, 0]);
    // Hessian of Σ take(x, [0, 0])² = 2·x₀²: 4 at (0, 0)
    expect(data(hessian((v: Value) => ops.sum(ops.square(ops.take(v, [0, 0]))))(T([3, 1])))).toEqual([4, 0, 0, 0]);
  });

  it('jvp gathers the tangent', () => {
    const [, t] = jvp((v: Value) => ops.take(v, [1, 1, 0]), [T([10, 20])], [T([1, 2])]);
    expect(data(t as Value)).toEqual([2, 2, 1]);
  });

  it('copies the index list (mutating it after the call changes neither the value nor the recorded pullback)', () => {
    const idx = Int32Array.from([0, 1]);
    const y = ops.take(T([5, 6]), idx);
    const [, pb] = vjp((v: Value) => ops.take(v, idx), [T([5, 6])]);
    idx[0] = 1;
    expect(data(y)).toEqual([5, 6]);
    expect(data(pb(T([1, 10]))[0])).toEqual([1, 10]);
  });

  it('InvalidArgumentError for out-of-range, non-integer indices and bad axes', () => {
    const x = T([[1, 2, 3], [4, 5, 6]]);
    for (const f of [
      () => ops.take(x, [3], 1),
      () => ops.take(x, [-4], 1),
      () => ops.take(x, [2]),
      () => ops.take(x, [0.5]),
      () => ops.take(x, [NaN]),
      () => ops.take(x, [0], 2),
      () => ops.take(x, [0], -3),
      () => ops.take(3, [0]),
      () => ops.take(x, 'a' as unknown as number[]),
    ]) {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow('take');
    }
  });
});

describe('dot and outer', () => {
  const dotCases: [string, number[], number[]][] = [
    ['vector · vector', [5], [5]],
    ['matrix · vector', [3, 4], [4]],
    ['vector · matrix', [4], [4, 2]],
    ['matrix · matrix', [2, 3], [3, 4]],
    ['scalar · matrix', [], [2, 3]],
  ];
  for (const [name, sa, sb] of dotCases) {
    it(`dot ${name}: derivatives, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          const next = rng(seed);
          checkDerivatives((a, b) => ops.dot(a, b), [randomTensor(sa, next), randomTensor(sb, next)], { seed, secondOrder: true });
        }),
        { numRuns: 15 },
      );
    });
  }

  it('dot values: inner product, matrix products and scalars', () => {
    expect(ops.dot([1, 2, 3], [4, 5, 6]).item()).toBe(32);
    expect(ops.dot([1, 2, 3], [4, 5, 6]).shape).toEqual([]);
    expect(ops.dot([[1, 2], [3, 4]], [1, 1]).toArray()).toEqual([3, 7]);
    expect(ops.dot([1, 1], [[1, 2], [3, 4]]).toArray()).toEqual([4, 6]);
    expect(ops.dot([[1, 2], [3, 4]], [[0, 1], [1, 0]]).toArray()).toEqual([[2, 1], [4, 3]]);
    expect(ops.dot(2, [1, 2]).toArray()).toEqual([2, 4]);
    expect(T([1, 2]).dot(T([3, 4])).item()).toBe(11);
  });

  it('dot raises ShapeError on mismatched lengths (no silent broadcasting of a length-1 vector)', () => {
    expect(() => ops.dot([1], [1, 2, 3])).toThrow(ShapeError);
    expect(() => ops.dot([1, 2], [1, 2, 3])).toThrow('dot');
    expect(() => ops.dot([[1, 2]], [1, 2, 3])).toThrow(ShapeError);
  });

  it('outer: values, derivatives and flattening of higher-rank operands', () => {
    expect(ops.outer([1, 2], [3, 4, 5]).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(ops.outer([[1], [2]], 3).toArray()).toEqual([[3], [6]]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const next = rng(seed);
        checkDerivatives((a, b) => ops.outer(a, b), [randomTensor([3], next), randomTensor([4], next)], { seed, secondOrder: true });
      }),
      { numRuns: 15 },
    );
  });
});
