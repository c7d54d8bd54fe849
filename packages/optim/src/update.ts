/**
 * `setup` and `update`, the top-level pair (as in Optimisers.jl). States are immer-frozen: `update` returns a new
 * state and new parameters and leaves its inputs untouched, sharing every unchanged subtree.
 * @module
 */
import { NonFiniteError, ShapeError, Tensor, describeDiff, treeDefEqual, treeFlatten, treePaths } from '@natgrad/core';
import { freeze } from 'immer';
import { checkOptimiserState, checkRule } from './check-rule.js';
import { rootContext } from './context.js';
import { NonFiniteGradientError, NonFiniteStateError } from './errors.js';
import { checkTreeKeys } from './keys.js';
import type { OptimiserEvent, Params, ParamsLike, Rule } from './rule.js';
import { subtractStep } from './step.js';
import { covers, firstNonFinite, firstNonFiniteIndex, leavesByPath, maskTree, mapShared } from './tree-utils.js';

/** An optimiser: a rule, its state for a parameter tree, and the number of updates done. Immutable. */
export interface OptimiserState<S = unknown> {
  /** The rule being applied (immutable; shared between states). */
  readonly rule: Rule<S>;
  /** The rule's state (for leaf rules: moments and counters by parameter path), deeply frozen. */
  readonly state: S;
  /** Number of updates applied so far. */
  readonly step: number;
  /** Events reported by the last update (backtracks, skipped steps, …). */
  readonly events: readonly OptimiserEvent[];
  /**
   * Extension: parameter paths frozen by `freeze` (a path covers its subtree). Frozen parameters get zero steps and
   * their rule state is kept as it was, so `thaw` resumes it. Absent means none.
   */
  readonly frozen?: readonly string[];
  /**
   * Extension: the parameter layout `setup` saw (shape by path). `update` checks the parameters against it, and a
   * checkpoint records it so that `load` can validate the state without the parameters at hand.
   */
  readonly layout?: Readonly<Record<string, readonly number[]>>;
}

/**
 * Initialises `rule` for `params` (`Optimisers.setup`); a partition with a label function is resolved here.
 * @throws {InvalidArgumentError} when `rule` is not a rule
 * @throws {ShapeError} for a leaf that is not a concrete Tensor; {@link InvalidKeyError} for a key that is empty,
 * contains a `.` or names a prototype (`__proto__`, `constructor`, `prototype`)
 * @throws {NonFiniteStateError} if the rule's initial state is not finite
 */
export function setup<S, P extends ParamsLike<P> = Params>(rule: Rule<S>, params: P): OptimiserState<S> {
  checkRule('setup: rule', rule);
  const tree = params as Params;
  const [leaves] = checkParams(tree, 'setup');
  const bound = rule.bind ? rule.bind(tree) : rule;
  const layout: Record<string, readonly number[]> = {};
  treePaths(tree).forEach((p, i) => {
    layout[p] = [...leaves[i].shape];
  });
  const state = bound.init(tree);
  const bad = firstNonFinite(state);
  if (bad !== undefined) throw new NonFiniteStateError(0, bound.name, bad.path, bad.index, bad.value);
  return freeze({ rule: bound, state, step: 0, events: [], frozen: [], layout }, true) as OptimiserState<S>;
}

/**
 * One optimisation step (`Optimisers.update`): returns `[newState, newParams]` with `newParams = params − step`.
 * Parameters whose step is zero (frozen ones, accumulation micro-steps) are returned as the same tensor objects, and
 * any subtree with no change is the same object as before.
 * @throws {ShapeError} when `grads` does not match `params` (structure or shapes), naming the path.
 * @throws {NonFiniteGradientError} on a NaN/∞ gradient unless the rule handles it (`applyIfFinite`).
 * @throws {NonFiniteError} if the step would make a parameter non-finite.
 * @throws {NonFiniteStateError} if the rule's new state holds NaN/±∞ (Adam's moments of a gradient of 1e200).
 * Nothing is changed when it throws.
 */
