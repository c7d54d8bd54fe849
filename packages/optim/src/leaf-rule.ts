/**
 * Most rules act on each tensor independently (Descent, Adam, …). `leafRule` turns the per-tensor math into a rule on
 * trees; the state is a record keyed by parameter path (`"q.mu"`, `"layers.0.w"`), which is also how checkpoints
 * store it.
 * @module
 */
import { ShapeError, type Tensor, treeFlatten, treePaths, treeUnflatten } from '@natgrad/core';
import { subContext } from './context.js';
import type { ApplyContext, Hyperparams, Params, Rule } from './rule.js';

/** Per-tensor state of a leaf rule: named tensors and numbers (e.g. `{ m, v, t }`). */
export type LeafState = Readonly<Record<string, Tensor | number>>;

/** State of a leaf rule on a tree: one {@link LeafState} per parameter path. */
export type LeafStates<S extends LeafState = LeafState> = Readonly<Record<string, S>>;

/** The per-tensor definition of a rule. */
export interface LeafRuleSpec<S extends LeafState> {
  readonly name: string;
  readonly hyperparams: Hyperparams;
  init(param: Tensor, hyperparams: Hyperparams): S;
  /** Returns the new state and the step for one tensor (the update is `param − step`). */
  apply(state: S, param: Tensor, grad: Tensor, hyperparams: Hyperparams, ctx: ApplyContext): readonly [S, Tensor];
}

/** Builds a tree rule from a per-tensor rule. */
export function leafRule<S extends LeafState>(spec: LeafRuleSpec<S>): Rule<LeafStates<S>> {
  return {
    name: spec.name,
    hyperparams: spec.hyperparams,
    init(param) {
      const [leaves] = treeFlatten<Tensor>(param);
      const paths = treePaths(param);
      const state: Record<string, S> = {};
      leaves.forEach((p, i) => {
        state[paths[i]] = spec.init(p, spec.hyperparams);
      });
      return state;
    },
    apply(state, param, grad, ctx) {
      const [pLeaves, def] = treeFlatten<Tensor>(param);
      const gLeaves = treeFlatten<Tensor>(grad)[0];
      const paths = treePaths(param);
      const next: Record<string, S> = {};
      const steps = pLeaves.map((p, i) => {
        const path = paths[i];
        const s = state[path];
        if (s === undefined) throw new ShapeError(`${spec.name}: no optimiser state for parameter "${path}"`);
        const [s2, step] = spec.apply(s, p, gLeaves[i], spec.hyperparams, subContext(ctx, path));
        next[path] = s2;
        return step;
      });
      return [next, treeUnflatten<Params>(def, steps)];
    },
  };
}

/** Joins two parameter paths with a dot. */
export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a}.${b}`;
}
