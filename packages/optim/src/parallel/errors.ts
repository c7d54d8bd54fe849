/** Errors of data-parallel gradients. @module */
import { NatgradError } from '@natgrad/core';
import type { RemoteError } from '../worker/remote-error.js';
import type { ShardInfo } from './shards.js';

/** Why a shard failed. */
export type ShardFailure =
  /** The shard objective threw (see `remote` for a worker's error, `cause` for the main thread's). */
  | 'threw'
  /** The objective returned neither a scalar loss nor `{ loss, grad }` matching the parameters. */
  | 'bad-result'
  /** The worker thread evaluating the shard died (an uncaught error, `process.exit`, out of memory); it is replaced. */
  | 'crashed';

/**
 * A shard of a step failed; the step's promise rejects with it (the lowest-numbered failing shard, when several did).
 * Says which shard (index and rows), which thread, at which step, and the error there.
 */
export class ShardError extends NatgradError {
  /** What went wrong. */
  readonly reason: ShardFailure;
  /** The failing shard: its index, the shard count and its rows. */
  readonly shard: ShardInfo;
  /** The step whose gradient was being computed. */
  readonly step: number;
  /** The thread that evaluated the shard: `'main'`, or the worker's number (0, 1, …). */
  readonly thread: 'main' | number;
  /** The error in the worker thread, as plain data (its class name, message, stack and code); undefined on main. */
  readonly remote: RemoteError | undefined;
  /** The error on the main thread, when the shard ran there. */
  override readonly cause: unknown;

  /**
   * @param reason what went wrong
   * @param shard the failing shard
   * @param step the step
   * @param thread where it ran
   * @param error the error: a {@link RemoteError} from a worker, or the main thread's exception
   */
  constructor(reason: ShardFailure, shard: ShardInfo, step: number, thread: 'main' | number, error: { remote?: RemoteError; cause?: unknown }) {
    const detail = error.remote !== undefined ? `${error.remote.name}: ${error.remote.message}` : describe(error.cause);
    const where = thread === 'main' ? 'the main thread' : `worker ${thread}`;
    super(
      'SHARD_FAILED',
      `gradient pool: shard ${shard.index} of ${shard.count} (rows ${shard.start}…${shard.end - 1}) ${reason === 'crashed' ? 'was lost' : 'failed'} ` +
        `at step ${step} on ${where} (${reason}): ${detail}`,
    );
    this.reason = reason;
    this.shard = shard;
    this.step = step;
    this.thread = thread;
    this.remote = error.remote;
    this.cause = error.cause;
  }
}

/** Why a gradient pool cannot compute. */
export type GradientPoolFailure =
  /** `close()` was called (before or while the step ran). */
  | 'closed'
  /** A worker could not start: the objective module did not load, its export is not a function, … (see `remote`). */
  | 'start-failed';

/** The gradient pool is closed or could not start its workers. */
export class GradientPoolError extends NatgradError {
  /** What went wrong. */
  readonly reason: GradientPoolFailure;
  /** The worker's error, for `'start-failed'`. */
  readonly remote: RemoteError | undefined;

  /**
   * @param reason what went wrong
   * @param message the details
   * @param remote the worker's error, if any
   */
  constructor(reason: GradientPoolFailure, message: string, remote?: RemoteError) {
    super('GRADIENT_POOL_FAILED', `gradient pool: ${message}`);
    this.reason = reason;
    this.remote = remote;
  }
}

function describe(x: unknown): string {
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  return String(x);
}
