/**
 * Types of the training stream: the objective a run minimises, the options of {@link train}, and the immutable
 * {@link TrainState} snapshots it emits.
 * @module
 */
import type { Value, random } from '@natgrad/core';
import type { SchedulerLike } from 'rxjs';
import type { AnyRule, Gradients, OptimiserEvent, Params, ParamsLike } from '../rule.js';
import type { OptimiserState } from '../update.js';
import type { DataSource } from './data/source.js';

/** A loss with its gradient, computed by the objective itself (by hand, or with its own call to `valueAndGrad`). */
export interface LossAndGrad<P extends ParamsLike<P> = Params> {
  /** The loss: a number or a concrete scalar tensor. */
  readonly loss: number | Value;
  /** The gradient of the loss with respect to the parameters: a tree of tensors with the structure of the params (`null` at a leaf that gets no gradient this step; see {@link Gradients}). */
  readonly grad: Gradients<P>;
}

/**
 * What an objective returns: either a {@link LossAndGrad} pair, or a scalar loss written with core ops, which
 * {@link train} differentiates with `valueAndGrad` (the objective is then called with tracers in place of tensors).
 */
export type ObjectiveResult<P extends ParamsLike<P> = Params> = LossAndGrad<P> | Value | number;

/**
 * The function a training run minimises. `key` is the random key of this step, derived deterministically from the
 * run's seed and `step` (`random.foldIn(random.key(seed), step)`), so a resumed run draws the same numbers; `step` is
 * the number of updates done before this one (0 for the first); `batch` is this step's batch of
 * {@link TrainOptions.data} (`undefined` without a data source).
 *
 * It may be asynchronous — return a Promise of `{ loss, grad }`, e.g. the sharded gradient of a gradient pool
 * (`@natgrad/optim/parallel`): `train` awaits it before the update. A Promise cannot be differentiated by `train`,
 * so an async objective computes its gradient itself.
 */
export type Objective<P extends ParamsLike<P> = Params, B = undefined> = (
  params: P,
  key: random.Key,
  step: number,
  batch: B,
) => ObjectiveResult<P> | PromiseLike<LossAndGrad<P>>;

/** How often a run gives control back to its scheduler: after `k` steps, or once `ms` milliseconds of work are done. */
export type YieldPolicy =
  | number
  | {
      /** Milliseconds of work per slice before yielding. */
      readonly ms: number;
    };

/** Options of {@link train}. */
export interface TrainOptions<P extends ParamsLike<P> = Params, B = undefined> {
  /** The function to minimise; see {@link Objective}. */
  readonly objective: Objective<P, B>;
  /**
   * Where each step's batch comes from (handed to the objective as its fourth argument): `columns(...)` for
   * in-memory columns reshuffled every epoch, an iterable, async iterable or rxjs Observable of batches, or a
   * function `epoch => batches` (see {@link DataSource}). The run completes when the data end, after `steps`
   * updates, or when `epochs` are done, whichever comes first. Without it the objective gets `undefined`.
   */
  readonly data?: DataSource<B>;
  /**
   * Number of epochs (passes over `data`) the run goes through, counted from the very first one like `steps`.
   * Default `Infinity`. With a single iterable or Observable every batch is in epoch 0.
   */
  readonly epochs?: number;
  /** Initial parameters (a tree of concrete tensors). Not needed when `initialState` is given. */
  readonly params?: P;
  /**
   * A rule, set up for `params` when the run is subscribed, or an {@link OptimiserState} to continue (e.g. one
   * restored from a checkpoint; its `step` is the step the run continues from). Not needed with `initialState`.
   */
  readonly optimiser?: AnyRule | OptimiserState;
  /**
   * Total number of updates of the run, counted from the very first one (not from where a resumed run starts): a run
   * resumed at step 40 with `steps: 100` performs 60 more updates. Default `Infinity` (stop it by unsubscribing, or
   * with {@link untilConverged} / `take`).
   */
  readonly steps?: number;
  /**
   * Seed of the run's random keys (a non-negative integer below 2⁵³, or a bigint below 2⁶⁴). Default: the seed of
   * `initialState`, else 0.
   */
  readonly seed?: number | bigint;
  /**
   * How often to yield to the scheduler so that a long run does not block the event loop: a step count `k`, or
   * `{ ms }`, a time budget per slice of work measured with `performance.now()` (at least one step runs per slice).
   * Default `{ ms: 10 }`. Use a step count with a virtual-time scheduler, where a time budget is not reproducible.
   */
  readonly yieldEvery?: YieldPolicy;
  /**
   * Where slices of work run: `asyncScheduler` (default; a macrotask per slice, so timers and I/O run between slices),
   * `animationFrameScheduler` in a browser (one slice per frame), or a `TestScheduler` / `VirtualTimeScheduler` in
   * tests. `wallTime` is read from `scheduler.now()`. Do not use `asapScheduler` or `queueScheduler`: microtasks
   * and synchronous queues never let the event loop run.
   */
  readonly scheduler?: SchedulerLike;
  /**
   * A state emitted by an earlier run (or the `lastGoodState` of a {@link TrainingError}) to continue from: its params,
   * optimiser state, seed and wall time are taken over, and the continued run follows the same trajectory as an
   * uninterrupted one, bit for bit. Excludes `params` and `optimiser`.
   */
  readonly initialState?: TrainState<P>;
  /**
   * Whether {@link train} differentiates the objective: `true` when it returns a scalar loss, `false` when it returns
   * `{ loss, grad }`. Default: detected from the first call of each subscription, which then costs one extra
   * (untraced) evaluation of a scalar objective.
   */
  readonly differentiate?: boolean;
}

