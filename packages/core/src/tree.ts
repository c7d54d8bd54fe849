/**
 * Pytrees: nested plain objects and arrays whose leaves are tensors (or anything that is not a plain object/array).
 * Transforms accept and return trees, optimisers keep state trees that mirror parameter trees. Object keys are
 * visited in sorted order, as in JAX, so two trees with the same keys have the same structure. Every number is its
 * own leaf here; the transforms (`jvp`, `grad`, …) read their arguments with one extra rule — a nested array of
 * numbers is one array leaf — see the core README.
 *
 * Trees are untrusted input: every walk is bounded (`MAX_TREE_DEPTH` levels, `MAX_TREE_NODES` inner nodes), so a
 * cyclic, absurdly deep or exponentially shared tree is an {@link InvalidArgumentError} instead of a stack overflow
 * or a walk without end, and a structure (`TreeDef`) handed back by the user is checked node by node before anything
 * is built from it. The `unflatten`/`defsEqual` helpers skip those checks for
 * core's own structures, which come from {@link treeFlatten}.
 * @module
 */
import { checkCallable, checkString } from './args.js';
import { describeValue } from './describe.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { MAX_ARRAY_LENGTH, MAX_TREE_DEPTH, MAX_TREE_NODES } from './limits.js';

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

/**
 * The state of one walk over an untrusted tree: the inner nodes from the root to the current one (a node met again
 * among them is a cycle), and how many inner nodes and leaves were visited (a structure that shares subtrees can
 * describe exponentially many: the walk stops at `MAX_TREE_NODES` nodes or `MAX_ARRAY_LENGTH` leaves). Keys are not
 * tracked: the path in an error message is recovered from the ancestors when it is needed.
 */
class Walk {
  readonly ancestors: unknown[] = [];
  private nodes = 0;
  private leaves = 0;
  constructor(
    readonly where: string,
    readonly what: string,
  ) {}

  /** Counts a leaf. */
  leaf(): void {
    if (++this.leaves > MAX_ARRAY_LENGTH) this.fail(`has more than ${MAX_ARRAY_LENGTH} leaves (MAX_ARRAY_LENGTH)`);
  }

  /** Enters the inner node `x`, a child of the current one; `at` is its path if the caller knows it. */
  enter(x: unknown, at?: string): void {
    if (++this.nodes > MAX_TREE_NODES) this.fail(`has more than ${MAX_TREE_NODES} inner nodes (MAX_TREE_NODES; are subtrees shared?)`);
    const a = this.ancestors;
    if (a.length >= MAX_TREE_DEPTH) this.fail(`is nested more than ${MAX_TREE_DEPTH} levels deep (MAX_TREE_DEPTH)`);
    for (let i = 0; i < a.length; i++) if (a[i] === x) this.fail(`is cyclic: ${at ?? this.path(x)} refers back to an enclosing node`);
    a.push(x);
  }

  leave(): void {
    this.ancestors.pop();
  }

  /** `tree.a[0].b`: the keys from the root to `last` (a child of the innermost ancestor), found by identity. */
  private path(last: unknown): string {
    const chain = [...this.ancestors, last];
    let s = this.what;
    for (let i = 1; i < chain.length; i++) {
      const parent = chain[i - 1] as Record<string, unknown>;
      const key = Object.keys(parent).find((k) => parent[k] === chain[i]) ?? '?';
      s += Array.isArray(parent) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    }
    return s;
  }

  private fail(detail: string): never {
    throw new InvalidArgumentError(`${this.where}: ${this.what} ${detail}`);
  }
}

/** True for arrays and plain objects (prototype `Object.prototype` or `null`): the inner nodes of a tree. */
export function isTreeNode(x: unknown): x is readonly unknown[] | Record<string, unknown> {
  if (Array.isArray(x)) return true;
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Splits a tree into its leaves (depth first, object keys sorted) and its structure. A hole in an array is read as
 * `undefined` (an empty node).
 * @throws {InvalidArgumentError} for a cyclic tree, or one beyond the walk's bounds (`MAX_TREE_DEPTH` levels,
 * `MAX_TREE_NODES` inner nodes, `MAX_ARRAY_LENGTH` leaves).
 */
export function treeFlatten<L = unknown>(tree: unknown): [L[], TreeDef] {
  return flattenTree<L>(tree, 'treeFlatten', 'tree');
}

