/**
 * Pytrees: nested plain objects and arrays whose leaves are tensors (or anything that is not a plain object/array).
 * Transforms accept and return trees, optimisers keep state trees that mirror parameter trees. Object keys are
 * visited in sorted order, as in JAX, so two trees with the same keys have the same structure. Every number is its
 * own leaf here; the transforms (`jvp`, `grad`, …) read their arguments with one extra rule — a nested array of
 * numbers is one array leaf — see the core README.
 * @module
 */
import { describeValue } from './describe.js';
import { InvalidArgumentError, ShapeError } from './errors.js';

/** A tree with leaves of type `L`. */
export type Tree<L> = L | readonly Tree<L>[] | { readonly [key: string]: Tree<L> };

/** The structure of a tree without its leaves. */
export type TreeDef =
  | {
      /** A leaf: one slot in the leaf list. */
      readonly kind: 'leaf';
    }
  | {
      /** `null` or `undefined` in the tree: holds no leaves and is rebuilt as it was. */
      readonly kind: 'none';
      /** Which of the two it was. */
      readonly value: null | undefined;
    }
  | {
      /** An array node. */
      readonly kind: 'array';
      /** Structure of each element, in order. */
      readonly children: readonly TreeDef[];
    }
  | {
      /** A plain-object node. */
      readonly kind: 'object';
      /** Its keys, sorted (the order in which leaves are flattened). */
      readonly keys: readonly string[];
      /** Structure under each key, in the order of `keys`. */
      readonly children: readonly TreeDef[];
    };

const LEAF: TreeDef = Object.freeze({ kind: 'leaf' });

/** True for arrays and plain objects (prototype `Object.prototype` or `null`): the inner nodes of a tree. */
export function isTreeNode(x: unknown): x is readonly unknown[] | Record<string, unknown> {
  if (Array.isArray(x)) return true;
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Splits a tree into its leaves (depth first, object keys sorted) and its structure. */
export function treeFlatten<L = unknown>(tree: unknown): [L[], TreeDef] {
  const leaves: L[] = [];
  const def = flattenInto(tree, leaves);
  return [leaves, def];
}

function flattenInto(x: unknown, leaves: unknown[]): TreeDef {
  if (x === null || x === undefined) return { kind: 'none', value: x };
  if (Array.isArray(x)) return { kind: 'array', children: x.map((c) => flattenInto(c, leaves)) };
  if (isTreeNode(x)) {
    const keys = Object.keys(x).sort();
    return { kind: 'object', keys, children: keys.map((k) => flattenInto((x as Record<string, unknown>)[k], leaves)) };
  }
  leaves.push(x);
  return LEAF;
}

/** Rebuilds a tree of the given structure from leaves in flatten order. */
export function treeUnflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        if (i >= leaves.length) throw new ShapeError(`treeUnflatten: too few leaves (${leaves.length})`);
        return leaves[i++];
      case 'none':
        return d.value;
      case 'array':
        return d.children.map(build);
      case 'object': {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => {
          const v = build(d.children[j]);
          // Assigning "__proto__" would replace the prototype instead of creating the key (and lose the value).
          if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          else out[k] = v;
        });
        return out;
      }
    }
  };
  const out = build(def);
  if (i !== leaves.length) throw new ShapeError(`treeUnflatten: ${leaves.length} leaves for a structure of ${i}`);
  return out as T;
}

/** The leaves of a tree in flatten order. */
export function treeLeaves<L = unknown>(tree: unknown): L[] {
  return treeFlatten<L>(tree)[0];
}

/** Path strings of the leaves in flatten order, e.g. `"q.mu"`, `"layers.0.w"`; the root leaf has path `""`. */
export function treePaths(tree: unknown): string[] {
  return treeFlattenWithPath(tree)[0].map((e) => e[0]);
}

/**
 * Joins two paths with a dot: `joinPath("q", "mu")` is `"q.mu"`; `""` (the root) is the identity on either side. The
 * one definition of a tree path that {@link treePaths}, {@link treeFlattenWithPath} and {@link treeMapWithPath} use.
 */
