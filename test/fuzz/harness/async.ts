/**
 * Running asynchronous results to an end within a case: Observables (collected, then unsubscribed), async iterables
 * and promises, each bounded in values and in time, so an endless stream is stopped and a stuck one is a hang.
 * @module
 */
import type { Observable } from 'rxjs';

/** Thrown when an asynchronous call does not settle in time. */
export class HangError extends Error {
  constructor(ms: number) {
    super(`did not settle within ${ms} ms`);
    this.name = 'HangError';
  }
}

/** Most milliseconds an asynchronous stage may take. */
export const DEFAULT_TIMEOUT_MS = 5000;

const waiting = new Set<(e: unknown) => void>();

/**
 * Hands an error thrown asynchronously (a timer, an rxjs `reportUnhandledError`) to the asynchronous stage that is
 * waiting, which then fails with it at once instead of hanging. False when nothing is waiting.
 */
export function reportAsyncError(e: unknown): boolean {
  if (waiting.size === 0) return false;
  for (const reject of [...waiting]) reject(e);
  return true;
}

/**
 * Subscribes to `source` and resolves with up to `max` values once it completes or `max` values have arrived
 * (then unsubscribes); rejects with the stream's error, or with a {@link HangError} after `ms`.
 */
export function collect<T>(source: Observable<T>, max = 20, ms = DEFAULT_TIMEOUT_MS): Promise<T[]> {
  return within(new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    let done = false;
    const timer = setTimeout(() => finish(() => reject(new HangError(ms))), ms);
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => subscription?.unsubscribe());
      f();
    };
    let subscription: { unsubscribe(): void } | undefined;
    const sub = source.subscribe({
      next(v: T) {
        values.push(v);
        if (values.length >= max) finish(() => resolve(values));
      },
      error: (e: unknown) => finish(() => reject(e)),
      complete: () => finish(() => resolve(values)),
    });
    subscription = sub;
    if (done) sub.unsubscribe();
  }), ms + 100);
}

/** Iterates an async iterable for up to `max` values, returning early (which unsubscribes a stream) after that. */
export async function iterate<T>(source: AsyncIterable<T>, max = 20, ms = DEFAULT_TIMEOUT_MS): Promise<T[]> {
  const values: T[] = [];
  const run = (async () => {
    for await (const v of source) {
      values.push(v);
      if (values.length >= max) break;
    }
    return values;
  })();
  return within(run, ms);
}

/**
 * Waits `ms` for an error thrown asynchronously after an asynchronous call returned (rxjs reports errors thrown in
 * subscriber callbacks on a timer), so that it is charged to the case that caused it, not to the next one.
 */
export function lateError(ms = 2): Promise<{ error: unknown } | undefined> {
  return new Promise((resolve) => {
    const catchIt = (error: unknown) => {
      clearTimeout(timer);
      waiting.delete(catchIt);
      resolve({ error });
    };
    const timer = setTimeout(() => {
      waiting.delete(catchIt);
      resolve(undefined);
    }, ms);
    waiting.add(catchIt);
  });
}

/** `p`, or a {@link HangError} after `ms`, or the first error thrown asynchronously meanwhile. */
export function within<T>(p: Promise<T>, ms = DEFAULT_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (e: unknown) => settle(() => reject(e));
    const timer = setTimeout(() => fail(new HangError(ms)), ms);
    const settle = (f: () => void) => {
      clearTimeout(timer);
      waiting.delete(fail);
      f();
    };
    waiting.add(fail);
    p.then((v) => settle(() => resolve(v)), fail);
  });
}
