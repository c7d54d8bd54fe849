import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Tensor, type Value, grad, jvp, ops } from '@natgrad/core';

describe('creation functions', () => {
  it('zeros, ones and full', () => {
    const z = ops.zeros([2, 3]);
    expect(z).toBeInstanceOf(Tensor);
    expect(z.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ops.ones(3).toArray()).toEqual([1, 1, 1]);
    expect(ops.ones([]).toArray()).toBe(1);
    expect(ops.full([2], 7.5).toArray()).toEqual([7.5, 7.5]);
    expect(Number.isNaN(ops.full([1], NaN).item())).toBe(true);
    expect(ops.zeros([2, 0]).shape).toEqual([2, 0]);
    // each call returns a fresh tensor
    expect(ops.zeros([2]).data).not.toBe(ops.zeros([2]).data);
  });

  it('eye with optional columns and diagonal offset', () => {
    expect(ops.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(ops.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(ops.eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(ops.eye(3, 3, 1).toArray()).toEqual([[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
    expect(ops.eye(3, 3, -2).toArray()).toEqual([[0, 0, 0], [0, 0, 0], [1, 0, 0]]);
    expect(ops.eye(0).shape).toEqual([0, 0]);
  });

  it('arange follows NumPy (length ceil((stop - start) / step), element i = start + i·step)', () => {
    expect(ops.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(ops.arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(ops.arange(5, 2).toArray()).toEqual([]);
    expect(ops.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(ops.arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.boolean(),
        (start, stop, stepAbs, negative) => {
          const step = negative ? -stepAbs : stepAbs;
          const r = ops.arange(start, stop, step);
          const n = Math.max(0, Math.ceil((stop - start) / step));
          expect(r.shape).toEqual([n]);
          r.data.forEach((v, i) => expect(v).toBe(start + i * step));
        },
      ),
    );
  });

  it('linspace includes both ends exactly', () => {
    const bound = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    expect(ops.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ops.linspace(3, 3, 1).toArray()).toEqual([3]);
    expect(ops.linspace(0, 1, 0).toArray()).toEqual([]);
    expect(Object.is(ops.linspace(-0, 0, 2).data[0], -0)).toBe(true);
    expect(ops.linspace(1, 0, 3).toArray()).toEqual([1, 0.5, 0]);
    expect(ops.linspace(0, 1).shape).toEqual([50]);
    fc.assert(
      fc.property(bound, bound, fc.integer({ min: 2, max: 40 }), (a, b, n) => {
        const r = ops.linspace(a, b, n);
        expect(r.data[0]).toBe(a);
        expect(r.data[n - 1]).toBe(b);
        for (let i = 0; i < n; i++) expect(r.data[i]).toBeCloseTo(a + ((b - a) * i) / (n - 1), 9);
      }),
    );
  });

  it('zerosLike and onesLike read only the shape, also of tracers, and give constants', () => {
    expect(ops.zerosLike([[1, 2, 3]]).toArray()).toEqual([[0, 0, 0]]);
    expect(ops.onesLike(T(5)).toArray()).toBe(1);
    const shapes: (readonly number[])[] = [];
    const f = (x: Value) => {
      const o = ops.onesLike(x);
      shapes.push(o.shape);
      expect(o).toBeInstanceOf(Tensor);
      return ops.sum(ops.mul(ops.add(x, o), ops.zerosLike(x).add(2)));
    };
    expect(grad(f)(Tensor.from([[1, 2], [3, 4]])).toArray()).toEqual([[2, 2], [2, 2]]);
    expect((jvp(f, [Tensor.from([1, 2])], [Tensor.from([1, 1])])[1] as Tensor).item()).toBe(4);
    expect(shapes).toEqual([[2, 2], [2]]);
  });

  it('InvalidArgumentError for bad shapes, counts and steps, naming the function', () => {
    for (const [name, f] of [
      ['zeros', () => ops.zeros([-1])],
      ['ones', () => ops.ones([2.5])],
      ['full', () => ops.full([2], 'a' as unknown as number)],
      ['full', () => ops.full([NaN], 0)],
      ['eye', () => ops.eye(-1)],
      ['eye', () => ops.eye(2, 1.5)],
      ['eye', () => ops.eye(2, 2, 0.5)],
      ['arange', () => ops.arange(0, 5, 0)],
      ['arange', () => ops.arange(0, Infinity)],
      ['arange', () => ops.arange(NaN)],
      ['linspace', () => ops.linspace(0, 1, -1)],
      ['linspace', () => ops.linspace(0, 1, 2.5)],
      ['linspace', () => ops.linspace(0, Infinity, 3)],
    ] as const) {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow(name);
    }
  });
});

function T(x: number | number[]): Tensor {
  return Tensor.from(x);
}
