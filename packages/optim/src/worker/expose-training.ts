/** `exposeTraining`: the worker side of training off the main thread. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { Observable, Unsubscribable } from 'rxjs';
import type { TrainState } from '../index.js';
import { type ErrorMessage, type FromWorker, TAG, type TrainingScope, isProtocolMessage } from './protocol.js';
import { toRemoteError } from './remote-error.js';
import { type RemoteTrainState, StateEncoder, type WireState } from './remote-state.js';

/**
 * What {@link exposeTraining} runs for each subscription on the page: a training stream made from the page's config
 * (usually `train(…)`, piped through any operators). Called in the worker, so it may close over anything there —
 * objectives, data, the last state of an earlier run to continue from.
 */
export type TrainingFactory<C = unknown> = (config: C) => Observable<TrainState | RemoteTrainState>;

/**
 * Serves training runs to the page from inside a worker: each {@link trainInWorker} subscription on the page sends a
 * config, `factory(config)` makes a stream here, and its states go to the page (parameters in one transferred
 * buffer), then its completion or error. Unsubscribing on the page unsubscribes here, which stops a `train` run at
 * its next step. Runs are independent; any number may run at once (they share the worker's thread, interleaved by
 * their schedulers).
 *
 * `scope` is the worker's global scope (`self`; in a project type-checked with the DOM lib, where `self` is typed as
 * a `Window`, it is accepted as such) or a `MessagePort`. Messages of other protocols on it are left alone. Returns a function that stops serving: it ends every
 * run and removes the listener.
 * @example
 * // training.worker.ts
 * exposeTraining(self, (config: { lr: number }) => train({ objective, params, optimiser: Adam(config.lr), steps: 1000 }));
 * @throws {InvalidArgumentError} if `scope` cannot send and receive messages or `factory` is not a function.
 */
export function exposeTraining<C>(scope: TrainingScope | typeof globalThis, factory: TrainingFactory<C>): () => void {
  const port = scope as TrainingScope;
  if (port === null || typeof port !== 'object' || typeof port.postMessage !== 'function' || typeof port.addEventListener !== 'function') {
    throw new InvalidArgumentError('exposeTraining: scope must be a worker scope or a MessagePort (postMessage, addEventListener)');
  }
  if (typeof factory !== 'function') throw new InvalidArgumentError('exposeTraining: factory must be a function (config) => Observable');
  const runs = new Map<string, ServedRun>();
  const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

  const onMessage = (event: { readonly data: unknown }): void => {
    const m = event.data;
    if (!isProtocolMessage(m)) return;
    const run = runs.get(m.run);
    if (m.type === 'start') {
      if (run !== undefined) return; // a duplicate start: the run is already going
      const bufferSize = (m as { bufferSize?: unknown }).bufferSize;
      const served = new ServedRun(m.run, send, () => runs.delete(m.run));
      runs.set(m.run, served);
      served.start(factory, (m as { config?: unknown }).config as C, typeof bufferSize === 'number' && bufferSize >= 1 ? bufferSize : Infinity);
    } else if (m.type === 'stop') {
      run?.stop();
    } else if (m.type === 'ack') {
      run?.ack();
    }
  };
  port.addEventListener('message', onMessage);
  port.start?.();
  return () => {
    port.removeEventListener('message', onMessage);
    for (const run of [...runs.values()]) run.stop();
  };
}

/** One run served to the page: its subscription, and the states not yet sent or acknowledged. */
class ServedRun {
  private subscription: Unsubscribable | undefined;
  private readonly encoder = new StateEncoder();
  private readonly pending: (TrainState | RemoteTrainState)[] = [];
  private inFlight = 0;
  private bufferSize = Infinity;
  private ending: (() => void) | undefined; // posts the completion or the error once the pending states are out
  private closed = false;

  constructor(
    private readonly id: string,
    private readonly send: (message: FromWorker, transfer?: ArrayBuffer[]) => void,
    private readonly forget: () => void,
  ) {}

  start<C>(factory: TrainingFactory<C>, config: C, bufferSize: number): void {
    this.bufferSize = bufferSize;
    let stream: Observable<TrainState | RemoteTrainState>;
    try {
      stream = factory(config);
      if (stream === null || typeof stream !== 'object' || typeof (stream as { subscribe?: unknown }).subscribe !== 'function') {
        throw new InvalidArgumentError('exposeTraining: the factory must return an Observable of training states');
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    const subscription = stream.subscribe({
      next: (s) => {
        if (this.closed) return;
        this.pending.push(s);
        if (this.pending.length > this.bufferSize) this.pending.shift(); // the page lags: drop the oldest unsent state
        this.flush();
      },
      error: (err: unknown) => this.fail(err),
      complete: () => this.end(() => this.send({ tag: TAG, type: 'complete', run: this.id })),
    });
    if (this.closed) subscription.unsubscribe();
    else this.subscription = subscription;
  }

  ack(): void {
    if (this.inFlight > 0) this.inFlight--;
    this.flush();
  }

  stop(): void {
    this.close();
    this.subscription?.unsubscribe();
  }

  private fail(err: unknown): void {
    this.end(() => {
      try {
        this.send(errorMessage(this.id, err));
      } catch (sendErr) {
        // the error (its last good state) could not be encoded or sent: report that instead
        this.send({ tag: TAG, type: 'error', run: this.id, failure: 'stream-failed', error: toRemoteError(sendErr) });
      }
    });
  }

  private end(post: () => void): void {
    if (this.closed || this.ending !== undefined) return;
    this.ending = post;
    this.flush();
  }

  private flush(): void {
    while (!this.closed && this.pending.length > 0 && this.inFlight < this.bufferSize) {
      const s = this.pending.shift() as TrainState | RemoteTrainState;
      let wire: WireState;
      let buffer: ArrayBuffer;
      try {
        [wire, buffer] = this.encoder.encode(s);
      } catch (err) {
        this.subscription?.unsubscribe();
        this.pending.length = 0;
        this.ending = undefined;
        this.fail(err);
        return;
      }
      if (Number.isFinite(this.bufferSize)) this.inFlight++;
      this.send({ tag: TAG, type: 'state', run: this.id, state: wire }, [buffer]);
    }
    if (!this.closed && this.pending.length === 0 && this.ending !== undefined) {
      const post = this.ending;
      this.close();
      post();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.forget();
  }
}

/** The message for an error of the run's stream; a `TrainingError` keeps its step, reason and last good state. */
function errorMessage(run: string, err: unknown): ErrorMessage {
  if (!trainingErrorFields(err)) return { tag: TAG, type: 'error', run, failure: 'stream-failed', error: toRemoteError(err) };
  return {
    tag: TAG,
    type: 'error',
    run,
    failure: 'training-failed',
    error: toRemoteError(err),
    step: err.step,
    trainingFailure: err.reason,
    ...(err.lastGoodState !== undefined ? { lastGoodState: new StateEncoder().encode(err.lastGoodState)[0] } : {}),
  };
}

/** The fields of a `TrainingError`, recognised by its code (this entry does not load the main entry's classes). */
function trainingErrorFields(
  err: unknown,
): err is { readonly step: number; readonly reason: string; readonly lastGoodState: TrainState | undefined } {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'TRAINING_FAILED') return false;
  const e = err as { step?: unknown; reason?: unknown };
  return typeof e.step === 'number' && typeof e.reason === 'string';
}
