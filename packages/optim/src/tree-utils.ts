/**
 * Path prefixes and finiteness scans of trees (the tree walks themselves are core's `treeMapWithPath` and
 * `treeFlattenWithPath`).
 * @module
 */
import { Tensor, isTreeNode, joinPath } from '@natgrad/core';

/** True when `path` is `prefix` or lies under it (`""` covers everything). */
export function covers(prefix: string, path: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}.`);
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

/** The subtree of `tree` at a dotted path (own keys only; `""` is the tree), or undefined when there is none. */
export function subtreeAt(tree: unknown, path: string): unknown {
  if (path === '') return tree;
  let node = tree;
  for (const seg of path.split('.')) {
    if (!isTreeNode(node) || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
