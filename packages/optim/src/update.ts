/**
 * `setup` and `update`, the top-level pair (as in Optimisers.jl). States are immer-frozen: `update` returns a new
 * state and new parameters and leaves its inputs untouched, sharing every unchanged subtree.
 * @module
 */
import { NonFiniteError, ShapeError, Tensor, describeDiff, treeDefEqual, treeFlatten, treePaths } from '@natgrad/core';
import { freeze } from 'immer';
import { rootContext } from './context.js';
import { NonFiniteGradientError } from './errors.js';
import type { OptimiserEvent, Params, Rule } from './rule.js';
import { covers, leavesByPath, maskTree, mapShared } from './tree-utils.js';

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

/** Initialises `rule` for `params` (`Optimisers.setup`); a partition with a label function is resolved here. */
export function setup<S>(rule: Rule<S>, params: Params): OptimiserState<S> {
  const [leaves] = checkParams(params, 'setup');
  const bound = rule.bind ? rule.bind(params) : rule;
  const layout: Record<string, readonly number[]> = {};
  treePaths(params).forEach((p, i) => {
    layout[p] = [...leaves[i].shape];
  });
  return freeze({ rule: bound, state: bound.init(params), step: 0, events: [], frozen: [], layout }, true) as OptimiserState<S>;
}

/**
 * One optimisation step (`Optimisers.update`): returns `[newState, newParams]` with `newParams = params − step`.
 * Parameters whose step is zero (frozen ones, accumulation micro-steps) are returned as the same tensor objects, and
 * any subtree with no change is the same object as before.
 * @throws {ShapeError} when `grads` does not match `params` (structure or shapes), naming the path.
 * @throws {NonFiniteGradientError} on a NaN/∞ gradient unless the rule handles it (`applyIfFinite`).
 * @throws {NonFiniteError} if the step would make a parameter non-finite. Nothing is changed when it throws.
 */
export function update<S, P extends Params = Params>(opt: OptimiserState<S>, params: P, grads: Params): [OptimiserState<S>, P] {
  const [pLeaves, def] = checkParams(params, 'update');
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
      const d = g.data;
      for (let k = 0; k < d.length; k++) {
        if (d[k] - d[k] !== 0) throw new NonFiniteGradientError(paths[i], k, d[k], opt.step);
      }
    }
  });
  // Frozen leaves are masked out (null): rules then neither step them nor touch their state.
  const keep = (path: string) => !isFrozen(path);
  const p = frozen.length === 0 ? params : maskTree(params, keep);
  const g = frozen.length === 0 ? grads : maskTree(grads, keep);
  const events: OptimiserEvent[] = [];
  const [state, step] = opt.rule.apply(opt.state, p, g, rootContext(opt.step, events));
  const steps = leavesByPath(step);
  const next = mapShared(params, (leaf, path) => {
    const s = steps.get(path);
    const x = leaf as Tensor;
    if (s === undefined || s === null) return x;
    if (s.shape.join() !== x.shape.join()) {
      throw new ShapeError(`update: rule ${opt.rule.name} returned a step of shape [${s.shape}] for "${path}" of shape [${x.shape}]`);
    }
    return subtract(x, s, path, opt.step);
  }) as Params;
  const newOpt = freeze({ ...opt, state, step: opt.step + 1, events }, true) as OptimiserState<S>;
  return [newOpt, freeze(next, true) as P];
}

/** `x − s` in one pass that also checks finiteness; returns `x` itself for an all-zero step. */
function subtract(x: Tensor, s: Tensor, path: string, step: number): Tensor {
  const a = x.data;
  const b = s.data;
  const out = new Float64Array(a.length);
  let changed = false;
  for (let k = 0; k < out.length; k++) {
    const bk = b[k];
    const v = a[k] - bk;
    if (v - v !== 0) throw new NonFiniteError(`update ${step}: parameter "${path}"`, k, v);
    if (bk !== 0) changed = true;
    out[k] = v;
  }
  return changed ? new Tensor(out, x.shape) : x;
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
  const [leaves, def] = treeFlatten<unknown>(params);
  const paths = treePaths(params);
  leaves.forEach((l, i) => {
    if (!(l instanceof Tensor)) {
      throw new ShapeError(`${where}: parameter "${paths[i]}" is not a concrete Tensor (got ${typeof l === 'object' ? (l as object).constructor?.name : typeof l})`);
    }
  });
  return [leaves as Tensor[], def];
}
