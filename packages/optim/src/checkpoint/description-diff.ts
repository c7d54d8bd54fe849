/**
 * Comparing the rule description in a checkpoint with the description of the rule rebuilt from it. Factories read
 * only the keys they know, so equality is the generic check that every hyperparameter, option and child in the file
 * is one the rule has — `"bogus": 1` in Adam's hyperparameters, or an unknown NaturalGradient option, is refused.
 * @module
 */
import { isTreeNode } from '@natgrad/core';

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : typeof x;
}

function show(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Where two JSON values first differ, as `"<path>: <what>"`, or undefined when they are equal. `undefined` members
 * count as absent (JSON drops them); numbers compare by value (JSON cannot tell −0 from 0).
 */
export function jsonDifference(saved: unknown, rebuilt: unknown, path: string): string | undefined {
  if (typeof saved === 'number' && typeof rebuilt === 'number') {
    return saved === rebuilt ? undefined : `${path}: ${saved} in the file, but the rebuilt rule has ${rebuilt}`;
  }
  if (Array.isArray(saved) && Array.isArray(rebuilt)) {
    if (saved.length !== rebuilt.length) return `${path}: ${saved.length} entries in the file, the rebuilt rule has ${rebuilt.length}`;
    for (let i = 0; i < saved.length; i++) {
      const d = jsonDifference(saved[i], rebuilt[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isTreeNode(saved) && isTreeNode(rebuilt) && !Array.isArray(saved) && !Array.isArray(rebuilt)) {
    const a = saved as Record<string, unknown>;
    const b = rebuilt as Record<string, unknown>;
    const present = (o: Record<string, unknown>, k: string) => Object.hasOwn(o, k) && o[k] !== undefined;
    for (const k of Object.keys(a)) {
      if (!present(b, k) && a[k] !== undefined) return `${path}.${k}: not known to the rule (the file has ${show(a[k])}; the rule has no such entry)`;
    }
    for (const k of Object.keys(b)) {
      if (!present(a, k) && b[k] !== undefined) return `${path}.${k}: missing from the file (the rule has ${show(b[k])})`;
    }
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue;
      const d = jsonDifference(a[k], b[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (saved === rebuilt) return undefined;
  return kind(saved) === kind(rebuilt)
    ? `${path}: ${show(saved)} in the file, but the rebuilt rule has ${show(rebuilt)}`
    : `${path}: ${kind(saved)} in the file, but the rebuilt rule has ${kind(rebuilt)}`;
}
