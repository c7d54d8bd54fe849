/** Structural sharing between consecutive snapshots. @module */
import { isTreeNode } from '@natgrad/core';
import { freeze } from 'immer';

/**
 * Returns `next` with every subtree that is unchanged from `prev` replaced by `prev`'s own object, so consecutive
 * snapshots share what did not change (`===`). A subtree is unchanged when it has the same shape (node kinds, keys)
 * and all its leaves are identical (`===`, or `Object.is` for numbers). Leaves are never compared by content, and
 * only frozen inner nodes of `prev` are reused (so a caller's mutable input is never adopted into a snapshot).
 * `next` must be frozen; new inner nodes that this creates are frozen too, and `next` itself is not modified.
 * @internal
 */
export function shareUnchanged<T>(prev: unknown, next: T): T {
  return share(prev, next) as T;
}

function share(prev: unknown, next: unknown): unknown {
  if (prev === next || Object.is(prev, next)) return prev;
  // Only frozen inner nodes are shared: a caller's own (mutable) initial parameters are never adopted.
  if (!isTreeNode(prev) || !isTreeNode(next) || !Object.isFrozen(prev)) return next;
  if (Array.isArray(prev) !== Array.isArray(next)) return next;
  if (Array.isArray(next)) {
    const p = prev as readonly unknown[];
    const shared = next.map((c, i) => (i < p.length ? share(p[i], c) : c));
    return rebuild(p.length === next.length && shared.every((c, i) => c === p[i]) ? prev : next, next, shared, null);
  }
  const p = prev as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  const keys = Object.keys(n);
  let sameKeys = keys.length === Object.keys(p).length;
  const shared = keys.map((k) => {
    if (!Object.prototype.hasOwnProperty.call(p, k)) {
      sameKeys = false;
      return n[k];
    }
    return share(p[k], n[k]);
  });
  const unchanged = sameKeys && shared.every((c, i) => c === p[keys[i]]);
  return rebuild(unchanged ? prev : next, next, shared, keys);
}

/** `candidate` if it is `prev` (all unchanged) or if no child was replaced; otherwise a frozen copy of `next`. */
function rebuild(candidate: unknown, next: unknown, shared: readonly unknown[], keys: readonly string[] | null): unknown {
  if (candidate !== next) return candidate;
  if (keys === null) {
    const arr = next as readonly unknown[];
    if (shared.every((c, i) => c === arr[i])) return next;
    return freeze(shared.slice(), false);
  }
  const obj = next as Record<string, unknown>;
  if (shared.every((c, i) => c === obj[keys[i]])) return next;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(obj) as object | null) as Record<string, unknown>;
  keys.forEach((k, i) => {
    out[k] = shared[i];
  });
  return freeze(out, false);
}
