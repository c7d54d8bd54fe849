/**
 * The optimiser rule interface, in the style of Optimisers.jl: a rule is a value with `init` and `apply`, and
 * composition (chain, partition, …) is a rule too. States are immutable trees of plain objects, numbers and tensors;
 * `apply` returns a new state and the step to subtract from the parameters.
 * @module
 */
import type { Tree, Value } from '@natgrad/core';
import type { RuleDefinition, RuleValues } from './definition.js';

/**
 * A parameter (or gradient, or step) tree: nested plain objects/arrays whose leaves are concrete `Tensor`s at run time
 * (`setup` and `update` check it). Typed with `Value` leaves so that trees typed by other packages — such as a
 * Gaussian `{ mu, L }` from @natgrad/distributions — can be optimised without casts.
 */
export type Params = Tree<Value>;

/**
 * A gradient tree for parameters `P`: their structure, where a leaf may be `null` or `undefined` for "no gradient this
 * step" (Optimisers.jl's `nothing`): that parameter and every state kept for it stay exactly as they are, through
 * every composite. The key must still be there: a key missing from the tree is a structure error, not a missing
 * gradient (a typo must not silently stop a parameter).
 * @example update(opt, params, { w: gw, b: null }) // b is not stepped, its moments are kept
 */
export type Gradients<P> = ParamsLike<P> | Tree<Value | null | undefined>;

/**
 * The constraint on a caller's parameter type `P`: a {@link Params} tree, or any object type — an `interface`
 * included, which has no index signature and so is not a `Params` — whose properties are values, arrays or nested
 * objects of them (optional properties allowed). Functions and other non-tree properties are rejected at compile
 * time; leaves are still checked to be concrete tensors at run time.
 * @example interface Model { q: { mu: Tensor; L: Tensor }; logNoise: Tensor } // train<Model>(…) type-checks
 */
export type ParamsLike<P> =
  | Params
  | (object & {
      readonly [K in keyof P]: P[K] extends Params | undefined
        ? P[K]
        : P[K] extends (...args: never[]) => unknown
          ? never
          : P[K] extends object
            ? ParamsLike<P[K]>
            : never;
    });

/** Numeric hyperparameters of a rule, by name (serialised into checkpoints). */
export type Hyperparams = Readonly<Record<string, number>>;

/** JSON-serialisable values (rule options in checkpoints). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Something a rule reports during an update: a backtracked step, a skipped non-finite gradient, … */
export interface OptimiserEvent {
  /** Event kind, e.g. `"backtrack"`, `"skip-nonfinite"`. */
  readonly type: string;
  /** Parameter path the event concerns (`""` for the whole tree). */
  readonly path: string;
  /** The update (0-based) during which it happened. */
  readonly step: number;
  /** Human-readable detail. */
  readonly message: string;
  /** Event-specific numbers (e.g. `{ halvings: 2, scale: 0.25 }`). */
  readonly data?: Readonly<Record<string, number>>;
}

/** Passed to {@link Rule.apply}: where in the tree and when the update happens, and a sink for events. */
export interface ApplyContext {
  /** Number of updates completed before this one. */
  readonly step: number;
  /** Path of the subtree being updated (`""` for the root). */
  readonly path: string;
  /** Reports an event; `update` collects them into the new state's `events`. */
  emit(event: Omit<OptimiserEvent, 'step' | 'path'> & { path?: string }): void;
  /**
   * The step at which schedules are evaluated; defaults to {@link ApplyContext.step}. Extension: `accumulate(k, …)`
   * counts only the updates its inner rule actually makes, so it hands the inner rule ⌊step / k⌋ here while events
   * keep the real update number in `step`.
   */
  readonly scheduleStep?: number;
}

