/** `progressBar`: a terminal progress bar and a closing summary for a training stream. @module */
import cliProgress from 'cli-progress';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { InvalidArgumentError } from '@natgrad/core';
import { booleanOption, checkObservable, checkOptions } from '../check-rule.js';
import { namedBy, shown } from '../errors.js';
import { derived } from './observable.js';
import { SummaryAccumulator, formatLoss, formatSummary } from './summary.js';
import type { TrainState } from './types.js';

/** The part of a writable stream that {@link progressBar} uses (`process.stderr`, a file stream, a test double). */
export interface ProgressStream {
  /** Writes text (the bar's escape sequences and lines, the summary). */
  write(chunk: string): unknown;
  /** True for a terminal: the bar is redrawn in place. */
  readonly isTTY?: boolean;
  /** Terminal width in characters (default 80). */
  readonly columns?: number;
}

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** The step at which the run ends (the `steps` given to `train`), for the bar and the ETA; without it, a counter. */
  readonly total?: number;
  /** Where to write. Default `process.stderr` (nothing is written where there is no `process`, e.g. a browser). */
  readonly stream?: ProgressStream;
  /**
   * Write even when `stream` is not a terminal. A non-terminal then gets one plain progress line every `interval`
   * ms and the summary. Default false: quiet when not a TTY (CI logs, pipes).
   */
  readonly force?: boolean;
  /** Text before the bar. Default `"train"`. */
  readonly label?: string;
  /** Most redraws per second on a terminal. Default 10. */
  readonly fps?: number;
  /** Milliseconds between progress lines on a non-terminal with `force`. Default 2000. */
  readonly interval?: number;
  /** Print the one-line summary when the stream ends (completes, fails, or is unsubscribed). Default true. */
  readonly summary?: boolean;
}

const OPTION_KEYS = ['total', 'stream', 'force', 'label', 'fps', 'interval', 'summary'];

/** Every option of {@link progressBar} of its documented type (so `force: 'no'` or `fps: NaN` fail where they are written). */
function checkProgressOptions(options: ProgressBarOptions): void {
  checkOptions('progressBar', options, OPTION_KEYS);
  const o = options as Readonly<Record<string, unknown>>;
  booleanOption('progressBar', o, 'force', false);
  booleanOption('progressBar', o, 'summary', true);
  if (o.label !== undefined && typeof o.label !== 'string') throw new InvalidArgumentError(`progressBar: option label must be a string, got ${shown(o.label)}`);
  for (const k of ['total', 'fps', 'interval']) {
    const v = o[k];
    const ok = typeof v === 'number' && (k === 'total' ? v === Infinity || (Number.isInteger(v) && v >= 0) : Number.isFinite(v) && (k === 'fps' ? v > 0 : v >= 0));
    if (v !== undefined && !ok) {
      const want = k === 'total' ? 'an integer ≥ 0 (or Infinity)' : k === 'fps' ? 'a finite number > 0' : 'a finite number ≥ 0';
      throw new InvalidArgumentError(`progressBar: option ${k} must be ${want}, got ${shown(v)}`);
    }
  }
  const st = o.stream as { write?: unknown } | undefined;
  if (st !== undefined && (st === null || typeof st !== 'object' || typeof st.write !== 'function')) {
    throw new InvalidArgumentError(`progressBar: option stream must be a writable stream (an object with write), got ${shown(st)}`);
  }
}

/**
 * Passes every state through unchanged and draws a `cli-progress` bar for them on a terminal (stderr by default):
 * step, loss, best loss, ETA. When the stream completes, fails or is unsubscribed, the bar is stopped and one summary
 * line is printed (see {@link formatSummary}): steps, final loss, best loss, time, events, and the failure if any.
 * Quiet unless `stream` is a TTY or `force` is set. Each subscription draws its own bar.
 * @example train({ ...opts, steps: 5000 }).pipe(progressBar({ total: 5000 })).subscribe();
 */
export function progressBar<S extends TrainState>(options: ProgressBarOptions = {}): MonoTypeOperatorFunction<S> {
  checkProgressOptions(options);
  return (source) => {
    checkObservable('progressBar: source', source);
    return derived<S>(source, (subscriber) => {
      const stream = options.stream ?? defaultStream();
      const active = stream !== undefined && (stream.isTTY === true || options.force === true);
      if (!active) return source.subscribe(subscriber);
      const target = stream as ProgressStream;
      let inner: { unsubscribe(): void } | undefined;
      let broken = false;
      // A stream whose write throws (a closed pipe, a test double) ends the run with that error: the bar's redraw
      // timer writes outside any rxjs callback, where an exception would be uncaught.
      const write = (chunk: string): unknown => {
        if (broken) return true;
        try {
          return target.write(chunk);
        } catch (e) {
          broken = true;
          ended = true;
          bar?.stop();
          inner?.unsubscribe();
          subscriber.error(e);
          return true;
        }
      };
      const out = new Proxy(target, { get: (t, k) => (k === 'write' ? write : Reflect.get(t, k)) }) as ProgressStream;
      const tty = target.isTTY === true;
      const total = options.total;
      const known = total !== undefined && Number.isFinite(total) && total > 0;
      const label = options.label ?? 'train';
      const acc = new SummaryAccumulator();
      let bar: cliProgress.SingleBar | undefined;
      let ended = false;

      const end = (error: unknown, stopped: boolean): void => {
        if (ended) return;
        ended = true;
        bar?.stop();
        if (options.summary !== false) out.write(`${formatSummary(acc.value, { error, stopped })}\n`);
      };

      inner = source.subscribe({
        next(state) {
          try {
            acc.add(state);
          } catch (e) {
            subscriber.error(namedBy(e, 'progressBar'));
            return;
          }
          const s = acc.value;
          const payload = { label, loss: formatLoss(state.loss), best: formatLoss(s.bestLoss) };
          if (bar === undefined) {
            bar = new cliProgress.SingleBar({
              stream: out as unknown as NodeJS.WritableStream,
              format: known
                ? '{label} [{bar}] {percentage}% | step {value}/{total} | loss {loss} | best {best} | ETA {eta_formatted}'
                : '{label} | step {value} | loss {loss} | best {best} | {duration_formatted}',
              fps: options.fps ?? 10,
              noTTYOutput: !tty,
              // on a non-terminal every render already ends its line: no extra newline at the end
              clearOnComplete: !tty,
              notTTYSchedule: options.interval ?? 2000,
              gracefulExit: false,
              hideCursor: false,
              linewrap: null as unknown as boolean,
              etaBuffer: 50,
            });
            bar.start(known ? (total as number) : 0, state.step, payload);
          } else {
            bar.update(state.step, payload);
          }
          subscriber.next(state);
        },
        error(err: unknown) {
          end(err, false);
          subscriber.error(err);
        },
        complete() {
          end(undefined, false);
          subscriber.complete();
        },
      });
      return () => {
        inner?.unsubscribe();
        end(undefined, true);
      };
    });
  };
}

function defaultStream(): ProgressStream | undefined {
  const p = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  return p?.stderr;
}
