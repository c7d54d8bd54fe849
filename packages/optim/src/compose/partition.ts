/**
 * `partition`: a different rule for each labelled part of the parameter tree (Optax `partition`, Optimisers.jl
 * per-branch rules), e.g. natural-gradient steps for `q` and Adam for the kernel hyperparameters.
 * @module
 */
import { InvalidArgumentError, isTreeNode, joinPath, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { checkRule } from '../check-rule.js';
import type { RuleImpl, RuleValues } from '../definition.js';
import { defineTreeRule } from '../define-tree-rule.js';
import { checkKey, checkTreeKeys, nullRecord } from '../keys.js';
import type { AnyRule, JsonValue, Params, Rule } from '../rule.js';

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

/** True for a label tree node. */
export function isLabelTree(x: unknown, depth = 0): x is LabelTree {
  if (typeof x === 'string') return true;
  if (depth > 256) return false;
  if (Array.isArray(x)) return x.every((c) => isLabelTree(c, depth + 1));
  return isTreeNode(x) && Object.values(x).every((c) => isLabelTree(c, depth + 1));
}

function branchNames(rules: Readonly<Record<string, AnyRule>>): string[] {
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw new InvalidArgumentError('partition: rules must be an object { label: rule, … }');
  }
  const branches = Object.keys(rules).sort();
  if (branches.length === 0) throw new InvalidArgumentError('partition: no rules given');
  for (const b of branches) checkKey('partition: label', b, '');
  return branches;
}

/**
 * `partition({ label: rule, … }, labels)`: applies each rule to the leaves carrying its label. Each rule sees the
 * whole parameter tree with the other labels' leaves masked out (`null`), so its state keeps full parameter paths.
 * The state is a record keyed by label. Labels given as a function are resolved into a label tree by `setup` (until
 * then the rule describes its labels as `null`).
 * @throws {InvalidArgumentError} for a value of `rules` that is not a rule or labels that are not a label tree or
 * function, and at `setup` when a leaf has no label or a label has no rule; {@link InvalidKeyError} for a label
 * (or label-tree key) that is empty, contains a `.` or names a prototype
 */
export const partition = defineTreeRule({
  name: 'Partition',
  options: { labels: undefined, branches: undefined },
  children: 'any',
  args: (rules: Readonly<Record<string, AnyRule>>, labels: LabelTree | LabelFn) => {
    const branches = branchNames(rules);
    const children = branches.map((b) => checkRule(`partition: rules.${b}`, rules[b]));
    if (typeof labels === 'function') return { options: { labels: null, branches }, children, extras: labels };
    return { options: { labels: labels as JsonValue, branches }, children };
  },
  create: (values) => partitionImpl(values),
});

type State = Readonly<Record<string, unknown>>;

function partitionImpl(values: RuleValues): RuleImpl<State> {
  const { labels: labelTree, branches } = values.options;
  const children = values.children;
  const fn = typeof values.extras === 'function' ? (values.extras as LabelFn) : undefined;
  if (fn === undefined && !isLabelTree(labelTree)) throw new InvalidArgumentError('partition: labels must be a label tree (strings in nested objects/arrays) or a function of the leaf path');
  if (fn === undefined) checkTreeKeys('partition: labels', labelTree);
  if (!Array.isArray(branches) || branches.length !== children.length || !branches.every((b) => typeof b === 'string')) {
    throw new InvalidArgumentError(`partition: options.branches must name the ${children.length} child rule(s)`);
  }
  // Branch names may come from a file: a null-prototype record, so even "__proto__" is only ever an own key (which
  // checkKey then refuses as a label).
  const rules = nullRecord<AnyRule>();
  (branches as string[]).forEach((b, i) => {
    checkKey('partition: label', b, '');
    if (Object.hasOwn(rules, b)) throw new InvalidArgumentError(`partition: label "${b}" is given twice`);
    rules[b] = checkRule(`partition: rules.${b}`, children[i]);
  });
  const names = branches as string[];
  const labelOf = (path: string): string => {
    const l = fn !== undefined ? fn(path) : labelAt(labelTree as LabelTree, path);
    if (l === undefined) throw new InvalidArgumentError(`partition: parameter "${path}" has no label`);
    if (typeof l !== 'string') throw new InvalidArgumentError(`partition: the label function returned ${typeof l} for "${path}", not a label string`);
    if (!Object.hasOwn(rules, l)) {
      throw new InvalidArgumentError(`partition: parameter "${path}" has label "${l}", which has no rule (rules: ${names.join(', ')})`);
    }
    return l;
  };
  const branch = (tree: unknown, label: string) => treeMapWithPath((path: string, x: unknown) => (labelOf(path) === label ? x : null), tree) as Params;
  return {
    childKeys: names,
    handlesNonFinite: children.some((r) => r.handlesNonFinite === true),
    ...(children.some((r) => r.terminal === true) ? { terminal: true } : {}),
    bind(this: Rule<State>, param) {
      const tree = fn !== undefined ? (treeMapWithPath((path: string) => labelOf(path), param) as JsonValue) : (labelTree as JsonValue);
      const bound = children.map((r, i) => (r.bind ? r.bind(branch(param, names[i])) : r));
      if (fn === undefined && bound.every((b, i) => b === children[i])) return this;
      return partition.definition.create({ hyperparams: {}, options: { labels: tree, branches: names }, children: bound }) as Rule<State>;
    },
    init(param) {
      // Every leaf must have a valid label: checked here so that a typo fails at setup, not at the first update.
      for (const [path] of treeFlattenWithPath(param)[0]) labelOf(path);
      const s: Record<string, unknown> = {};
      names.forEach((b, i) => {
        s[b] = children[i].init(branch(param, b));
      });
      return s;
    },
    apply(state, param, grad, ctx) {
      const next: Record<string, unknown> = {};
      const steps: Params[] = [];
      names.forEach((b, i) => {
        const p = branch(param, b);
        if (treeFlattenWithPath(p)[0].length === 0) {
          next[b] = state[b]; // nothing of this branch to update (all frozen): keep its state object
          return;
        }
        const [s, step] = children[i].apply(state[b], p, branch(grad, b), ctx);
        next[b] = s;
        steps.push(step);
      });
      // Each leaf's step comes from the one branch that has it (the others hold null there).
      const step = treeMapWithPath((_path: string, _x: unknown, ...branchSteps: unknown[]) => branchSteps.find((s) => s !== null && s !== undefined) ?? null, param, ...steps);
      return [next, step as Params];
    },
    checkState(state, where) {
      names.forEach((b, i) => children[i].checkState?.(state[b], joinPath(where, b)));
    },
  };
}