export function update<S, P extends ParamsLike<P> = Params>(opt: OptimiserState<S>, params: P, grads: ParamsLike<P>): [OptimiserState<S>, P] {
  checkOptimiserState('update: opt', opt);
  const [pLeaves, def] = checkParams(params as Params, 'update');
  if (grads === null || grads === undefined) throw new ShapeError('update: grads is missing (a tree of tensors with the structure of params)');
  const [gLeaves, gDef] = treeFlatten<unknown>(grads);
  if (!treeDefEqual(def, gDef)) {
    throw new ShapeError(`update: gradient tree does not match the parameter tree (${describeDiff(params, grads)})`);
  }
  const paths = treePaths(params);
  checkLayout(opt.layout, paths, pLeaves);
  const frozen = opt.frozen ?? [];
  for (const f of frozen) {
    if (!paths.some((p) => covers(f, p))) throw new ShapeError(`update: frozen path "${f}" matches no parameter`);
  }
  const isFrozen = (path: string) => frozen.some((f) => covers(f, path));
  gLeaves.forEach((g, i) => {
    if (!(g instanceof Tensor)) throw new ShapeError(`update: gradient "${paths[i]}" is not a Tensor`);
    if (g.shape.join() !== pLeaves[i].shape.join()) {
      throw new ShapeError(`update: gradient "${paths[i]}" has shape [${g.shape}], parameter has [${pLeaves[i].shape}]`);
    }
    if (!opt.rule.handlesNonFinite && !isFrozen(paths[i])) {
      const k = firstNonFiniteIndex(g.data);
      if (k >= 0) throw new NonFiniteGradientError(paths[i], k, g.data[k], opt.step);
    }
  });
  // Frozen leaves are masked out (null): rules then neither step them nor touch their state.
  const keep = (path: string) => !isFrozen(path);
  const p = frozen.length === 0 ? params : maskTree(params, keep);
  const g = frozen.length === 0 ? grads : maskTree(grads, keep);
  const events: OptimiserEvent[] = [];
  const [state, step] = opt.rule.apply(opt.state, p as Params, g as Params, rootContext(opt.step, events));
  const bad = firstNonFinite(state, opt.state);
  if (bad !== undefined) throw new NonFiniteStateError(opt.step, opt.rule.name, bad.path, bad.index, bad.value);
  const steps = leavesByPath(step);
  const next = mapShared(params, (leaf, path) => {
    const s = steps.get(path);
    const x = leaf as Tensor;
    if (s === undefined || s === null) return x;
    if (!(s instanceof Tensor) || s.shape.join() !== x.shape.join()) {
      const got = s instanceof Tensor ? `a step of shape [${s.shape}]` : `a ${typeof s} as the step`;
      throw new ShapeError(`update: rule ${opt.rule.name} returned ${got} for "${path}" of shape [${x.shape}]`);
    }
    const out = subtractStep(x, s);
    const k = firstNonFiniteIndex(out.data);
    if (k >= 0) throw new NonFiniteError(`update ${opt.step}: parameter "${path}"`, k, out.data[k]);
    return out;
  }) as Params;
  const newOpt = freeze({ ...opt, state, step: opt.step + 1, events }, true) as OptimiserState<S>;
  return [newOpt, freeze(next, true) as P];
}

function checkLayout(layout: OptimiserState['layout'], paths: readonly string[], leaves: readonly Tensor[]): void {
  if (layout === undefined) return;
  const n = Object.keys(layout).length;
  paths.forEach((p, i) => {
    const shape = Object.hasOwn(layout, p) ? layout[p] : undefined;
    if (shape === undefined) throw new ShapeError(`update: parameter "${p}" was not in the tree the optimiser was set up for`);
    if (shape.join() !== leaves[i].shape.join()) {
      throw new ShapeError(`update: parameter "${p}" has shape [${leaves[i].shape}], the optimiser was set up for [${shape}]`);
    }
  });
  if (n !== paths.length) {
    const missing = Object.keys(layout).filter((p) => !paths.includes(p));
    throw new ShapeError(`update: parameters missing compared with setup: ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
}

function checkParams(params: Params, where: string): [Tensor[], ReturnType<typeof treeFlatten>[1]] {
  checkTreeKeys(`${where}: parameters`, params);
  const [leaves, def] = treeFlatten<unknown>(params);
  const paths = treePaths(params);
  leaves.forEach((l, i) => {
    if (!(l instanceof Tensor)) {
      throw new ShapeError(`${where}: parameter "${paths[i]}" is not a concrete Tensor (got ${typeof l === 'object' ? (l as object).constructor?.name : typeof l})`);
    }
  });
  return [leaves as Tensor[], def];
}
