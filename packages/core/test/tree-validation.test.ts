/**
 * The tree utilities on untrusted trees and structures (issue 10): cycles, absurd depth and exponentially shared
 * subtrees are typed errors naming the function (never a stack overflow or an endless walk), a `TreeDef` from outside
 * is checked node by node, callbacks and labels are checked, and valid trees round-trip as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MAX_TREE_DEPTH,
  MAX_TREE_NODES,
  ShapeError,
  Tensor,
  type TreeDef,
  describeDiff,
  grad,
  jvp,
  ops,
  treeDefEqual,
  treeFlatten,
  treeLeaves,
  treeMap,
  treePaths,
  treeUnflatten,
} from '@natgrad/core';

/** Deliberately ill-typed arguments. */
const bad = (x: unknown): any => x;

function nested(depth: number): unknown {
  let x: unknown = 1;
  for (let i = 0; i < depth; i++) x = { a: x };
  return x;
}

const walkers: readonly [string, (t: unknown) => unknown][] = [
  ['treeFlatten', treeFlatten],
  ['treeLeaves', treeLeaves],
  ['treePaths', treePaths],
  ['treeMap', (t) => treeMap((x) => x, t)],
  ['describeDiff', (t) => describeDiff(t, t)],
];

describe('walks of untrusted trees are bounded', () => {
  it.each(walkers)('%s: a cycle is an InvalidArgumentError naming the function and the path back', (name, walk) => {
    const t: Record<string, unknown> = { w: Tensor.from([1]), inner: { b: [1, 2] } };
    (t.inner as Record<string, unknown>).loop = t;
    expect(() => walk(t)).toThrow(InvalidArgumentError);
    expect(() => walk(t)).toThrow(new RegExp(`^${name}: .*is cyclic: .*inner\\.loop refers back to an enclosing node`));
  });

  it.each(walkers)('%s: nesting deeper than MAX_TREE_DEPTH is refused, up to it is fine', (name, walk) => {
    expect(MAX_TREE_DEPTH).toBe(1000);
    expect(() => walk(nested(MAX_TREE_DEPTH))).not.toThrow();
    expect(() => walk(nested(MAX_TREE_DEPTH + 1))).toThrow(new RegExp(`^${name}: .*nested more than 1000 levels deep`));
    expect(() => walk(nested(50_000))).toThrow(InvalidArgumentError); // would overflow the stack unbounded
  });

  it('a structure that shares subtrees exponentially stops at MAX_TREE_NODES nodes instead of walking 2^60', () => {
    expect(MAX_TREE_NODES).toBe(2 ** 20);
    let t: unknown = Tensor.from([1]);
    for (let i = 0; i < 60; i++) t = { l: t, r: t }; // a DAG of 61 objects describing 2^60 leaves
    expect(() => treeLeaves(t)).toThrow(/^treeLeaves: tree has more than 1048576 inner nodes \(MAX_TREE_NODES; are subtrees shared\?\)/);
  });

  it('so do the transforms, whose arguments are trees too', () => {
    let t: unknown = null;
    for (let i = 0; i < 40; i++) t = { l: t, r: t };
    expect(() => jvp(() => 1, [t], [t])).toThrow(/^jvp: primals has more than 1048576 inner nodes/);
  });

  it('a shared subtree that is not a cycle is fine (it is visited once per occurrence)', () => {
    const shared = { x: Tensor.from([1, 2]) };
    const [leaves, def] = treeFlatten({ a: shared, b: [shared, shared] });
    expect(leaves).toHaveLength(3);
    expect(treeUnflatten<Record<string, unknown>>(def, leaves).b).toEqual([{ x: leaves[1] }, { x: leaves[2] }]);
  });

  it('holes of sparse arrays are read as undefined (an empty node), not skipped', () => {
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const [leaves, def] = treeFlatten(sparse);
    expect(leaves).toEqual([1, 3]);
    expect(treeUnflatten(def, leaves)).toEqual([1, undefined, 3]);
    expect(treePaths(sparse)).toEqual(['0', '2']);
  });

  it('transforms name themselves for a cyclic aux output', () => {
    const aux: Record<string, unknown> = {};
    aux.self = aux;
    expect(() => grad((x: Tensor) => [ops.sum(x), aux], { hasAux: true })(Tensor.from([1]))).toThrow(/^grad: the aux output of f is cyclic/);
  });
});