/** @internal {@link treeFlatten} naming the caller and the tree in its errors. */
export function flattenTree<L = unknown>(tree: unknown, where: string, what: string): [L[], TreeDef] {
  const leaves: L[] = [];
  const def = flattenInto(tree, leaves as unknown[], new Walk(where, what));
  return [leaves, def];
}

function flattenInto(x: unknown, leaves: unknown[], w: Walk): TreeDef {
  if (x === null || x === undefined) return { kind: 'none', value: x };
  if (Array.isArray(x)) {
    w.enter(x);
    const children: TreeDef[] = [];
    for (let i = 0; i < x.length; i++) children.push(flattenInto(x[i], leaves, w));
    w.leave();
    return { kind: 'array', children };
  }
  if (isTreeNode(x)) {
    w.enter(x);
    const keys = Object.keys(x).sort();
    const children: TreeDef[] = [];
    for (const k of keys) children.push(flattenInto((x as Record<string, unknown>)[k], leaves, w));
    w.leave();
    return { kind: 'object', keys, children };
  }
  w.leaf();
  leaves.push(x);
  return LEAF;
}

/**
 * Rebuilds a tree of the given structure from leaves in flatten order. `def` may come from anywhere (a file, a
 * message): it is checked node by node first.
 * @throws {InvalidArgumentError} for a `def` that is not a tree structure (unknown node kind, children that are not
 * an array, keys that do not match the children or repeat, a cycle, the bounds of {@link treeFlatten}) or `leaves` that
 * are not an array; {@link ShapeError} when the number of leaves does not match the structure.
 */
export function treeUnflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  checkTreeDef(def, 'treeUnflatten', 'def');
  if (!Array.isArray(leaves)) throw new InvalidArgumentError(`treeUnflatten: leaves must be an array, got ${describeValue(leaves)}`);
  return unflatten<T>(def, leaves, 'treeUnflatten');
}

/** @internal {@link treeUnflatten} of a structure made by {@link treeFlatten} (not checked again). */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[], where = 'treeUnflatten'): T {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        if (i >= leaves.length) throw new ShapeError(`${where}: too few leaves (${leaves.length})`);
        return leaves[i++];
      case 'none':
        return d.value;
      case 'array': {
        const out: unknown[] = [];
        for (let j = 0; j < d.children.length; j++) out.push(build(d.children[j]));
        return out;
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        for (let j = 0; j < d.keys.length; j++) {
          const k = d.keys[j];
          const v = build(d.children[j]);
          // Assigning "__proto__" would replace the prototype instead of creating the key (and lose the value).
          if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          else out[k] = v;
        }
        return out;
      }
    }
  };
  const out = build(def);
  if (i !== leaves.length) throw new ShapeError(`${where}: ${leaves.length} leaves for a structure of ${i}`);
  return out as T;
}

/**
 * Throws unless `def` is a well-formed {@link TreeDef}: every node a `leaf`, a `none` holding null or undefined, an
 * `array` with an array of children, or an `object` with as many distinct string keys as children.
 */
function checkTreeDef(def: unknown, where: string, what: string): asserts def is TreeDef {
  const w = new Walk(where, what);
  const fail = (path: string, detail: string): never => {
    throw new InvalidArgumentError(`${where}: ${path} is not a tree structure: ${detail}`);
  };
  const walk = (d: unknown, path: string): void => {
    if (d === null || typeof d !== 'object') fail(path, `expected a node object, got ${describeValue(d)}`);
    const node = d as Record<string, unknown>;
    const kind = node.kind;
    if (kind === 'leaf') return w.leaf();
    if (kind === 'none') {
      if (node.value !== null && node.value !== undefined) fail(path, `a 'none' node holds null or undefined, got ${describeValue(node.value)}`);
      return w.leaf();
    }
    if (kind !== 'array' && kind !== 'object') fail(path, `kind must be 'leaf', 'none', 'array' or 'object', got ${describeValue(kind)}`);
    const children = node.children;
    if (!Array.isArray(children)) fail(path, `the children of an '${kind}' node must be an array, got ${describeValue(children)}`);
    const list = children as readonly unknown[];
    w.enter(d, path);
    if (kind === 'object') {
      const keys = node.keys;
      if (!Array.isArray(keys) || keys.length !== list.length) {
        const got = Array.isArray(keys) ? `${keys.length} keys` : describeValue(keys);
        fail(path, `an 'object' node needs one key per child (${list.length}), got ${got}`);
      }
      const seen = new Set<string>();
      for (const k of keys as readonly unknown[]) {
        if (typeof k !== 'string') fail(path, `keys must be strings, got ${describeValue(k)}`);
        if (seen.has(k as string)) fail(path, `key ${JSON.stringify(k)} appears twice`);
        seen.add(k as string);
      }
      for (let j = 0; j < list.length; j++) walk(list[j], `${path}.children[${j}]`);
    } else {
      for (let j = 0; j < list.length; j++) walk(list[j], `${path}.children[${j}]`);
    }
    w.leave();
  };
  walk(def, what);
}

