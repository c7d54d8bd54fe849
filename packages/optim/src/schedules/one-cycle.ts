/**
 * One-cycle schedules (Smith & Topin, "Super-convergence", 2017; Optax `cosine_onecycle_schedule`,
 * `linear_onecycle_schedule`): up from peak/divFactor to `peak`, then down to far below the start. Both are Optax's
 * `piecewise_interpolate_schedule`: values multiplied at boundary steps, interpolated in between.
 * @module
 */
import { checkOptions } from '../check-rule.js';
import { fail, integer, nonNegative, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';
import { pieceAt } from './list-checks.js';

/**
 * Optax's piecewise interpolation: the value is `init` times the scales of the boundaries passed, and between two
 * boundaries it moves from one such value to the next by `interpolate(start, end, fraction)`.
 */
function interpolated(init: number, bounds: readonly number[], factors: readonly number[], interpolate: (a: number, b: number, pct: number) => number): (t: number) => number {
  const values = [init];
  for (let i = 0; i < factors.length; i++) values.push(values[i] * factors[i]);
  const edges = [0, ...bounds];
  const last = values[values.length - 1];
  return (t) => {
    const k = pieceAt(edges, t) - 1; // edges[k] ≤ t < edges[k + 1]
    if (k < 0) return values[0];
    if (k >= bounds.length) return last;
    const size = Math.max(edges[k + 1] - edges[k], 1);
    return interpolate(values[k], values[k + 1], (t - edges[k]) / size);
  };
}

const cosine = (a: number, b: number, pct: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1);
const linear = (a: number, b: number, pct: number) => (b - a) * pct + a;

function fraction(schedule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(schedule, name, v, 'a number in [0, 1)');
  return v;
}

/** Options of {@link oneCycle}. */
export interface OneCycleOptions {
  /** Fraction of the steps spent rising to `peak` (default 0.3). */
  readonly pctStart?: number;
  /** The start value is peak / divFactor (default 25). */
  readonly divFactor?: number;
  /** The end value is start / finalDivFactor (default 1e4). */
  readonly finalDivFactor?: number;
}

/**
 * `oneCycle(transitionSteps, peak, { pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 })` (Optax
 * `cosine_onecycle_schedule`; PyTorch `OneCycleLR` has the same shape and defaults, reaching each value one step
 * earlier): with T = transitionSteps,
 * b = ⌊pctStart·T⌋ and a = peak/divFactor, cosine from a to `peak` over [0, b), cosine from `peak` down to
 * a/finalDivFactor over [b, T), then a/finalDivFactor. Each cosine piece from u to w is w + (u − w)/2 · (cos(π·f) + 1),
 * f the fraction of the piece done. When ⌊pctStart·T⌋ = 0 the rise is empty and the schedule starts at `peak` (Optax's
 * formula divides by the empty piece's length there and gives NaN).
 * @throws {HyperparameterError} unless T is an integer ≥ 1, peak ≥ 0, pctStart ∈ [0, 1) with ⌊pctStart·T⌋ < T,
 * divFactor and finalDivFactor > 0
 */
export const oneCycle = defineSchedule({
  name: 'oneCycle',
  params: (transitionSteps: number, peak: number, options: OneCycleOptions = {}) => {
    checkOptions('oneCycle', options, ['pctStart', 'divFactor', 'finalDivFactor']);
    const { pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
    return { transitionSteps, peak, pctStart, divFactor, finalDivFactor };
  },
  check: { transitionSteps: integer(1), peak: nonNegative, pctStart: fraction, divFactor: positive, finalDivFactor: positive },
  at: ({ transitionSteps: T, peak, pctStart, divFactor, finalDivFactor }) => {
    const b = Math.floor(pctStart * T);
    if (!(b < T)) fail('oneCycle', 'pctStart', pctStart, `small enough that ⌊pctStart · ${T}⌋ < ${T}`);
    return interpolated(peak / divFactor, [b, T], [divFactor, 1 / (divFactor * finalDivFactor)], cosine);
  },
});

/** Options of {@link linearOneCycle}. */
export interface LinearOneCycleOptions extends OneCycleOptions {
  /** Fraction of the steps after which the value is back at the start value (default 0.85). */
  readonly pctFinal?: number;
}

/**
 * `linearOneCycle(transitionSteps, peak, { pctStart = 0.3, pctFinal = 0.85, divFactor = 25, finalDivFactor = 1e4 })`
 * (Optax `linear_onecycle_schedule`): with
 * T = transitionSteps and a = peak/divFactor, linear from a to `peak` over [0, ⌊pctStart·T⌋), back to a by
 * ⌊pctFinal·T⌋, then down to a/finalDivFactor at T, then constant.
 * @throws {HyperparameterError} unless T is an integer ≥ 1, peak ≥ 0, 0 ≤ pctStart < pctFinal < 1 with
 * ⌊pctStart·T⌋ < ⌊pctFinal·T⌋ < T, divFactor and finalDivFactor > 0
 */
export const linearOneCycle = defineSchedule({
  name: 'linearOneCycle',
  params: (transitionSteps: number, peak: number, options: LinearOneCycleOptions = {}) => {
    checkOptions('linearOneCycle', options, ['pctStart', 'pctFinal', 'divFactor', 'finalDivFactor']);
    const { pctStart = 0.3, pctFinal = 0.85, divFactor = 25, finalDivFactor = 1e4 } = options;
    return { transitionSteps, peak, pctStart, pctFinal, divFactor, finalDivFactor };
  },
  check: { transitionSteps: integer(1), peak: nonNegative, pctStart: fraction, pctFinal: fraction, divFactor: positive, finalDivFactor: positive },
  at: ({ transitionSteps: T, peak, pctStart, pctFinal, divFactor, finalDivFactor }) => {
    const b1 = Math.floor(pctStart * T);
    const b2 = Math.floor(pctFinal * T);
    if (!(b1 < b2 && b2 < T)) fail('linearOneCycle', 'pctFinal', pctFinal, `such that ⌊pctStart · ${T}⌋ < ⌊pctFinal · ${T}⌋ < ${T} (pctStart = ${pctStart})`);
    return interpolated(peak / divFactor, [b1, b2, T], [divFactor, 1 / divFactor, 1 / finalDivFactor], linear);
  },
});
