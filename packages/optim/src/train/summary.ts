/** `summary`: what a training run did, in a few numbers and one line of text. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { OperatorFunction } from 'rxjs';
import { booleanOption, checkEmitted, checkObservable, checkOptions } from '../check-rule.js';
import { namedBy, shown } from '../errors.js';
import { derived } from './observable.js';
import { TrainingError } from './errors.js';
import type { TrainState } from './types.js';

/** A summary of the states a training stream emitted. */
export interface TrainSummary {
  /** Number of states seen. */
  readonly steps: number;
  /** `step` of the first state seen (`undefined` if none). */
  readonly firstStep: number | undefined;
  /** `step` of the last state seen (`undefined` if none). */
  readonly lastStep: number | undefined;
  /** Loss of the last state. */
  readonly finalLoss: number | undefined;
  /** Lowest finite loss seen. */
  readonly bestLoss: number | undefined;
  /** `step` of the state that reported `bestLoss`. */
  readonly bestStep: number | undefined;
  /** `wallTime` of the last state (ms since the run started). */
  readonly wallTime: number | undefined;
  /** Number of optimiser events by type (`{ backtrack: 3, "skip-nonfinite": 1 }`). */
  readonly events: Readonly<Record<string, number>>;
  /** The last state seen. */
  readonly lastState: TrainState | undefined;
}

/** Accumulates a {@link TrainSummary} state by state (used by {@link summary} and `progressBar` (from `@natgrad/optim/progress`)). */
export class SummaryAccumulator {
  private count = 0;
  private first: number | undefined;
  private last: TrainState | undefined;
  private best: number | undefined;
  private bestAt: number | undefined;
  private readonly eventCounts: Record<string, number> = {};

  /**
   * Adds one state.
   * @throws {InvalidArgumentError} for something that is not a training state (an integer step, a numeric loss, events)
   */
  add(state: TrainState): void {
    checkEmitted('SummaryAccumulator.add', state, true);
    this.count++;
    if (this.first === undefined) this.first = state.step;
    this.last = state;
    if (Number.isFinite(state.loss) && (this.best === undefined || state.loss < this.best)) {
      this.best = state.loss;
      this.bestAt = state.step;
    }
    for (const e of state.events) this.eventCounts[e.type] = (this.eventCounts[e.type] ?? 0) + 1;
  }

  /** The summary so far (a fresh frozen object). */
  get value(): TrainSummary {
    return Object.freeze({
      steps: this.count,
      firstStep: this.first,
      lastStep: this.last?.step,
      finalLoss: this.last?.loss,
      bestLoss: this.best,
      bestStep: this.bestAt,
      wallTime: this.last?.wallTime,
      events: Object.freeze({ ...this.eventCounts }),
      lastState: this.last,
    });
  }
}

/**
 * Reduces a training stream to one {@link TrainSummary}, emitted when it completes. If the stream fails, the error
 * is passed on (the summary so far is lost; use `progressBar` (from `@natgrad/optim/progress`) or `TrainingError.lastGoodState` instead).
 * @example const s = await lastValueFrom(train(opts).pipe(summary()));
 */
export function summary(): OperatorFunction<TrainState, TrainSummary> {
  return (source) =>
    derived<TrainSummary>(checkObservable('summary: source', source), (subscriber) => {
      const acc = new SummaryAccumulator();
      return source.subscribe({
        next: (s) => {
          try {
            acc.add(s);
          } catch (e) {
            subscriber.error(namedBy(e, 'summary'));
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          subscriber.next(acc.value);
          subscriber.complete();
        },
      });
    });
}

/**
 * Formats a number of milliseconds: `"850 ms"`, `"12.3 s"`, `"4 min 05 s"`.
 * @throws {InvalidArgumentError} when `ms` is not a number
 */
export function formatDuration(ms: number): string {
  if (typeof ms !== 'number') throw new InvalidArgumentError(`formatDuration: ms must be a number, got ${shown(ms)}`);
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Formats a loss with 6 significant digits (`undefined`, no loss yet, as `–`).
 * @throws {InvalidArgumentError} when `x` is neither a number nor undefined
 */
export function formatLoss(x: number | undefined): string {
  if (x === undefined) return '–';
  if (typeof x !== 'number') throw new InvalidArgumentError(`formatLoss: x must be a number, got ${shown(x)}`);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(5) : x.toPrecision(6);
}

/** How a run ended, for {@link formatSummary}. */
export interface SummaryEnding {
  /** The error the stream failed with. */
  readonly error?: unknown;
  /** The stream was unsubscribed before it ended. */
  readonly stopped?: boolean;
}

/**
 * One line describing a run, e.g.
 * `"trained 1000 steps (1–1000) in 1.25 s: final loss 0.00123000, best 0.00121000 at step 987; events: backtrack ×3"`.
 * With `ending.error` it says where the run failed and why; with `ending.stopped`, that it was stopped.
 */
export function formatSummary(s: TrainSummary, ending: SummaryEnding = {}): string {
  if (s === null || typeof s !== 'object' || typeof s.steps !== 'number' || s.events === null || typeof s.events !== 'object') {
    throw new InvalidArgumentError('formatSummary: expected a TrainSummary (from summary() or SummaryAccumulator)');
  }
  checkOptions('formatSummary: ending', ending, ['error', 'stopped']);
  const { error } = ending;
  const stopped = booleanOption('formatSummary: ending', ending, 'stopped', false);
  const plural = s.steps === 1 ? '' : 's';
  const range = s.firstStep === undefined ? '' : ` (steps ${s.firstStep}–${s.lastStep})`;
  const time = s.wallTime === undefined ? '' : ` in ${formatDuration(s.wallTime)}`;
  let head: string;
  if (error !== undefined) {
    const at = error instanceof TrainingError ? error.step : (s.lastStep ?? 0);
    head = `training failed at step ${at} after ${s.steps} step${plural}${range}${time}`;
  } else {
    head = `${stopped ? 'stopped after' : 'trained'} ${s.steps} step${plural}${range}${time}`;
  }
  const losses =
    s.steps === 0 ? '' : `: final loss ${formatLoss(s.finalLoss)}, best ${formatLoss(s.bestLoss)} at step ${s.bestStep ?? '–'}`;
  const types = Object.keys(s.events).sort();
  const events = types.length === 0 ? '; no events' : `; events: ${types.map((t) => `${t} ×${s.events[t]}`).join(', ')}`;
  const why = error === undefined ? '' : ` — ${error instanceof Error ? error.message : describeThrown(error)}`;
  return `${head}${losses}${events}${why}`;
}

/** A thrown value that is not an Error, as text (`String` throws for a null-prototype object). */
function describeThrown(e: unknown): string {
  try {
    return String(e);
  } catch {
    return shown(e);
  }
}
