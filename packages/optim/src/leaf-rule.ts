/**
 * The tree half of a rule that acts on each tensor on its own (Descent, Adam, …; see `defineRule`): its state is a
 * record keyed by parameter path (`"q.mu"`, `"layers.0.w"`), which is also how checkpoints store it. Masked leaves
 * (`null` parameters) and missing gradients (`null` gradients) get a `null` step and keep their state.
 * @module
 */
import { InvalidArgumentError, ShapeError, Tensor, joinPath, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { subContext } from './context.js';
import { type Domain, REAL, checkDomain } from './domain.js';
import type { ApplyContext, Params, Rule } from './rule.js';

/** Per-tensor state of a rule made by `defineRule`: named tensors and numbers (e.g. `{ m, v, beta1t }`). */
export type LeafState = Readonly<Record<string, Tensor | number>>;

/** State of such a rule on a tree: one {@link LeafState} per parameter path. */
export type LeafStates<S extends LeafState = LeafState> = Readonly<Record<string, S>>;

/** The per-tensor functions, with the hyperparameters (and options) in force at the update, `h`. @internal */
export interface LeafFunctions<S extends LeafState, H> {
  readonly name: string;
  readonly domain: Readonly<Record<string, Domain>>;
  /** `h` at a context (schedules evaluated at the schedule step). */
  at(ctx: ApplyContext | undefined): H;
  init(param: Tensor, h: H): S;
  apply(state: S, param: Tensor, grad: Tensor, h: H, ctx: ApplyContext): readonly [S, Tensor];
}

/** Returns `s` if it is a per-tensor state (a plain object of numbers and tensors), else a typed error naming `fn`. */
function checkLeafState<S extends LeafState>(rule: string, fn: string, s: unknown, path: string): S {
  const proto = s !== null && typeof s === 'object' ? Object.getPrototypeOf(s) : undefined;
  const ok = (proto === Object.prototype || proto === null) && Object.values(s as object).every((v) => typeof v === 'number' || v instanceof Tensor);
  if (!ok) throw new InvalidArgumentError(`${rule}: ${fn} must return a state object of numbers and tensors (e.g. { m: Tensor }), for parameter "${path}"`);
  return s as S;
}

/** `init`, `apply` and `checkState` on trees for per-tensor functions. @internal */
export function leafTree<S extends LeafState, H>(f: LeafFunctions<S, H>): Pick<Rule<LeafStates<S>>, 'init' | 'apply' | 'checkState'> {
  return {
    init(param) {
      const h = f.at(undefined);
      const state: Record<string, S> = {};
      for (const [path, p] of treeFlattenWithPath<Tensor>(param)[0]) state[path] = checkLeafState(f.name, 'init', f.init(p, h), path);
      return state;
    },
    apply(state, param, grad, ctx) {
      const h = f.at(ctx);
      let next: Record<string, S> | undefined;
      const step = treeMapWithPath(
        (path: string, p: Tensor, g: Tensor | null | undefined) => {
          if (g === null || g === undefined) return null; // no gradient this step: no step, state kept
          const s = Object.hasOwn(state, path) ? state[path] : undefined;
          if (s === undefined) throw new ShapeError(`${f.name}: no optimiser state for parameter "${path}"`);
          const result: unknown = f.apply(s, p, g, h, subContext(ctx, path));
          if (!Array.isArray(result) || result.length !== 2 || !(result[1] instanceof Tensor)) {
            throw new InvalidArgumentError(`${f.name}: apply must return [state, step] with the step a Tensor, for parameter "${path}"`);
          }
          const s2 = checkLeafState(f.name, 'apply', result[0], path) as S;
          const out = result[1];
          // Start from the old record so that masked (frozen) leaves keep their state.
          (next ??= { ...state })[path] = s2;
          return out;
        },
        param,
        grad,
      ) as Params;
      return [next ?? state, step];
    },
    checkState(state, where) {
      for (const [path, s] of Object.entries(state)) {
        for (const [field, value] of Object.entries(s)) {
          checkDomain(joinPath(where, `${path}.${field}`), value, Object.hasOwn(f.domain, field) ? f.domain[field] : REAL);
        }
      }
    },
  };
}