/**
 * One snapshot of a training run, emitted after each update. Deeply frozen (immer `freeze`; tensors are immutable by
 * contract), and structurally shared with the previous snapshot: an unchanged subtree of `params` or
 * `optimiser.state`, the rule, and so on, are the same objects (`===`) in consecutive snapshots.
 */
export interface TrainState<P extends ParamsLike<P> = Params> {
  /** Number of updates done so far (equal to `optimiser.step`); the first snapshot of a fresh run has step 1. */
  readonly step: number;
  /** Parameters after this update. */
  readonly params: P;
  /** Optimiser state after this update; hand it to `save` for a checkpoint. */
  readonly optimiser: OptimiserState;
  /**
   * The objective at the parameters this update started from (the loss whose gradient made the step). Always
   * finite, except on a step with a non-finite gradient that a rule handling them (`applyIfFinite`) skipped, which
   * reports the objective's value as it was (the skip is in `events`; the params did not change).
   */
  readonly loss: number;
  /** Global L2 norm of that gradient over all parameter leaves. Finite, with the same exception as `loss`. */
  readonly gradNorm: number;
  /**
   * The learning rate in use for this update when the optimiser has a single one (see {@link stepSizeOf}); under a
   * `partition` whose branches have different rates it is `undefined`: read {@link TrainState.stepSizes}.
   */
  readonly stepSize: number | undefined;
  /**
   * The learning rate of every rule that has one, by rule path — partition labels and chain keys, e.g.
   * `{ natural: 1, adam: 0.05 }` (see {@link stepSizesOf}); `{}` when no rule exposes a rate.
   */
  readonly stepSizes: Readonly<Record<string, number>>;
  /** Milliseconds since the run started (`scheduler.now()`), carried over when resuming from `initialState`. */
  readonly wallTime: number;
  /** Events reported by this update (backtracks, skipped steps, …): `optimiser.events`. */
  readonly events: readonly OptimiserEvent[];
  /** Seed of the run's random keys. */
  readonly seed: number | bigint;
  /**
   * Epoch (0-based) of the batch this update used: the pass over a `columns` source or the epoch of a data function
   * it came from; 0 with a single stream of batches, and without data (where the run is one endless epoch).
   */
  readonly epoch: number;
  /**
   * Position (0-based) of that batch within its epoch; without data, `step − 1`. With `epoch`, it is where a run
   * resumed from this state goes on: the next batch is the one after it.
   */
  readonly batchIndex: number;
}
