/**
 * `setup` and `update`, the top-level pair (as in Optimisers.jl). States are deeply frozen: `update` returns a new
 * state and new parameters and leaves its inputs untouched, sharing every unchanged subtree.
 * @module
 */
import { NonFiniteError, ShapeError, Tensor, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { freeze } from 'immer';
import { checkOptimiserState, checkRule } from './check-rule.js';
import { rootContext } from './context.js';
import { NonFiniteGradientError, NonFiniteStateError } from './errors.js';
import { checkTreeKeys } from './keys.js';
import type { Gradients, OptimiserEvent, Params, ParamsLike, Rule } from './rule.js';
import { subtractStep } from './step.js';
import { covers, firstNonFinite, firstNonFiniteIndex } from './tree-utils.js';

/** An optimiser: a rule, its state for a parameter tree, and the number of updates done. Immutable. */
export interface OptimiserState<S = unknown> {
  /** The rule being applied (immutable; shared between states). */
  readonly rule: Rule<S>;
  /** The rule's state (for per-tensor rules: moments and counters by parameter path), deeply frozen. */
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
  const leaves = checkParams(tree, 'setup');
  const bound = rule.bind ? rule.bind(tree) : rule;
  const layout: Record<string, readonly number[]> = {};
  for (const [p, x] of leaves) layout[p] = [...x.shape];
  const state = bound.init(tree);
  const bad = firstNonFinite(state);
  if (bad !== undefined) throw new NonFiniteStateError(0, bound.name, bad.path, bad.index, bad.value);
  return freeze({ rule: bound, state, step: 0, events: [], frozen: [], layout }, true) as OptimiserState<S>;
}

/**
 * One optimisation step (`Optimisers.update`): returns `[newState, newParams]` with `newParams = params − step`.
 * A `null` or `undefined` gradient — a leaf, or a whole subtree — means "no gradient this step" (Optimisers.jl
 * `nothing`): those parameters and their rule state stay exactly as they are, through every rule and composite.
 * Parameters whose step is zero (frozen ones, missing gradients, accumulation micro-steps) are returned as the same
 * tensor objects, and any subtree with no change is the same object as before.
 * @throws {ShapeError} when `grads` does not match `params` (structure or shapes), naming the path.
 * @throws {NonFiniteGradientError} on a NaN/∞ gradient unless the rule handles it (`applyIfFinite`).
 * @throws {NonFiniteError} if the step would make a parameter non-finite.
 * @throws {NonFiniteStateError} if the rule's new state holds NaN/±∞ (Adam's moments of a gradient of 1e200).
 * Nothing is changed when it throws.
 */
export function update<S, P extends ParamsLike<P> = Params>(opt: OptimiserState<S>, params: P, grads: Gradients<P>): [OptimiserState<S>, P] {
  checkOptimiserState('update: opt', opt);
  const leaves = checkParams(params as Params, 'update');
  if (grads === null || grads === undefined) throw new ShapeError('update: grads is missing (a tree of tensors with the structure of params)');
  checkLayout(opt.layout, leaves);
  const frozen = opt.frozen ?? [];
  for (const f of frozen) {
    if (!leaves.some(([p]) => covers(f, p))) throw new ShapeError(`update: frozen path "${f}" matches no parameter`);
  }
  const isFrozen = (path: string) => frozen.length > 0 && frozen.some((f) => covers(f, path));
  let masked = frozen.length > 0;
  structured('gradient tree does not match the parameter tree', () => treeMapWithPath(
    (path: string, x: Tensor, g: unknown) => {
      if (g === null || g === undefined) {
        masked = true;
        return x;
      }
      if (!(g instanceof Tensor)) throw new ShapeError(`update: gradient "${path}" is not a Tensor (or null for no gradient)`);
      if (g.shape.join() !== x.shape.join()) throw new ShapeError(`update: gradient "${path}" has shape [${g.shape}], parameter has [${x.shape}]`);
      if (!opt.rule.handlesNonFinite && !isFrozen(path)) {
        const k = firstNonFiniteIndex(g.data);
        if (k >= 0) throw new NonFiniteGradientError(path, k, g.data[k], opt.step);
      }
      return x;
    },
    params,
    grads,
  ));
  // Frozen leaves and leaves without a gradient are masked out (null): rules then neither step them nor touch their
  // state.
  const keep = (path: string, g: unknown) => g !== null && g !== undefined && !isFrozen(path);
  const p = masked ? treeMapWithPath((path: string, x: unknown, g: unknown) => (keep(path, g) ? x : null), params, grads) : params;
  const g = masked ? treeMapWithPath((path: string, x: unknown) => (isFrozen(path) ? null : x), grads) : grads;
  const events: OptimiserEvent[] = [];
  const [state, step] = opt.rule.apply(opt.state, p as Params, g as Params, rootContext(opt.step, events));
  const bad = firstNonFinite(state, opt.state);
  if (bad !== undefined) throw new NonFiniteStateError(opt.step, opt.rule.name, bad.path, bad.index, bad.value);
  const next = structured(`rule ${opt.rule.name} returned a step whose structure differs from the parameters'`, () => treeMapWithPath(
    (path: string, x: Tensor, s: unknown) => {
      if (s === undefined || s === null) return x;
      if (!(s instanceof Tensor) || s.shape.join() !== x.shape.join()) {
        const got = s instanceof Tensor ? `a step of shape [${s.shape}]` : `a ${typeof s} as the step`;
        throw new ShapeError(`update: rule ${opt.rule.name} returned ${got} for "${path}" of shape [${x.shape}]`);
      }
      const out = subtractStep(x, s);
      const k = firstNonFiniteIndex(out.data);
      if (k >= 0) throw new NonFiniteError(`update ${opt.step}: parameter "${path}"`, k, out.data[k]);
      return out;
    },
    params,
    step,
  )) as Params;
  const newOpt = freeze({ ...opt, state, step: opt.step + 1, events }, true) as OptimiserState<S>;
  return [newOpt, freeze(next, true) as P];
}

/** Runs a tree walk; a structure mismatch it finds becomes a ShapeError of update saying `what`. */
function structured<T>(what: string, walk: () => T): T {
  try {
    return walk();
  } catch (e) {
    const detail = e instanceof ShapeError ? /^treeMapWithPath: tree 1 does not match tree 0 \((.*)\)$/.exec(e.message) : null;
    if (detail !== null) throw new ShapeError(`update: ${what} (${detail[1]})`);
    throw e;
  }
}

function checkLayout(layout: OptimiserState['layout'], leaves: readonly (readonly [string, Tensor])[]): void {
  if (layout === undefined) return;
  const n = Object.keys(layout).length;
  for (const [p, x] of leaves) {
    const shape = Object.hasOwn(layout, p) ? layout[p] : undefined;
    if (shape === undefined) throw new ShapeError(`update: parameter "${p}" was not in the tree the optimiser was set up for`);
    if (shape.join() !== x.shape.join()) {
      throw new ShapeError(`update: parameter "${p}" has shape [${x.shape}], the optimiser was set up for [${shape}]`);
    }
  }
  if (n !== leaves.length) {
    const have = new Set(leaves.map(([p]) => p));
    const missing = Object.keys(layout).filter((p) => !have.has(p));
    throw new ShapeError(`update: parameters missing compared with setup: ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
}

function checkParams(params: Params, where: string): (readonly [string, Tensor])[] {
  checkTreeKeys(`${where}: parameters`, params);
  const leaves = treeFlattenWithPath<unknown>(params)[0];
  for (const [path, l] of leaves) {
    if (!(l instanceof Tensor)) {
      throw new ShapeError(`${where}: parameter "${path}" is not a concrete Tensor (got ${typeof l === 'object' ? (l as object).constructor?.name : typeof l})`);
    }
  }
  return leaves as (readonly [string, Tensor])[];
}
