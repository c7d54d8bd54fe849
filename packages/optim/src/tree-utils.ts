/**
 * Tree helpers for masking (partition branches, frozen subtrees) and for rebuilding trees while sharing every
 * unchanged node, so that an update leaves untouched subtrees `===` to the old ones.
 * @module
 */
import { Tensor, isTreeNode, treeFlatten, treePaths } from '@natgrad/core';
import { joinPath } from './leaf-rule.js';
import type { Params } from './rule.js';

/** True when `path` is `prefix` or lies under it (`""` covers everything). */
export function covers(prefix: string, path: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}.`);
}

/**
 * Rebuilds `tree` with each leaf replaced by `f(leaf, path)`; a node all of whose children come back identical is
 * returned as is (structural sharing). `null` leaves stay `null`.
 */
export function mapShared(tree: unknown, f: (leaf: unknown, path: string) => unknown, path = ''): unknown {
  if (tree === null || tree === undefined) return tree;
  if (Array.isArray(tree)) {
    let changed = false;
    const out = tree.map((c, i) => {
      const r = mapShared(c, f, joinPath(path, String(i)));
      if (r !== c) changed = true;
      return r;
    });
    return changed ? out : tree;
  }
  if (isTreeNode(tree)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(tree).sort()) {
      const c = (tree as Record<string, unknown>)[k];
      const r = mapShared(c, f, joinPath(path, k));
      if (r !== c) changed = true;
      out[k] = r;
    }
    return changed ? out : tree;
  }
  return f(tree, path);
}

/** `tree` with the leaves for which `keep(path)` is false replaced by `null` (the same object if none is). */
export function maskTree<T>(tree: T, keep: (path: string) => boolean): T {
  return mapShared(tree, (leaf, path) => (keep(path) ? leaf : null)) as T;
}

/** The (non-null) leaves of a tree by path. */
export function leavesByPath(tree: unknown): Map<string, Tensor> {
  const [leaves] = treeFlatten<Tensor>(tree);
  const paths = treePaths(tree);
  const m = new Map<string, Tensor>();
  leaves.forEach((l, i) => m.set(paths[i], l));
  return m;
}

/** A tree of the structure of `param` whose leaf at each path is `steps.get(path)` (or `null` where it has none). */
export function assemble(param: Params, steps: ReadonlyMap<string, Tensor>): Params {
  return mapShared(param, (_leaf, path) => steps.get(path) ?? null) as Params;
}

/** True when every element is finite (NaN and ±∞ fail). */
export function allFinite(d: Float64Array): boolean {
  return firstNonFiniteIndex(d) < 0;
}

/**
 * Index of the first NaN/±∞ in `d`, or −1. The common all-finite case is one branch-free pass (x·0 is 0 for a finite
 * x and NaN otherwise, and a sum of zeros is zero), unrolled by four; only a hit pays for a second pass to locate it.
 */
export function firstNonFiniteIndex(d: Float64Array): number {
  const n = d.length;
  let acc = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) acc += d[i] * 0 + d[i + 1] * 0 + d[i + 2] * 0 + d[i + 3] * 0;
  for (; i < n; i++) acc += d[i] * 0;
  if (acc === 0) return -1;
  for (let k = 0; k < n; k++) if (d[k] - d[k] !== 0) return k;
  return -1;
}

/** Where a state tree holds NaN or ±∞: its path (keys joined by dots), flat index and value. */
export interface NonFiniteEntry {
  readonly path: string;
  readonly index: number;
  readonly value: number;
}

/**
 * The first NaN/±∞ number or tensor element in `tree`, depth first, or undefined. Subtrees that are the same object
 * as in `previous` (the state before the update, already checked) are skipped, so a check after each update costs
 * only what the update changed.
 */
export function firstNonFinite(tree: unknown, previous?: unknown, path = ''): NonFiniteEntry | undefined {
  if (tree === previous) return undefined;
  if (typeof tree === 'number') return tree - tree === 0 ? undefined : { path, index: 0, value: tree };
  if (tree instanceof Tensor) {
    const i = firstNonFiniteIndex(tree.data);
    return i < 0 ? undefined : { path, index: i, value: tree.data[i] };
  }
  if (Array.isArray(tree)) {
    const prev = Array.isArray(previous) ? previous : undefined;
    for (let i = 0; i < tree.length; i++) {
      const hit = firstNonFinite(tree[i], prev?.[i], joinPath(path, String(i)));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (isTreeNode(tree)) {
    const prev = isTreeNode(previous) && !Array.isArray(previous) ? (previous as Record<string, unknown>) : undefined;
    for (const k of Object.keys(tree)) {
      const p = prev !== undefined && Object.hasOwn(prev, k) ? prev[k] : undefined;
      const hit = firstNonFinite((tree as Record<string, unknown>)[k], p, joinPath(path, k));
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
