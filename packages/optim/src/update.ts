/**
 * `setup` and `update`, the top-level pair (as in Optimisers.jl). States are immer-frozen: `update` returns a new
 * state and new parameters and leaves its inputs untouched, sharing every unchanged subtree.
 * @module
 */
import { NonFiniteError, ShapeError, Tensor, describeDiff, treeDefEqual, treeFlatten, treePaths, treeUnflatten } from '@natgrad/core';
import { freeze } from 'immer';
import { rootContext } from './context.js';
import { NonFiniteGradientError } from './errors.js';
import type { OptimiserEvent, Params, Rule } from './rule.js';

/** An optimiser: a rule, its state for a parameter tree, and the number of updates done. Immutable. */
export interface OptimiserState<S = unknown> {
  readonly rule: Rule<S>;
  readonly state: S;
  /** Number of updates applied so far. */
  readonly step: number;
  /** Events reported by the last update (backtracks, skipped steps, …). */
  readonly events: readonly OptimiserEvent[];
}

/** Initialises `rule` for `params` (`Optimisers.setup`). */
export function setup<S>(rule: Rule<S>, params: Params): OptimiserState<S> {
  checkParams(params, 'setup');
  return freeze({ rule, state: rule.init(params), step: 0, events: [] }, true) as OptimiserState<S>;
}

/**
 * One optimisation step (`Optimisers.update`): returns `[newState, newParams]` with `newParams = params − step`.
 * @throws {ShapeError} when `grads` does not match `params` (structure or shapes), naming the path.
 * @throws {NonFiniteGradientError} on a NaN/∞ gradient unless the rule handles it (`applyIfFinite`).
 * @throws {NonFiniteError} if the step would make a parameter non-finite. Nothing is changed when it throws.
 */
export function update<S>(opt: OptimiserState<S>, params: Params, grads: Params): [OptimiserState<S>, Params] {
  const [pLeaves, def] = checkParams(params, 'update');
  const [gLeaves, gDef] = treeFlatten<unknown>(grads);
  if (!treeDefEqual(def, gDef)) {
    throw new ShapeError(`update: gradient tree does not match the parameter tree (${describeDiff(params, grads)})`);
  }
  const paths = treePaths(params);
  gLeaves.forEach((g, i) => {
    if (!(g instanceof Tensor)) throw new ShapeError(`update: gradient "${paths[i]}" is not a Tensor`);
    if (g.shape.join() !== pLeaves[i].shape.join()) {
      throw new ShapeError(`update: gradient "${paths[i]}" has shape [${g.shape}], parameter has [${pLeaves[i].shape}]`);
    }
    if (!opt.rule.handlesNonFinite) {
      const d = g.data;
      for (let k = 0; k < d.length; k++) {
        if (d[k] - d[k] !== 0) throw new NonFiniteGradientError(paths[i], k, d[k], opt.step);
      }
    }
  });
  const events: OptimiserEvent[] = [];
  const [state, step] = opt.rule.apply(opt.state, params, grads, rootContext(opt.step, events));
  const sLeaves = treeFlatten<Tensor>(step)[0];
  const next = pLeaves.map((p, i) => {
    const b = sLeaves[i].data;
    let changed = false;
    for (let k = 0; k < b.length; k++) if (b[k] !== 0) changed = true;
    if (!changed) return p; // a zero step (frozen branch): share the old tensor
    const out = new Float64Array(p.size);
    const a = p.data;
    for (let k = 0; k < out.length; k++) {
      const v = a[k] - b[k];
      if (v - v !== 0) throw new NonFiniteError(`update ${opt.step}: parameter "${paths[i]}"`, k, v);
      out[k] = v;
    }
    return new Tensor(out, p.shape);
  });
  const newOpt = freeze({ rule: opt.rule, state, step: opt.step + 1, events }, true) as OptimiserState<S>;
  return [newOpt, freeze(treeUnflatten<Params>(def, next), true)];
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
