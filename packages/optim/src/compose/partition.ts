/**
 * `partition`: a different rule for each labelled part of the parameter tree (Optax `partition`, Optimisers.jl
 * per-branch rules), e.g. natural-gradient steps for `q` and Adam for the kernel hyperparameters.
 * @module
 */
import { InvalidArgumentError, type Tensor, isTreeNode, treeFlatten, treePaths } from '@natgrad/core';
import { checkRule } from '../check-rule.js';
import { checkKey, checkTreeKeys } from '../keys.js';
import { joinPath } from '../leaf-rule.js';
import type { AnyRule, JsonValue, Params, Rule } from '../rule.js';
import { assemble, leavesByPath, mapShared, maskTree } from '../tree-utils.js';

/**
 * Labels as a tree-prefix of the parameters: a string on a node labels its whole subtree, e.g.
 * `{ q: 'natural', kernel: 'adam', noise: 'adam' }`; nested objects/arrays refine it.
 */
export type LabelTree = string | readonly LabelTree[] | { readonly [key: string]: LabelTree };

/** Labels given as a function of the leaf's path (`"q.mu"`, `"layers.0.w"`). Resolved into a tree at `setup`. */
export type LabelFn = (path: string) => string;

/** Finds the label of the leaf at `path` in a tree-prefix, or undefined. */
export function labelAt(labels: LabelTree, path: string): string | undefined {
  let node: LabelTree | undefined = labels;
  const segments = path === '' ? [] : path.split('.');
  for (const seg of segments) {
    if (typeof node === 'string') return node;
    if (node === undefined || node === null) return undefined;
    // Own keys only (array indices are own keys too): a path never reads through a prototype.
    node = Object.hasOwn(node, seg) ? (node as Record<string, LabelTree>)[seg] : undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * `partition({ label: rule, … }, labels)`: applies each rule to the leaves carrying its label. Each rule sees the
 * whole parameter tree with the other labels' leaves masked out (`null`), so its state keeps full parameter paths.
 * The state is a record keyed by label.
 * @param labels a tree-prefix of the parameters ({@link LabelTree}) or a function of the leaf path
 * @throws {InvalidArgumentError} for a value of `rules` that is not a rule or labels that are not a label tree or
 * function, and at `setup` when a leaf has no label or a label has no rule; {@link InvalidKeyError} for a label
 * (or label-tree key) that is empty, contains a `.` or names a prototype
 */
export function partition(rules: Readonly<Record<string, AnyRule>>, labels: LabelTree | LabelFn): Rule<Readonly<Record<string, unknown>>> {
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw new InvalidArgumentError('partition: rules must be an object { label: rule, … }');
  }
  const branches = Object.keys(rules).sort();
  if (branches.length === 0) throw new InvalidArgumentError('partition: no rules given');
  for (const b of branches) {
    checkKey('partition: label', b, '');
    checkRule(`partition: rules.${b}`, rules[b]);
  }
  if (typeof labels !== 'function') {
    if (!isLabelTree(labels)) throw new InvalidArgumentError('partition: labels must be a label tree (strings in nested objects/arrays) or a function of the leaf path');
    checkTreeKeys('partition: labels', labels);
  }
  const children = branches.map((b) => rules[b]);
  const labelOf = (path: string): string => {
    const l = typeof labels === 'function' ? labels(path) : labelAt(labels, path);
    if (l === undefined) throw new InvalidArgumentError(`partition: parameter "${path}" has no label`);
    if (typeof l !== 'string') throw new InvalidArgumentError(`partition: the label function returned ${typeof l} for "${path}", not a label string`);
    if (!Object.hasOwn(rules, l)) {
      throw new InvalidArgumentError(`partition: parameter "${path}" has label "${l}", which has no rule (rules: ${branches.join(', ')})`);
    }
    return l;
  };
  const branch = (param: unknown, label: string) => maskTree(param, (path) => labelOf(path) === label);
  const rule: Rule<Readonly<Record<string, unknown>>> = {
    name: 'Partition',
    hyperparams: {},
    // A label function cannot be written to JSON: `bind` (called by setup) replaces it with the label tree it gives.
    options: typeof labels === 'function' ? undefined : { labels: labels as JsonValue, branches },
    children,
    childKeys: branches,
    handlesNonFinite: children.some((r) => r.handlesNonFinite === true),
    ...(children.some((r) => r.terminal === true) ? { terminal: true } : {}),
    bind(param) {
      const tree = typeof labels === 'function' ? (mapShared(param, (_l, path) => labelOf(path)) as LabelTree) : labels;
      const bound: Record<string, AnyRule> = {};
      let same = typeof labels !== 'function';
      for (const b of branches) {
        const r = rules[b];
        bound[b] = r.bind ? r.bind(branch(param, b) as Params) : r;
        if (bound[b] !== r) same = false;
      }
      return same ? rule : partition(bound, tree);
    },
    init(param) {
      // Every leaf must have a valid label: checked here so that a typo fails at setup, not at the first update.
      treePaths(param).forEach(labelOf);
      const s: Record<string, unknown> = {};
      for (const b of branches) s[b] = rules[b].init(branch(param, b) as Params);
      return s;
    },
    apply(state, param, grad, ctx) {
      const next: Record<string, unknown> = {};
      const steps = new Map<string, Tensor>();
      for (const b of branches) {
        const p = branch(param, b) as Params;
        if (treeFlatten(p)[0].length === 0) {
          next[b] = state[b]; // nothing of this branch to update (all frozen): keep its state object
          continue;
        }
        const [s, step] = rules[b].apply(state[b], p, branch(grad, b) as Params, ctx);
        next[b] = s;
        for (const [path, t] of leavesByPath(step)) steps.set(path, t);
      }
      return [next, assemble(param, steps)];
    },
    checkState(state, where) {
      for (const b of branches) rules[b].checkState?.(state[b], joinPath(where, b));
    },
  };
  return rule;
}

/** True for a label tree node (used by the checkpoint schema). */
export function isLabelTree(x: unknown, depth = 0): x is LabelTree {
  if (typeof x === 'string') return true;
  if (depth > 256) return false;
  if (Array.isArray(x)) return x.every((c) => isLabelTree(c, depth + 1));
  return isTreeNode(x) && Object.values(x).every((c) => isLabelTree(c, depth + 1));
}
