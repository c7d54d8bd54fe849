/**
 * Rule paths: where a rule sits in a rule tree, by chain keys (`"Adam"`, `"Adam#2"`) and partition labels (`"q"`),
 * joined with dots; single-child wrappers (accumulate, applyIfFinite, NaturalGradient, …) add no segment, so a
 * wrapper and the rule it wraps share a path. `stepSizesOf`, `TrainState.stepSizes` and `adjust` address rules so.
 * @module
 */
import { joinPath } from '@natgrad/core';
import type { AnyRule } from './rule.js';

/** The rule path of child `i` of `rule` at `path`: its chain key or partition label; single-child wrappers add none. */
export function childPath(rule: AnyRule, i: number, path: string): string {
  const n = rule.children?.length ?? 0;
  const key = rule.childKeys?.[i] ?? (n === 1 ? '' : String(i));
  return joinPath(path, key);
}

/** Calls `visit` on every rule of the tree with its rule path, parents before children. */
export function walkRules(rule: AnyRule, visit: (rule: AnyRule, path: string) => void, path = '', depth = 0): void {
  if (depth > 64) return; // rule trees are shallow; this guards against a cyclic hand-written one
  visit(rule, path);
  (rule.children ?? []).forEach((c, i) => walkRules(c, visit, childPath(rule, i, path), depth + 1));
}