/**
 * The leaves of a tree in flatten order.
 * @throws {InvalidArgumentError} for a cyclic tree or one beyond the bounds of {@link treeFlatten}.
 */
export function treeLeaves<L = unknown>(tree: unknown): L[] {
  return flattenTree<L>(tree, 'treeLeaves', 'tree')[0];
}

/**
 * Path strings of the leaves in flatten order, e.g. `"q.mu"`, `"layers.0.w"`; the root leaf has path `""`.
 * @throws {InvalidArgumentError} for a cyclic tree or one beyond the bounds of {@link treeFlatten}.
 */
export function treePaths(tree: unknown): string[] {
  const out: string[] = [];
  const w = new Walk('treePaths', 'tree');
  const walk = (x: unknown, path: string): void => {
    if (x === null || x === undefined) return;
    if (Array.isArray(x)) {
      w.enter(x);
      for (let i = 0; i < x.length; i++) walk(x[i], joinPath(path, String(i)));
      w.leave();
    } else if (isTreeNode(x)) {
      w.enter(x);
      for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k], joinPath(path, k));
      w.leave();
    } else {
      w.leaf();
      out.push(path);
    }
  };
  walk(tree, '');
  return out;
}

/**
 * Joins two paths with a dot: `joinPath("q", "mu")` is `"q.mu"`; `""` (the root) is the identity on either side. The
 * one definition of a tree path that {@link treePaths}, {@link treeFlattenWithPath} and {@link treeMapWithPath} use.
 * @throws {InvalidArgumentError} when `a` or `b` is not a string
 */
export function joinPath(a: string, b: string): string {
  if (typeof a !== 'string') checkString(a, 'joinPath', 'a');
  if (typeof b !== 'string') checkString(b, 'joinPath', 'b');
  if (a === '') return b;
  if (b === '') return a;
  return `${a}.${b}`;
}

/**
 * The leaves of a tree with their paths, in flatten order, and its structure (JAX `tree_flatten_with_path`, with
 * dotted string paths): `treeFlattenWithPath({ q: { mu, L } })` gives `[[["q.L", L], ["q.mu", mu]], def]`.
 * `null`/`undefined` are empty nodes, as in {@link treeFlatten}.
 * @throws {InvalidArgumentError} for a cyclic tree or one beyond the bounds of {@link treeFlatten}.
 */
