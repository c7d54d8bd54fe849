/**
 * One stream of batches read a batch at a time: iterables synchronously, async iterables by Promise, and rxjs
 * Observables through a queue (an Observable pushes; `train` pulls one batch per step).
 * @module
 */
import { type Observable, type Subscription, isObservable } from 'rxjs';
import type { BatchStream } from './source.js';

/** Pull interface over any {@link BatchStream}. @internal */
export interface Stream<B> {
  next(): IteratorResult<B> | Promise<IteratorResult<B>>;
  close(): void;
}

/** @internal */
export function openStream<B>(s: BatchStream<B>): Stream<B> {
  if (isObservable(s)) return observableStream(s as Observable<B>);
  const asyncIt = (s as AsyncIterable<B>)[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return iteratorStream(asyncIt.call(s));
  return iteratorStream((s as Iterable<B>)[Symbol.iterator]());
}

function iteratorStream<B>(it: Iterator<B> | AsyncIterator<B>): Stream<B> {
  let done = false;
  return {
    next: () => it.next() as IteratorResult<B> | Promise<IteratorResult<B>>,
    close() {
      if (done) return;
      done = true;
      // Ends a generator (runs its finally blocks); a rejection of an async return is of no interest any more.
      const r = it.return?.();
      if (r !== undefined && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, () => {});
    },
  };
}

/**
 * Subscribes on the first read. Batches that arrive before the run asks for them wait in a queue (a synchronous
 * `from(array)` queues all of them at once); a read with the queue empty waits for the next emission. An error of
 * the Observable is thrown by the read that meets it, after the batches that came before it.
 */
function observableStream<B>(source: Observable<B>): Stream<B> {
  const queue: B[] = [];
  let head = 0;
  let ended = false;
  let failed = false;
  let failure: unknown;
  let waiting: { resolve: (r: IteratorResult<B>) => void; reject: (e: unknown) => void } | undefined;
  let sub: Subscription | undefined;
  let closed = false;
  const settle = () => {
    const w = waiting;
    if (w === undefined) return;
    if (head < queue.length) {
      waiting = undefined;
      w.resolve(take());
    } else if (failed) {
      waiting = undefined;
      w.reject(failure);
    } else if (ended) {
      waiting = undefined;
      w.resolve({ done: true, value: undefined });
    }
  };
  const take = (): IteratorResult<B> => {
    const value = queue[head];
    queue[head++] = undefined as B; // release the batch
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return { done: false, value };
  };
  return {
    next() {
      if (sub === undefined && !closed) {
        sub = source.subscribe({
          next: (v) => {
            if (closed) return;
            queue.push(v);
            settle();
          },
          error: (e) => {
            failed = true;
            failure = e;
            settle();
          },
          complete: () => {
            ended = true;
            settle();
          },
        });
      }
      if (head < queue.length) return take();
      if (failed) throw failure;
      if (ended || closed) return { done: true, value: undefined };
      return new Promise<IteratorResult<B>>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    close() {
      closed = true;
      queue.length = 0;
      head = 0;
      sub?.unsubscribe();
      if (waiting !== undefined) {
        const w = waiting;
        waiting = undefined;
        w.resolve({ done: true, value: undefined });
      }
    },
  };
}
