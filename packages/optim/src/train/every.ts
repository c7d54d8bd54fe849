/** `every`: thinning a training stream for a UI. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { checkEmitted, checkObservable } from '../check-rule.js';
import { derived } from './observable.js';
import type { TrainState } from './types.js';

/**
 * Emits the states whose `step` is a multiple of `k`, plus the last state of the stream (when the stream completes,
 * or just before it fails, so a plot or a table always ends on the final state). Based on `step`, not on position in
 * the stream, so a resumed run shows the same steps as an uninterrupted one.
 *
 * Not rxjs's `every` (a predicate test): import it under another name if you use both.
 * @example train(opts).pipe(every(100)).subscribe(plot) // steps 100, 200, …, and the last
 * @throws {InvalidArgumentError} unless `k` is a positive integer.
 */
export function every<S extends Pick<TrainState, 'step'>>(k: number): MonoTypeOperatorFunction<S> {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`every: k must be a positive integer, got ${String(k)}`);
  return (source) =>
    derived<S>(checkObservable('every: source', source), (subscriber) => {
      let pending: S | undefined; // the latest state, if it was not emitted
      let hasPending = false;
      const flush = (): void => {
        if (hasPending) {
          hasPending = false;
          const s = pending as S;
          pending = undefined;
          subscriber.next(s);
        }
      };
      return source.subscribe({
        next(state) {
          try {
            checkEmitted('every', state);
          } catch (e) {
            subscriber.error(e);
            return;
          }
          if (state.step % k === 0) {
            hasPending = false;
            pending = undefined;
            subscriber.next(state);
          } else {
            pending = state;
            hasPending = true;
          }
        },
        error(err: unknown) {
          flush();
          subscriber.error(err);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });
    });
}