export function treeFlattenWithPath<L = unknown>(tree: unknown): [(readonly [string, L])[], TreeDef] {
  const leaves: (readonly [string, L])[] = [];
  const w = new Walk('treeFlattenWithPath', 'tree');
  const walk = (x: unknown, path: string): TreeDef => {
    if (x === null || x === undefined) return { kind: 'none', value: x };
    if (isTreeNode(x)) {
      w.enter(x);
      let def: TreeDef;
      if (Array.isArray(x)) def = { kind: 'array', children: x.map((c, i) => walk(c, joinPath(path, String(i)))) };
      else {
        const keys = Object.keys(x).sort();
        def = { kind: 'object', keys, children: keys.map((k) => walk((x as Record<string, unknown>)[k], joinPath(path, k))) };
      }
      w.leave();
      return def;
    }
    w.leaf();
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
 * `f` is not a function, or `tree` is cyclic or beyond the bounds of {@link treeFlatten}
 */
export function treeMapWithPath<R = unknown>(f: (path: string, leaf: any, ...rest: any[]) => R, tree: unknown, ...rest: unknown[]): any {
  checkCallable(f, 'treeMapWithPath', 'f (path, leaf, ...rest) => value');
  return mapNode(f, tree, rest, '', new Walk('treeMapWithPath', 'tree'));
}

function mapNode(f: (path: string, leaf: any, ...rest: any[]) => unknown, x: unknown, rest: readonly unknown[], path: string, w: Walk): unknown {
  if (x === null || x === undefined) return x;
  const array = Array.isArray(x);
  if (!array && !isTreeNode(x)) {
    w.leaf();
    return f(path, x, ...rest);
  }
  w.enter(x, path === '' ? 'tree' : path);
  const y = mapInner(f, x, rest, path, w, array);
  w.leave();
  return y;
}

function mapInner(f: (path: string, leaf: any, ...rest: any[]) => unknown, x: object, rest: readonly unknown[], path: string, w: Walk, array: boolean): unknown {
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
      const y = mapNode(f, c, rest.map((r) => child(r, i)), joinPath(path, String(i)), w);
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
    const y = mapNode(f, c, rest.map((r) => child(r, k)), joinPath(path, k), w);
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

/**
 * True when two structures are identical (same node kinds, keys and lengths).
 * @throws {InvalidArgumentError} when either is not a tree structure (see {@link treeUnflatten}).
 */
export function treeDefEqual(a: TreeDef, b: TreeDef): boolean {
  checkTreeDef(a, 'treeDefEqual', 'a');
  checkTreeDef(b, 'treeDefEqual', 'b');
  return defsEqual(a, b);
}

/** @internal {@link treeDefEqual} of structures made by {@link treeFlatten}. */
export function defsEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  if (a.kind === 'none') return true;
  const bc = (b as typeof a).children;
  if (a.children.length !== bc.length) return false;
  if (a.kind === 'object' && a.keys.join('\u0000') !== (b as typeof a).keys.join('\u0000')) return false;
  for (let i = 0; i < bc.length; i++) if (!defsEqual(a.children[i], bc[i])) return false;
  return true;
}

/**
 * Maps `f` over the leaves of one or more trees of the same structure.
 * @throws {ShapeError} naming the first path where the structures differ; {@link InvalidArgumentError} when `f` is
 * not a function, or a tree is cyclic or beyond the bounds of {@link treeFlatten}.
 */
export function treeMap<R>(f: (...leaves: any[]) => R, tree: unknown, ...rest: unknown[]): any {
  checkCallable(f, 'treeMap', 'f');
  const [leaves, def] = flattenTree(tree, 'treeMap', 'tree');
  const others = rest.map((t, j) => {
    const [l, d] = flattenTree(t, 'treeMap', `tree ${j + 1}`);
    if (!defsEqual(def, d)) {
      throw new ShapeError(`treeMap: tree ${j + 1} has a different structure from tree 0 (${describeDiff(tree, t)})`);
    }
    return l;
  });
  return unflatten(def, leaves.map((leaf, i) => f(leaf, ...others.map((o) => o[i]))), 'treeMap');
}

/**
 * Describes where two trees first differ, for error messages (`''` when they have the same structure); `path` is
 * the path of `a` and `b` within their enclosing trees.
 * @throws {InvalidArgumentError} when `path` is not a string, or `a` is cyclic or beyond the bounds of
 * {@link treeFlatten}.
 */
export function describeDiff(a: unknown, b: unknown, path = ''): string {
  checkString(path, 'describeDiff', 'path');
  return diff(a, b, path, new Walk('describeDiff', 'a'));
}

function diff(a: unknown, b: unknown, path: string, w: Walk): string {
  const at = path === '' ? 'the root' : `"${path}"`;
  if (isTreeNode(a) !== isTreeNode(b) || Array.isArray(a) !== Array.isArray(b)) return `node kinds differ at ${at}`;
  if (!isTreeNode(a)) return '';
  w.enter(a);
  let d = '';
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) d = `lengths ${a.length} and ${bb.length} differ at ${at}`;
    for (let i = 0; d === '' && i < a.length; i++) d = diff(a[i], bb[i], joinPath(path, String(i)), w);
  } else {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as object).sort();
    if (ka.join() !== kb.join()) d = `keys {${ka.join(', ')}} and {${kb.join(', ')}} differ at ${at}`;
    for (let i = 0; d === '' && i < ka.length; i++) {
      const k = ka[i];
      d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], joinPath(path, k), w);
    }
  }
  w.leave();
  return d;
}
