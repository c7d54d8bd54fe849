/**
 * The messages between {@link trainInWorker} (the page) and {@link exposeTraining} (the worker). Every message is
 * tagged, so the worker's channel can carry an application's own messages too; each side ignores what is not its.
 * @module
 */
import type { RemoteError } from './remote-error.js';
import type { WireState } from './remote-state.js';

/** The tag of every message of the training protocol. @internal */
export const TAG = 'natgrad.train/1';

/** The page asks the worker to start a run. @internal */
export interface StartMessage {
  readonly tag: typeof TAG;
  readonly type: 'start';
  readonly run: string;
  readonly config: unknown;
  /** States in flight to the page before the worker waits for acknowledgements (Infinity: never waits). */
  readonly bufferSize: number;
}

/** The page stops a run (it unsubscribed), or acknowledges one state. @internal */
export interface ControlMessage {
  readonly tag: typeof TAG;
  readonly type: 'stop' | 'ack';
  readonly run: string;
}

/** A snapshot of a run. @internal */
export interface StateMessage {
  readonly tag: typeof TAG;
  readonly type: 'state';
  readonly run: string;
  readonly state: WireState;
}

/** A run completed. @internal */
export interface CompleteMessage {
  readonly tag: typeof TAG;
  readonly type: 'complete';
  readonly run: string;
}

/** A run failed. @internal */
export interface ErrorMessage {
  readonly tag: typeof TAG;
  readonly type: 'error';
  readonly run: string;
  readonly failure: 'training-failed' | 'stream-failed';
  readonly error: RemoteError;
  /** For a `TrainingError`: its step, reason and last good state (with its parameter structure). */
  readonly step?: number;
  readonly trainingFailure?: string;
  readonly lastGoodState?: WireState;
}

/** Messages to the worker. @internal */
export type ToWorker = StartMessage | ControlMessage;
/** Messages from the worker. @internal */
export type FromWorker = StateMessage | CompleteMessage | ErrorMessage;

/** True for a message of this protocol (of either direction): tagged, with a string run id. @internal */
export function isProtocolMessage(x: unknown): x is { readonly tag: typeof TAG; readonly type: unknown; readonly run: string } {
  return x !== null && typeof x === 'object' && (x as { tag?: unknown }).tag === TAG && typeof (x as { run?: unknown }).run === 'string';
}

/** The part of a `Worker` (or a `MessagePort`) that {@link trainInWorker} uses. */
export interface WorkerLike {
  /** Sends a message (structured clone), transferring the listed buffers. */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Listens for `message` events (and, on a `Worker`, `error` and `messageerror`). */
  addEventListener(type: string, listener: (event: any) => void): void;
  /** Stops listening. */
  removeEventListener(type: string, listener: (event: any) => void): void;
  /** A `MessagePort` must be started to deliver messages to listeners; a `Worker` has no `start`. */
  start?(): void;
}

/** The part of a worker's global scope (`self`, or a `MessagePort`) that {@link exposeTraining} uses. */
export type TrainingScope = WorkerLike;
