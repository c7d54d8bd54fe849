/** `trainInWorker`: a training stream that runs in a Web Worker, observed from the page. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { Observable } from 'rxjs';
import type { Params } from '../index.js';
import { TransferError, WorkerTrainingError } from './errors.js';
import { type ErrorMessage, TAG, type ToWorker, type WorkerLike, isProtocolMessage } from './protocol.js';
import { readRemoteError } from './remote-error.js';
import { type RemoteTrainState, StateDecoder } from './remote-state.js';

/** Options of {@link trainInWorker}. */
export interface TrainInWorkerOptions {
  /**
   * Most states in flight from the worker before it waits for the page to take them; while it waits it keeps only
   * the latest `bufferSize` states and drops older ones (never the last state of the run). So a page that cannot keep
   * up sees the newest states instead of an ever longer backlog. Default `Infinity`: every state is delivered.
   */
  readonly bufferSize?: number;
}

let runs = 0;
const realm = Math.random().toString(36).slice(2, 10);

/**
 * A training run in a worker, as a cold Observable of {@link RemoteTrainState} snapshots on the page. Each
 * subscription sends `config` (structured-cloned) to the worker, where {@link exposeTraining}'s factory turns it into
 * a stream; its states arrive here with the parameters rebuilt as tensors over one transferred buffer, then its
 * completion or error. Unsubscribing stops the run in the worker. The work happens on the worker's thread, so the
 * page only pays for receiving states: it stays responsive however heavy the steps are.
 *
 * The stream fails with a {@link WorkerTrainingError}: `'training-failed'` carrying the worker's `TrainingError` (step,
 * reason, last good state), `'stream-failed'` for other errors there, `'worker-error'` when the worker itself fails
 * (its script does not load, an error escapes), `'transfer-failed'` when `config` cannot be cloned or a message is
 * malformed.
 * @example
 * const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
 * trainInWorker(worker, { lr: 0.01 }).pipe(every(10)).subscribe((s) => plot(s.step, s.loss));
 * @throws {InvalidArgumentError} (when called) for a `worker` without `postMessage`/`addEventListener`, or a
 * `bufferSize` that is not a positive integer or Infinity.
 */
export function trainInWorker<P extends Params = Params>(
  worker: WorkerLike,
  config: unknown,
  options: TrainInWorkerOptions = {},
): Observable<RemoteTrainState<P>> {
  if (worker === null || typeof worker !== 'object' || typeof worker.postMessage !== 'function' || typeof worker.addEventListener !== 'function') {
    throw new InvalidArgumentError('trainInWorker: worker must be a Worker or a MessagePort (postMessage, addEventListener)');
  }
  const bufferSize = options.bufferSize ?? Infinity;
  if (!(bufferSize === Infinity || (Number.isInteger(bufferSize) && bufferSize >= 1))) {
    throw new InvalidArgumentError(`trainInWorker: bufferSize must be a positive integer or Infinity, got ${String(bufferSize)}`);
  }
  return new Observable<RemoteTrainState<P>>((subscriber) => {
    const run = `${realm}-${++runs}`;
    const decoder = new StateDecoder();
    let finished = false;
    const post = (m: ToWorker): void => worker.postMessage(m, []);

    const finish = (): void => {
      finished = true;
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onMessageError);
    };
    const fail = (err: WorkerTrainingError): void => {
      if (finished) return;
      finish();
      try {
        post({ tag: TAG, type: 'stop', run });
      } catch {
        // the worker is gone: nothing to stop
      }
      subscriber.error(err);
    };

    function onMessage(event: { readonly data: unknown }): void {
      const m = event.data;
      if (finished || !isProtocolMessage(m) || m.run !== run) return;
      if (m.type === 'state') {
        let state: RemoteTrainState<P>;
        try {
          state = decoder.decode<P>((m as { state?: unknown }).state, 'trainInWorker: state message');
        } catch (err) {
          fail(new WorkerTrainingError('transfer-failed', `a state from the worker is malformed: ${(err as Error).message}`, { cause: err }));
          return;
        }
        subscriber.next(state);
        if (bufferSize !== Infinity && !finished) post({ tag: TAG, type: 'ack', run });
      } else if (m.type === 'complete') {
        finish();
        subscriber.complete();
      } else if (m.type === 'error') {
        fail(remoteFailure(m as Partial<ErrorMessage>));
      }
    }
    function onError(event: { readonly message?: unknown; readonly filename?: unknown; readonly lineno?: unknown }): void {
      const where = typeof event.filename === 'string' && event.filename !== '' ? ` (${event.filename}:${String(event.lineno ?? '?')})` : '';
      const message = typeof event.message === 'string' && event.message !== '' ? event.message : 'the worker reported an error';
      fail(new WorkerTrainingError('worker-error', `${message}${where}`, { remote: { name: 'Error', message } }));
    }
    function onMessageError(): void {
      fail(new WorkerTrainingError('transfer-failed', 'a message from the worker could not be deserialised'));
    }

    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);
    worker.start?.();
    try {
      post({ tag: TAG, type: 'start', run, config, bufferSize });
    } catch (err) {
      finish();
      subscriber.error(
        new WorkerTrainingError('transfer-failed', `the config cannot be sent to the worker: ${(err as Error)?.message ?? String(err)}`, { cause: err }),
      );
      return undefined;
    }
    return () => {
      if (finished) return;
      finish();
      try {
        post({ tag: TAG, type: 'stop', run });
      } catch {
        // the worker is gone: nothing to stop
      }
    };
  });
}

/** The page-side error for an error message of the worker. */
function remoteFailure(m: Partial<ErrorMessage>): WorkerTrainingError {
  const remote = readRemoteError(m.error);
  const text = `${remote.name}: ${remote.message}`;
  if (m.failure !== 'training-failed') return new WorkerTrainingError('stream-failed', `the worker's stream failed: ${text}`, { remote });
  let lastGoodState: RemoteTrainState | undefined;
  if (m.lastGoodState !== undefined) {
    try {
      lastGoodState = new StateDecoder().decode(m.lastGoodState, 'trainInWorker: last good state');
    } catch (err) {
      if (!(err instanceof TransferError)) throw err;
      return new WorkerTrainingError('transfer-failed', `the last good state of a failed run is malformed: ${err.message}`, { remote, cause: err });
    }
  }
  return new WorkerTrainingError('training-failed', `training in the worker failed: ${remote.message}`, {
    remote,
    ...(typeof m.step === 'number' ? { step: m.step } : {}),
    ...(typeof m.trainingFailure === 'string' ? { trainingFailure: m.trainingFailure } : {}),
    ...(lastGoodState !== undefined ? { lastGoodState } : {}),
  });
}