describe('structures (TreeDef) from outside are checked before anything is built', () => {
  const [, def] = treeFlatten({ a: Tensor.from([1]), b: [null, 2] });

  it('a structure made by treeFlatten round-trips, and JSON of it too', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const [leaves, d] = treeFlatten(v);
        const again = JSON.parse(JSON.stringify(d)) as TreeDef; // `value: undefined` is dropped, still a 'none'
        expect(treeDefEqual(d, again)).toBe(true);
        expect(treeUnflatten(again, leaves)).toEqual(v);
      }),
      { numRuns: 100 },
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'leaf', /def is not a tree structure: expected a node object, got string "leaf"/],
    ['null', null, /def is not a tree structure: expected a node object, got null/],
    ['an unknown kind', { kind: 'nope' }, /def is not a tree structure: kind must be 'leaf', 'none', 'array' or 'object', got string "nope"/],
    ['children not an array', { kind: 'array', children: 'x' }, /the children of an 'array' node must be an array/],
    ['keys without children', { kind: 'object', keys: ['a'], children: [] }, /needs one key per child \(0\), got 1 keys/],
    ['a repeated key', { kind: 'object', keys: ['a', 'a'], children: [{ kind: 'leaf' }, { kind: 'leaf' }] }, /key "a" appears twice/],
    ['a key that is not a string', { kind: 'object', keys: [1], children: [{ kind: 'leaf' }] }, /keys must be strings, got number 1/],
    ['a none holding a value', { kind: 'none', value: 5 }, /a 'none' node holds null or undefined, got number 5/],
    ['a bad node deep inside', { kind: 'array', children: [{ kind: 'leaf' }, { kind: 'array', children: [{}] }] }, /def\.children\[1\]\.children\[0\] is not a tree structure/],
  ])('treeUnflatten and treeDefEqual refuse %s', (_label, d, message) => {
    expect(() => treeUnflatten(bad(d), [1])).toThrow(InvalidArgumentError);
    expect(() => treeUnflatten(bad(d), [1])).toThrow(message);
    expect(() => treeDefEqual(bad(d), def)).toThrow(/^treeDefEqual: a[ .]/);
    expect(() => treeDefEqual(def, bad(d))).toThrow(/^treeDefEqual: b[ .]/);
  });

  it('a cyclic structure is refused at once (with fan-out 2 a depth bound alone would walk 2^1000 nodes)', () => {
    const d: { kind: string; children: unknown[] } = { kind: 'array', children: [] };
    d.children.push(d, d);
    expect(() => treeUnflatten(bad(d), [])).toThrow(/^treeUnflatten: def is cyclic/);
  });

  it('leaves must be an array of the right length', () => {
    expect(() => treeUnflatten(def, bad('ab'))).toThrow(/^treeUnflatten: leaves must be an array, got string "ab"/);
    expect(() => treeUnflatten(def, [1])).toThrow(ShapeError);
    expect(() => treeUnflatten(def, [1, 2, 3])).toThrow(/2 leaves for a structure of|3 leaves for a structure of 2/);
  });

  it('a "__proto__" key is rebuilt as data, never as the prototype', () => {
    const d = { kind: 'object', keys: ['__proto__'], children: [{ kind: 'leaf' }] } as TreeDef;
    const out = treeUnflatten<Record<string, unknown>>(d, [{ polluted: 'yes' }]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});

describe('callbacks and labels', () => {
  it('treeMap needs a callable f: not a value, not a class constructor', () => {
    expect(() => treeMap(bad('f'), { a: 1 })).toThrow(/^treeMap: f must be a function, got string "f"/);
    class NotCallable {}
    expect(() => treeMap(bad(NotCallable), { a: 1 })).toThrow(/^treeMap: f must be a function, got a class constructor/);
    expect(treeMap((x: number, y: number) => x + y, { a: 1, b: [2] }, { a: 10, b: [20] })).toEqual({ a: 11, b: [22] });
  });

  it('describeDiff: path is a string', () => {
    expect(() => describeDiff({ a: 1 }, { b: 1 }, bad(7))).toThrow(/^describeDiff: path must be a string, got number 7/);
    expect(describeDiff({ a: 1 }, { b: 1 }, 'q')).toBe('keys {a} and {b} differ at "q"');
  });
});
