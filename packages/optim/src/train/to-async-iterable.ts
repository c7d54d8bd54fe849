/** `toAsyncIterable`: consuming a training stream with `for await`. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { Observable, Subscription } from 'rxjs';
import { checkObservable, checkOptions } from '../check-rule.js';
import { shown } from '../errors.js';

/** Options of {@link toAsyncIterable}. */
export interface ToAsyncIterableOptions {
  /**
   * Most values held while the consumer is busy; beyond it the oldest are dropped (the consumer sees the latest
   * states, as a UI wants). Default `Infinity`: nothing is dropped. A training stream yields to the event loop between
   * slices, so a consumer that does not await slow work keeps the buffer at most one slice long anyway.
   */
  readonly bufferSize?: number;
}

/**
 * Turns an Observable into an async iterable for `for await`. Each iteration subscribes anew (the stream is cold) on
 * its first `next()`; leaving the loop early (`break`, `return`, an exception) unsubscribes, which stops a training
 * run. An error of the stream (a `TrainingError`) is thrown from the loop after the values before it.
 * @example
 * for await (const s of toAsyncIterable(train(opts))) {
 *   if (s.loss < 1e-3) break; // stops the run
 * }
 */
export function toAsyncIterable<T>(source: Observable<T>, options: ToAsyncIterableOptions = {}): AsyncIterable<T> {
  checkObservable('toAsyncIterable', source);
  checkOptions('toAsyncIterable', options, ['bufferSize']);
  const bufferSize = options.bufferSize ?? Infinity;
  if (!(bufferSize >= 1)) {
    throw new InvalidArgumentError(`toAsyncIterable: bufferSize must be ≥ 1, got ${shown(bufferSize)}`);
  }
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const buffer: T[] = [];
      let head = 0; // index of the oldest unread value in `buffer`
      let waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
      let subscription: Subscription | undefined;
      let finished = false; // the source completed or failed
      let failed = false;
      let failure: unknown;
      let closed = false; // the consumer called return()

      const settle = (): void => {
        if (waiting === undefined) return;
        const w = waiting;
        if (head < buffer.length) {
          waiting = undefined;
          const value = buffer[head] as T;
          buffer[head++] = undefined as T;
          if (head > 1024 && head * 2 > buffer.length) {
            buffer.splice(0, head);
            head = 0;
          }
          w.resolve({ value, done: false });
        } else if (finished || closed) {
          waiting = undefined;
          if (failed && !closed) {
            failed = false;
            closed = true;
            w.reject(failure);
          } else {
            closed = true;
            w.resolve({ value: undefined, done: true });
          }
        }
      };
      const start = (): void => {
        subscription = source.subscribe({
          next(value) {
            buffer.push(value);
            if (buffer.length - head > bufferSize) buffer[head++] = undefined as T;
            settle();
          },
          error(err: unknown) {
            finished = true;
            failed = true;
            failure = err;
            settle();
          },
          complete() {
            finished = true;
            settle();
          },
        });
      };
      return {
        next(): Promise<IteratorResult<T>> {
          return new Promise<IteratorResult<T>>((resolve, reject) => {
            if (waiting !== undefined) {
              reject(new InvalidArgumentError('toAsyncIterable: next() called before the previous call settled'));
              return;
            }
            waiting = { resolve, reject };
            if (subscription === undefined && !closed) start();
            settle();
          });
        },
        return(): Promise<IteratorResult<T>> {
          closed = true;
          subscription?.unsubscribe();
          buffer.length = 0;
          head = 0;
          settle();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
