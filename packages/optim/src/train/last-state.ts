/** `lastState`: the final state of a run, as a promise. @module */
import { type Observable, lastValueFrom } from 'rxjs';
import { checkObservable } from '../check-rule.js';

/**
 * Runs a (training) stream to completion and resolves with its last value, or `undefined` if it emitted nothing (a
 * resumed run that had already reached `steps`). Rejects with the stream's error (a `TrainingError`, whose
 * `lastGoodState` is the last state).
 * @example const final = await lastState(train(opts).pipe(untilConverged({ window: 20, rtol: 1e-6 })));
 */
export function lastState<T>(source: Observable<T>): Promise<T | undefined> {
  checkObservable('lastState', source);
  return lastValueFrom(source, { defaultValue: undefined });
}
