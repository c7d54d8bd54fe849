/**
 * Keys that become object keys or path segments: parameter-tree keys, partition labels, chain keys, checkpoint paths.
 * Paths join keys with dots and every state record is keyed by them, so a key must be non-empty, dot-free, and never
 * a name that reaches a prototype when used as a property name. Records built from untrusted keys are
 * null-prototype objects, so even a key that slipped through could not walk into `Object.prototype`.
 * @module
 */
import { isTreeNode } from '@natgrad/core';
import { InvalidKeyError } from './errors.js';

/** Property names that reach a prototype (`o.__proto__`, `o.constructor.prototype`): never accepted as keys. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `key` cannot be a tree key or path segment, or undefined when it can. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'keys are strings';
  if (key === '') return 'keys must be non-empty';
  if (key.includes('.')) return 'paths join keys with ".", so a key cannot contain one';
  if (FORBIDDEN_KEYS.has(key)) return 'it reaches an object prototype';
  return undefined;
}

/**
 * Checks one key of the node at `path`.
 * @throws {InvalidKeyError} naming `where`, the key and the path
 */
export function checkKey(where: string, key: string, path: string): string {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new InvalidKeyError(where, key, path, problem);
  return key;
}

/**
 * Checks every object key of a tree (arrays are indexed, so only object keys are checked), depth first.
 * @throws {InvalidKeyError} at the first bad key
 */
export function checkTreeKeys(where: string, tree: unknown, path = '', depth = 0): void {
  if (depth > MAX_TREE_DEPTH) throw new InvalidKeyError(where, '', path, `trees are at most ${MAX_TREE_DEPTH} levels deep`);
  if (Array.isArray(tree)) {
    tree.forEach((c, i) => checkTreeKeys(where, c, path === '' ? String(i) : `${path}.${i}`, depth + 1));
  } else if (isTreeNode(tree)) {
    for (const k of Object.keys(tree)) {
      checkKey(where, k, path);
      checkTreeKeys(where, (tree as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`, depth + 1);
    }
  }
}

/** Deepest tree accepted (guards the recursive walks against a hostile or cyclic structure). */
export const MAX_TREE_DEPTH = 256;

/**
 * The segments of a dotted path (`""` is the root: no segments), each checked with {@link checkKey}.
 * @throws {InvalidKeyError} for an empty segment (`"a..b"`) or a forbidden one
 */
export function pathSegments(where: string, path: string): string[] {
  if (path === '') return [];
  const segs = path.split('.');
  segs.forEach((s, i) => checkKey(where, s, segs.slice(0, i).join('.')));
  return segs;
}

/** A fresh record with no prototype: a key can only ever name its own properties. */
export function nullRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
