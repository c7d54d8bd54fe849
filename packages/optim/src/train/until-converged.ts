/** `untilConverged`: early stopping on a flat loss. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { checkOptions } from '../check-rule.js';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { derived } from './observable.js';
import type { TrainState } from './types.js';
import { shown } from '../errors.js';

/** Options of {@link untilConverged}. */
export interface UntilConvergedOptions {
  /** Number of steps per window (≥ 1). Convergence is first checked after `2 · window` states. */
  readonly window: number;
  /** Relative tolerance: stop when |mean(recent) − mean(previous)| ≤ atol + rtol · |mean(previous)|. */
  readonly rtol: number;
  /** Absolute tolerance, for losses that converge to 0. Default 0. */
  readonly atol?: number;
}

/**
 * Completes the stream (unsubscribing from the run, which stops it) once the loss has stopped changing: when the mean
 * loss of the last `window` states and the mean of the `window` states before them satisfy
 * `|recent − previous| ≤ atol + rtol · |previous|`. The state that triggers it is emitted before completing; every
 * state passes through unchanged.
 *
 * Comparing window means rather than two single losses makes the test robust to the noise of stochastic objectives
 * (Monte Carlo ELBO estimates): on a still-improving loss the means keep moving apart and it does not fire.
 * Only states that moved count as evidence: a state whose `params` are the same object as the previous state's (no
 * step was taken — every natural-gradient step rejected, an `accumulate` micro-step, a skipped non-finite step;
 * `train` shares unchanged parameters) is passed through but left out of the windows, so a stuck run never looks
 * converged. Non-finite losses are left out too.
 * @example train(opts).pipe(untilConverged({ window: 50, rtol: 1e-4 }))
 * @throws {InvalidArgumentError} for a window that is not a positive integer or a negative tolerance.
 */
export function untilConverged<S extends Pick<TrainState, 'loss'> & Partial<Pick<TrainState, 'params'>>>(
  options: UntilConvergedOptions,
): MonoTypeOperatorFunction<S> {
  if (options === undefined) throw new InvalidArgumentError('untilConverged: options { window, rtol, atol? } are required');
  checkOptions('untilConverged', options, ['window', 'rtol', 'atol']);
  const { window, rtol, atol = 0 } = options;
  if (!Number.isInteger(window) || window < 1) {
    throw new InvalidArgumentError(`untilConverged: window must be a positive integer, got ${shown(window)}`);
  }
  if (!(rtol >= 0) || !(atol >= 0)) {
    throw new InvalidArgumentError(`untilConverged: rtol and atol must be ≥ 0, got rtol ${rtol}, atol ${atol}`);
  }
  return (source) =>
    derived<S>(source, (subscriber) => {
      const ring = new Float64Array(2 * window); // the last 2·window finite losses, oldest at `head` once full
      let filled = 0;
      let head = 0;
      let seen = false;
      let previousParams: unknown;
      return source.subscribe({
        next(state) {
          subscriber.next(state);
          const moved = !seen || state.params === undefined || state.params !== previousParams;
          seen = true;
          previousParams = state.params;
          const loss = state.loss;
          if (!moved || !Number.isFinite(loss)) return;
          ring[head] = loss;
          head = (head + 1) % ring.length;
          if (filled < ring.length) filled++;
          if (filled < ring.length) return;
          let previous = 0;
          let recent = 0;
          for (let i = 0; i < window; i++) {
            previous += ring[(head + i) % ring.length];
            recent += ring[(head + window + i) % ring.length];
          }
          previous /= window;
          recent /= window;
          if (Math.abs(recent - previous) <= atol + rtol * Math.abs(previous)) subscriber.complete();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
