/** Errors of training in a worker. @module */
import { NatgradError } from '@natgrad/core';
import type { RemoteError } from './remote-error.js';
import type { RemoteTrainState } from './remote-state.js';

/** A message between threads is malformed: what was wrong and in which message. */
export class TransferError extends NatgradError {
  /** The message (or part of one) that was malformed, e.g. `"trainInWorker: state message"`. */
  readonly where: string;

  /**
   * @param where the message (or part of one) that was malformed
   * @param problem what is wrong with it
   */
  constructor(where: string, problem: string) {
    super('INVALID_TRANSFER', `${where}: ${problem}`);
    this.where = where;
  }
}

/** Why a training stream run in a worker failed. */
export type WorkerTrainingFailure =
  /** The worker's stream ended with a `TrainingError` (see `step`, `trainingFailure`, `lastGoodState`). */
  | 'training-failed'
  /** The worker's factory threw, or its stream failed with another error. */
  | 'stream-failed'
  /** The worker itself failed: its script did not load, or an error escaped all handlers (the `error` event). */
  | 'worker-error'
  /** A message could not be sent or read (a config that cannot be cloned, a malformed or unreadable message). */
  | 'transfer-failed';

/**
 * The error a {@link trainInWorker} stream ends with. The worker's own error arrives as data in `remote` (its class
 * name, message, stack and code), since an error object does not keep its class across `postMessage`.
 */
export class WorkerTrainingError extends NatgradError {
  /** What failed. */
  readonly reason: WorkerTrainingFailure;
  /** The error in the worker, as plain data (undefined when the failure happened on this side). */
  readonly remote: RemoteError | undefined;
  /** For `'training-failed'`: the step that failed (the number of updates done before it). */
  readonly step: number | undefined;
  /** For `'training-failed'`: the `TrainingError`'s own reason (`'objective-threw'`, `'non-finite-loss'`, …). */
  readonly trainingFailure: string | undefined;
  /** For `'training-failed'`: the last state the run reached, when it had one. */
  readonly lastGoodState: RemoteTrainState | undefined;
  /** The error on this side, when there was one (a `TransferError`, a `DataCloneError`, …). */
  override readonly cause: unknown;

  /**
   * @param reason what failed
   * @param message what happened, for people
   * @param details the worker's error, the failed step, the last good state, and a local cause
   */
  constructor(
    reason: WorkerTrainingFailure,
    message: string,
    details: {
      readonly remote?: RemoteError;
      readonly step?: number;
      readonly trainingFailure?: string;
      readonly lastGoodState?: RemoteTrainState;
      readonly cause?: unknown;
    } = {},
  ) {
    super('WORKER_TRAINING_FAILED', `trainInWorker: ${message}`);
    this.reason = reason;
    this.remote = details.remote;
    this.step = details.step;
    this.trainingFailure = details.trainingFailure;
    this.lastGoodState = details.lastGoodState;
    this.cause = details.cause;
  }
}
