/** The error a training stream ends with when a step fails. @module */
import { NatgradError } from '@natgrad/core';
import type { TrainState } from './types.js';

/** Why a training step failed. */
export type TrainingFailure =
  /** The objective threw (see `cause`). */
  | 'objective-threw'
  /** The objective returned something that is neither a scalar loss nor `{ loss, grad }`. */
  | 'bad-objective-result'
  /**
   * The loss is NaN or ±∞, or a `NonFiniteError` was thrown while computing it (a NaN reaching a Cholesky in the
   * forward pass; `cause` is that error).
   */
  | 'non-finite-loss'
  /**
   * The gradient holds NaN or ±∞ and the rule does not handle non-finite gradients, a `NonFiniteError` was thrown in
   * the backward pass, or an `applyIfFinite` rule met more non-finite steps in a row than it allows.
   */
  | 'non-finite-gradient'
  /** The rule's new state would hold NaN or ±∞ (a `NonFiniteStateError`: Adam's moments of a huge gradient). */
  | 'non-finite-state'
  /** `NaturalGradient` rejected a block's steps too many times in a row (a `TooManyRejectedStepsError`). */
  | 'steps-rejected'
  /**
   * Reading the step's batch failed: the data source threw or errored (an async iterator rejected, an Observable
   * errored), or a data function gave an epoch without batches (a `DataSourceError`).
   */
  | 'data-failed'
  /** `update` rejected the step: a gradient tree that does not match the params, a non-finite new parameter, … */
  | 'update-failed';

/**
 * A training step failed; the stream ends with this error. Nothing that was emitted before is affected: every emitted
 * state is finite, and `lastGoodState` can be handed to `train({ initialState })` to continue (after fixing the
 * cause) on the same trajectory.
 */
export class TrainingError extends NatgradError {
  /** The step that failed: the number of updates done before it (so `lastGoodState.step === step` when defined). */
  readonly step: number;
  /**
   * The last state the run emitted, or the `initialState` it was resumed from; `undefined` if the very first step of
   * a fresh run failed.
   */
  readonly lastGoodState: TrainState | undefined;
  /** What went wrong. */
  readonly reason: TrainingFailure;
  /** The underlying error (the objective's exception, a `NonFiniteError`, a `NonFiniteGradientError`, …). */
  override readonly cause: unknown;

  /**
   * @param reason what went wrong
   * @param step the step that failed
   * @param lastGoodState the last state emitted (or resumed from)
   * @param cause the underlying error
   */
  constructor(reason: TrainingFailure, step: number, lastGoodState: TrainState | undefined, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('TRAINING_FAILED', `training step ${step} failed (${reason}): ${detail}`);
    this.step = step;
    this.lastGoodState = lastGoodState;
    this.reason = reason;
    this.cause = cause;
  }
}
