import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeError,
  Tensor,
  ops,
  treeFlatten,
  treeMap,
  treePaths,
  treeUnflatten,
} from '@natgrad/core';

describe('Tensor', () => {
  it('round-trips nested arrays and flat data with shapes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const t = Tensor.from(rows);
        expect(t.shape).toEqual([rows.length, 3]);
        expect(t.toArray()).toEqual(rows);
        expect(Tensor.from(t.data, [3, rows.length]).shape).toEqual([3, rows.length]);
      }),
    );
  });
  it('copies caller-owned data', () => {
    const src = new Float64Array([1, 2, 3]);
    const t = Tensor.from(src);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
  });
  it('rejects ragged arrays, wrong sizes and bad shapes with typed errors', () => {
    expect(() => Tensor.from([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => Tensor.from([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
    expect(() => Tensor.zeros([2, -1])).toThrow(InvalidArgumentError);
    expect(() => Tensor.from([1, 2]).item()).toThrow(ShapeError);
    expect(() => Tensor.from([1, 2]).get(2)).toThrow(/out of range/);
  });
  it('scalars, get with negative indices, methods chain', () => {
    const A = Tensor.from([[1, 2], [3, 4]]);
    expect(A.get(-1, 0)).toBe(3);
    expect(Tensor.scalar(2).shape).toEqual([]);
    expect((A.mul(2).sum() as Tensor).item()).toBe(20);
    expect((A.T as Tensor).toArray()).toEqual([[1, 3], [2, 4]]);
    expect((A.matmul([1, 1]) as Tensor).toArray()).toEqual([3, 7]);
  });
  it('ops never write into their inputs (immutability)', () => {
    const x = Tensor.from([1, 2, 3]);
    const before = Array.from(x.data);
    ops.reshape(x, [3, 1]);
    ops.exp(x);
    ops.add(x, x);
    ops.slice(x, [1, null]);
    expect(Array.from(x.data)).toEqual(before);
  });
  it('broadcasting errors name the op and the shapes', () => {
    expect(() => ops.add(Tensor.zeros([2, 3]), Tensor.zeros([4]))).toThrow(/add: shapes \[2, 3\] and \[4\] cannot be broadcast/);
    expect(() => ops.matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))).toThrow(ShapeError);
    expect(() => ops.reshape(Tensor.zeros([6]), [4, -1])).toThrow(ShapeError);
  });
});

describe('trees', () => {
  const tree = { b: [Tensor.scalar(1), { c: Tensor.scalar(2) }], a: Tensor.scalar(3), none: null };
  it('flatten visits sorted keys depth first and unflatten inverts it', () => {
    const [leaves, def] = treeFlatten<Tensor>(tree);
    expect(leaves.map((l) => l.item())).toEqual([3, 1, 2]);
    expect(treeUnflatten(def, leaves)).toEqual(tree);
    expect(treePaths(tree)).toEqual(['a', 'b.0', 'b.1.c']);
  });
  it('treeMap over matching trees; mismatches are reported with their path', () => {
    const doubled = treeMap((x: Tensor, y: Tensor) => x.item() + y.item(), tree, tree);
    expect(doubled).toEqual({ a: 6, b: [2, { c: 4 }], none: null });
    expect(() => treeMap((x: unknown) => x, tree, { ...tree, b: [Tensor.scalar(1)] })).toThrow(/lengths 2 and 1 differ at "b"/);
  });
});