/**
 * An optimiser rule. `init(param)` makes the state for a parameter tree; `apply(state, param, grad, ctx)` returns
 * `[newState, step]`, where `step` has the structure of `param` and the update is `param − step`.
 * `name`, `hyperparams`, `options` and `children` describe the rule completely, so a checkpoint can rebuild it from
 * the registry (see `registerRule`). Rules are made by the constructors of {@link RuleDefinition}s (`defineRule`).
 */
export interface Rule<S = unknown> {
  /** Registry name, e.g. `"Adam"`. */
  readonly name: string;
  /** Numeric hyperparameters. */
  readonly hyperparams: Hyperparams;
  /** Non-numeric configuration (labels, parametrisation names, nested schedules), JSON-serialisable. */
  readonly options?: JsonValue;
  /** Inner rules of a composite rule, in order. */
  readonly children?: readonly Rule[];
  /** True if the rule itself deals with non-finite gradients (`applyIfFinite`); `update` then does not reject them. */
  readonly handlesNonFinite?: boolean;
  /**
   * Extension: keys naming the children in parameter-independent paths and checkpoints (chain: rule names with a
   * `#n` suffix for repeats; partition: labels). Absent for single-child wrappers, which are transparent in paths.
   */
  readonly childKeys?: readonly string[];
  /**
   * Extension: specialises the rule to a parameter tree at `setup` (a partition whose labels are a function of the
   * path resolves them into a label tree), so that the optimiser's rule is fully described by JSON. Composites
   * forward it to their children. Returns the rule itself when there is nothing to resolve.
   */
  bind?(param: Params): Rule<S>;
  /**
   * Makes the state for `param`. Leaves of `param` may be `null` (masked out by a partition): they get no state.
   */
  init(param: Params): S;
  /**
   * One step. `param` and `grad` may be a masked version of the tree given to `init`, with `null` in place of
   * leaves that are frozen, belong to another partition branch or have no gradient this step; `grad` may also hold
   * `null` (or `undefined`) where `param` has a tensor: no gradient for it this step. The rule must return a `null`
   * step there and keep their state exactly as it was (rules made by `defineRule` do this for you) — as
   * Optimisers.jl does for `nothing`.
   */
  apply(state: S, param: Params, grad: Params, ctx: ApplyContext): readonly [S, Params];
  /**
   * Extension: checks a state (decoded from a checkpoint, so already of the template's keys, kinds and shapes, and
   * finite) against the rule's domain — non-negative second moments, integer counters, β-powers in [0, β] — and
   * throws `InvalidStateError` naming the path under `where` otherwise. Composites forward it to their children;
   * `leafRule` implements it from its spec's `domain`.
   */
  checkState?(state: S, where: string): void;
  /**
   * Extension: true when the rule validated the parameters its step leads to (`NaturalGradient` checks that
   * `param − step` is a valid Gaussian), so the step must be subtracted as it is: `chain` refuses to put another
   * rule after it. Wrappers that pass steps through unchanged (partition, accumulate, …) propagate it.
   */
  readonly terminal?: boolean;
  /** Extension: the definition that built the rule (absent for a rule written by hand). */
  readonly definition?: RuleDefinition;
  /** Extension: the values it was built from (schedules as schedules), which `adjust` changes. */
  readonly values?: RuleValues;
  /**
   * Extension for `backtrack`: `apply`, but instead of the step a function `line(scale, path)` giving the step of
   * the subtree at `path` for a step `scale` ∈ (0, 1] times as large — `null` where that subtree gets no step, and
   * `undefined` when it cannot be formed at that scale. A rule whose step is not linear in its size (a natural step
   * taken in θ and mapped back) provides it; otherwise `backtrack` scales the step.
   */
  applyLine?(state: S, param: Params, grad: Params, ctx: ApplyContext): readonly [S, StepLine];
}

/** The steps of a rule along a line: see {@link Rule.applyLine}. */
export type StepLine = (scale: number, path: string) => Params | null | undefined;

/** A `Rule` whose state type is not known statically. */
export type AnyRule = Rule<any>;
