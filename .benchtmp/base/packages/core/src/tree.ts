/**
 * Pytrees: nested plain objects and arrays whose leaves are tensors (or anything that is not a plain object/array).
 * Transforms accept and return trees, optimisers keep state trees that mirror parameter trees. Object keys are
 * visited in sorted order, as in JAX, so two trees with the same keys have the same structure. Every number is its
 * own leaf here; the transforms (`jvp`, `grad`, …) read their arguments with one extra rule — a nested array of
 * numbers is one array leaf — see the core README.
 * @module
 */
import { ShapeError } from './errors.js';

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
  const out: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x === null || x === undefined) return;
    if (Array.isArray(x)) x.forEach((c, i) => walk(c, join(path, String(i))));
    else if (isTreeNode(x)) for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k], join(path, k));
    else out.push(path);
  };
  walk(tree, '');
  return out;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
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
      const d = describeDiff(a[i], bb[i], join(path, String(i)));
      if (d !== '') return d;
    }
    return '';
  }
  if (isTreeNode(a)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as object).sort();
    if (ka.join() !== kb.join()) return `keys {${ka.join(', ')}} and {${kb.join(', ')}} differ at ${at}`;
    for (const k of ka) {
      const d = describeDiff((a as any)[k], (b as any)[k], join(path, k));
      if (d !== '') return d;
    }
  }
  return '';
}
