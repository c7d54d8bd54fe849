import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeError,
  Tensor,
  joinPath,
  ops,
  treeDefEqual,
  treeFlatten,
  treeFlattenWithPath,
  treeMap,
  treeMapWithPath,
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

describe('trees with paths', () => {
  const a = Tensor.scalar(3);
  const b0 = Tensor.scalar(1);
  const c = Tensor.scalar(2);
  const tree = { b: [b0, { c }], a, none: null };

  it('joinPath: "" is the identity on either side', () => {
    expect(joinPath('', '')).toBe('');
    expect(joinPath('q', '')).toBe('q');
    expect(joinPath('', 'mu')).toBe('mu');
    expect(joinPath('layers.0', 'w')).toBe('layers.0.w');
  });

  it('treeFlattenWithPath gives treeFlatten’s leaves and structure with treePaths’ paths', () => {
    const [entries, def] = treeFlattenWithPath<Tensor>(tree);
    expect(entries.map(([p]) => p)).toEqual(['a', 'b.0', 'b.1.c']);
    expect(entries.map(([, l]) => l)).toEqual([a, b0, c]);
    expect(treeDefEqual(def, treeFlatten(tree)[1])).toBe(true);
    expect(treeUnflatten(def, entries.map(([, l]) => l))).toEqual(tree);
    expect(treeFlattenWithPath(a)[0]).toEqual([['', a]]);
  });

  it('treeMapWithPath passes paths and the matching leaves of the other trees; the identity returns the tree itself', () => {
    const seen: string[] = [];
    const out = treeMapWithPath((p: string, x: Tensor, y: Tensor) => {
      seen.push(p);
      return x.item() * 10 + y.item();
    }, tree, tree);
    expect(seen).toEqual(['a', 'b.0', 'b.1.c']);
    expect(out).toEqual({ a: 33, b: [11, { c: 22 }], none: null });
    expect(treeMapWithPath((_p: string, x: unknown) => x, tree)).toBe(tree);
  });

  it('treeMapWithPath shares every node whose leaves come back unchanged', () => {
    const c2 = Tensor.scalar(5);
    const out = treeMapWithPath((p: string, x: Tensor) => (p === 'b.1.c' ? c2 : x), tree);
    expect(out).not.toBe(tree);
    expect(out.a).toBe(a);
    expect(out.b).not.toBe(tree.b);
    expect(out.b[0]).toBe(b0);
    expect(out.b[1].c).toBe(c2);
    const side = { x: { y: a }, z: { w: c } };
    const out2 = treeMapWithPath((p: string, t: Tensor) => (p === 'z.w' ? c2 : t), side);
    expect(out2.x).toBe(side.x);
  });

  it('null or undefined in another tree means nothing there: f receives it for every leaf below', () => {
    const got: [string, unknown][] = [];
    treeMapWithPath((p: string, _x: unknown, g: unknown) => void got.push([p, g]), tree, { a: null, b: undefined, none: null });
    expect(got).toEqual([['a', null], ['b.0', undefined], ['b.1.c', undefined]]);
    // null in the first tree stays, and f is not called there
    expect(treeMapWithPath(() => 1, { x: null, y: a }, { x: a, y: a })).toEqual({ x: null, y: 1 });
  });

  it('a leaf of the first tree pairs with a whole subtree of another (JAX prefix trees)', () => {
    const out = treeMapWithPath((_p: string, label: string, sub: unknown) => [label, sub], { q: 'natural' }, { q: { mu: a, L: c } });
    expect(out).toEqual({ q: ['natural', { mu: a, L: c }] });
  });

  it('mismatches are ShapeErrors naming the path; f must be a function', () => {
    expect(() => treeMapWithPath((_p: string, x: unknown) => x, tree, { ...tree, b: [b0] })).toThrow(/lengths 2 and 1 differ at "b"/);
    expect(() => treeMapWithPath((_p: string, x: unknown) => x, tree, { ...tree, b: a })).toThrow(ShapeError);
    expect(() => treeMapWithPath((_p: string, x: unknown) => x, tree, { b: tree.b, A: a, none: null })).toThrow(/it has no "a" at the root/);
    expect(() => treeMapWithPath((_p: string, x: unknown) => x, { q: { mu: a } }, { q: a })).toThrow(/node kinds differ at "q"/);
    expect(() => treeMapWithPath('f' as never, tree)).toThrow(InvalidArgumentError);
  });

  it('an own "__proto__" key is mapped as a key, never as the prototype', () => {
    const hostile = JSON.parse('{"__proto__": 1, "x": 2}');
    const out = treeMapWithPath((_p: string, v: number) => v + 1, hostile);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
    expect(out.x).toBe(3);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(2);
  });

  it('agrees with treeFlattenWithPath and treeMap on random trees (fast-check)', () => {
    const leaf = fc.integer({ min: -5, max: 5 }).map((n) => Tensor.scalar(n));
    const key = fc.constantFrom('a', 'b', 'c', 'mu', 'L', '0');
    const treeArb = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(treeArb, (t) => {
        const [entries] = treeFlattenWithPath<Tensor>(t);
        expect(entries.map(([p]) => p)).toEqual(treePaths(t));
        const viaPath = treeMapWithPath((p: string, x: Tensor) => `${p}=${x.item()}`, t);
        const paths = treePaths(t);
        let i = 0;
        expect(viaPath).toEqual(treeMap((x: Tensor) => `${paths[i++]}=${x.item()}`, t));
        expect(treeMapWithPath((_p: string, x: unknown) => x, t)).toBe(t);
      }),
    );
  });
});