export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a}.${b}`;
}

/**
 * The leaves of a tree with their paths, in flatten order, and its structure (JAX `tree_flatten_with_path`, with
 * dotted string paths): `treeFlattenWithPath({ q: { mu, L } })` gives `[[["q.L", L], ["q.mu", mu]], def]`.
 * `null`/`undefined` are empty nodes, as in {@link treeFlatten}.
 */
export function treeFlattenWithPath<L = unknown>(tree: unknown): [(readonly [string, L])[], TreeDef] {
  const leaves: (readonly [string, L])[] = [];
  const walk = (x: unknown, path: string): TreeDef => {
    if (x === null || x === undefined) return { kind: 'none', value: x };
    if (Array.isArray(x)) return { kind: 'array', children: x.map((c, i) => walk(c, joinPath(path, String(i)))) };
    if (isTreeNode(x)) {
      const keys = Object.keys(x).sort();
      return { kind: 'object', keys, children: keys.map((k) => walk((x as Record<string, unknown>)[k], joinPath(path, k))) };
    }
    leaves.push([path, x as L]);
    return LEAF;
  };
  const def = walk(tree, '');
  return [leaves, def];
}

/**
 * Maps `f(path, leaf, ...restLeaves)` over the leaves of `tree` (JAX `tree_map_with_path`, dotted string paths).
 * Each tree of `rest` has `tree`'s structure, or `tree` as a prefix (a leaf of `tree` then pairs with a whole subtree
 * of it, as in JAX), or `null`/`undefined` in place of any subtree: `f` then receives that `null`/`undefined` for
 * every leaf below ("nothing there", as `nothing` in Optimisers.jl). `null`/`undefined` in `tree` itself stay as they
 * are, and `f` is not called there.
 *
 * The result shares structure with `tree`: an inner node all of whose children come back identical (`===`) is
 * returned as is, so mapping the identity returns `tree` itself and an update that changes one leaf copies only the
 * nodes above it. Treat trees as immutable (as the optimisers do) or copy the result before mutating it. Object keys
 * are visited in sorted order; a rebuilt object node has its keys in that order.
 * @throws {ShapeError} naming the path where a tree of `rest` does not match `tree`; {@link InvalidArgumentError} when
 * `f` is not a function
 */
export function treeMapWithPath<R = unknown>(f: (path: string, leaf: any, ...rest: any[]) => R, tree: unknown, ...rest: unknown[]): any {
  if (typeof f !== 'function') throw new InvalidArgumentError(`treeMapWithPath: argument f must be a function (path, leaf, ...rest) => value, got ${describeValue(f)}`);
  return mapNode(f, tree, rest, '');
}

function mapNode(f: (path: string, leaf: any, ...rest: any[]) => unknown, x: unknown, rest: readonly unknown[], path: string): unknown {
  if (x === null || x === undefined) return x;
  const array = Array.isArray(x);
  if (!array && !isTreeNode(x)) return f(path, x, ...rest);
  for (let j = 0; j < rest.length; j++) {
    const r = rest[j];
    if (r === null || r === undefined) continue;
    if (!isTreeNode(r) || Array.isArray(r) !== array) {
      throw new ShapeError(`treeMapWithPath: tree ${j + 1} does not match tree 0 (node kinds differ at ${where(path)})`);
    }
  }
  const child = (r: unknown, k: string | number): unknown =>
    r === null || r === undefined ? r : Object.hasOwn(r as object, k) ? (r as Record<string, unknown>)[k] : missing(rest, r, path, k);
  if (array) {
    const xs = x as readonly unknown[];
    for (let j = 0; j < rest.length; j++) {
      const r = rest[j] as readonly unknown[] | null | undefined;
      if (r !== null && r !== undefined && r.length !== xs.length) {
        throw new ShapeError(`treeMapWithPath: tree ${j + 1} does not match tree 0 (lengths ${xs.length} and ${r.length} differ at ${where(path)})`);
      }
    }
    let changed = false;
    const out = xs.map((c, i) => {
      const y = mapNode(f, c, rest.map((r) => child(r, i)), joinPath(path, String(i)));
      if (y !== c) changed = true;
      return y;
    });
    return changed ? out : x;
  }
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  for (let j = 0; j < rest.length; j++) {
    const r = rest[j] as Record<string, unknown> | null | undefined;
    if (r !== null && r !== undefined && Object.keys(r).length !== keys.length) {
      throw new ShapeError(`treeMapWithPath: tree ${j + 1} does not match tree 0 (${describeDiff(x, r, path)})`);
    }
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const c = o[k];
    const y = mapNode(f, c, rest.map((r) => child(r, k)), joinPath(path, k));
    if (y !== c) changed = true;
    // Assigning "__proto__" would replace the prototype instead of creating the key (and lose the value).
    if (k === '__proto__') Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
    else out[k] = y;
  }
  return changed ? out : x;
}

function missing(rest: readonly unknown[], r: unknown, path: string, k: string | number): never {
  const j = rest.indexOf(r);
  throw new ShapeError(`treeMapWithPath: tree ${j + 1} does not match tree 0 (it has no ${JSON.stringify(String(k))} at ${where(path)})`);
}

function where(path: string): string {
  return path === '' ? 'the root' : `"${path}"`;
}

/** True when two structures are identical (same node kinds, keys and lengths). */
export function treeDefEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  if (a.kind === 'none') return true;
  const bc = (b as typeof a).children;
  if (a.children.length !== bc.length) return false;
  if (a.kind === 'object' && a.keys.join('\u0000') !== (b as typeof a).keys.join('\u0000')) return false;
  return a.children.every((c, i) => treeDefEqual(c, bc[i]));
}

/**
 * Maps `f` over the leaves of one or more trees of the same structure.
 * @throws {ShapeError} naming the first path where the structures differ.
 */
export function treeMap<R>(f: (...leaves: any[]) => R, tree: unknown, ...rest: unknown[]): any {
  const [leaves, def] = treeFlatten(tree);
  const others = rest.map((t, j) => {
    const [l, d] = treeFlatten(t);
    if (!treeDefEqual(def, d)) {
      throw new ShapeError(`treeMap: tree ${j + 1} has a different structure from tree 0 (${describeDiff(tree, t)})`);
    }
    return l;
  });
  return treeUnflatten(def, leaves.map((leaf, i) => f(leaf, ...others.map((o) => o[i]))));
}

/** Describes where two trees first differ, for error messages. */
export function describeDiff(a: unknown, b: unknown, path = ''): string {
  const at = path === '' ? 'the root' : `"${path}"`;
  if (isTreeNode(a) !== isTreeNode(b) || Array.isArray(a) !== Array.isArray(b)) return `node kinds differ at ${at}`;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `lengths ${a.length} and ${bb.length} differ at ${at}`;
    for (let i = 0; i < a.length; i++) {
      const d = describeDiff(a[i], bb[i], joinPath(path, String(i)));
      if (d !== '') return d;
    }
    return '';
  }
  if (isTreeNode(a)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as object).sort();
    if (ka.join() !== kb.join()) return `keys {${ka.join(', ')}} and {${kb.join(', ')}} differ at ${at}`;
    for (const k of ka) {
      const d = describeDiff((a as any)[k], (b as any)[k], joinPath(path, k));
      if (d !== '') return d;
    }
  }
  return '';
}
