/**
 * A linear warm-up joined to a decay (Optax `warmup_cosine_decay_schedule`, `warmup_exponential_decay_schedule`):
 * from `init` to `peak` over `warmupSteps` steps, then the decay starting from `peak`, which sees the step counted
 * from the end of the warm-up (as `joinSchedules` does).
 * @module
 */
import { checkOptions } from '../check-rule.js';
import { fail, integer, nonNegative, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/** The warm-up ramp at step t < w (Optax's linear schedule from `init` to `peak` over w steps). */
function ramp(init: number, peak: number, w: number, t: number): number {
  return (init - peak) * (1 - Math.min(Math.max(t, 0), w) / w) + peak;
}

/**
 * `warmupCosineDecay(init, peak, warmupSteps, decaySteps, end = 0, exponent = 1)` (Optax
 * `warmup_cosine_decay_schedule`): linear from `init` to `peak` over the first w = warmupSteps steps, then with
 * s = t − w and D = decaySteps − w (decaySteps counts the warm-up, as in Optax) and α = end/peak (0 if peak = 0):
 * `peak · ((1 − α) · (½(1 + cos(π min(s, D)/D)))^exponent + α)`, which reaches `end` at t = decaySteps and stays.
 * `warmupSteps = 0` is a plain cosine decay.
 * @throws {HyperparameterError} unless init, peak, end ≥ 0, exponent > 0, warmupSteps an integer ≥ 0 and decaySteps
 * an integer > warmupSteps
 */
export const warmupCosineDecay = defineSchedule({
  name: 'warmupCosineDecay',
  params: (init: number, peak: number, warmupSteps: number, decaySteps: number, end = 0, exponent = 1) => ({ init, peak, warmupSteps, decaySteps, end, exponent }),
  check: { init: nonNegative, peak: nonNegative, warmupSteps: integer(0), decaySteps: integer(1), end: nonNegative, exponent: positive },
  at: ({ init, peak, warmupSteps: w, decaySteps, end, exponent }) => {
    if (!(decaySteps > w)) fail('warmupCosineDecay', 'decaySteps', decaySteps, `greater than warmupSteps = ${w} (it counts the warm-up too)`);
    const d = decaySteps - w;
    return (t) => {
      if (t < w) return ramp(init, peak, w, t);
      const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(t - w, d)) / d));
      // peak·((1 − α)·cᵉ + α) with α = end/peak, written without the ratio (which overflows for a tiny peak)
      return (peak - end) * c ** exponent + end;
    };
  },
});

/** Options of {@link warmupExponentialDecay}. */
export interface WarmupExponentialDecayOptions {
  /** Steps after the warm-up during which the value stays at `peak` before it decays (default 0). */
  readonly transitionBegin?: number;
  /** Decay in whole multiples of `steps` (⌊s/steps⌋ in the exponent) instead of continuously (default false). */
  readonly staircase?: boolean;
  /**
   * A bound on the decay: a floor when rate < 1, a cap when rate > 1 (Optax `end_value`). 0, the default, leaves it
   * unbounded.
   */
  readonly endValue?: number;
}

/**
 * `warmupExponentialDecay(init, peak, warmupSteps, rate, steps, { transitionBegin = 0, staircase = false, endValue = 0
 * })` (Optax `warmup_exponential_decay_schedule(init_value, peak_value, warmup_steps, transition_steps = steps,
 * decay_rate = rate, …)`; the order of `rate` and `steps` is that of `exponentialDecay`): linear from `init` to
 * `peak` over the first w = warmupSteps steps, then with s = t − w − transitionBegin, `peak` while s ≤ 0 and
 * `peak · rate^(s/steps)` after (⌊s/steps⌋ with `staircase`), bounded by `endValue` when it is > 0.
 * @throws {HyperparameterError} unless init, peak, endValue ≥ 0, rate > 0, steps > 0, warmupSteps and
 * transitionBegin integers ≥ 0
 */
export const warmupExponentialDecay = defineSchedule({
  name: 'warmupExponentialDecay',
  params: (init: number, peak: number, warmupSteps: number, rate: number, steps: number, options: WarmupExponentialDecayOptions = {}) => {
    checkOptions('warmupExponentialDecay', options, ['transitionBegin', 'staircase', 'endValue']);
    const { transitionBegin = 0, staircase = false, endValue = 0 } = options;
    if (typeof staircase !== 'boolean') fail('warmupExponentialDecay', 'staircase', staircase, 'a boolean');
    return { init, peak, warmupSteps, rate, steps, transitionBegin, staircase: staircase ? 1 : 0, endValue };
  },
  check: {
    init: nonNegative,
    peak: nonNegative,
    warmupSteps: integer(0),
    rate: positive,
    steps: positive,
    transitionBegin: integer(0),
    staircase: (schedule, name, v) => (v === 0 || v === 1 ? v : fail(schedule, name, v, '0 or 1')),
    endValue: nonNegative,
  },
  at: ({ init, peak, warmupSteps: w, rate, steps, transitionBegin, staircase, endValue }) => {
    const bound = endValue === 0 ? (v: number) => v : rate < 1 ? (v: number) => Math.max(v, endValue) : (v: number) => Math.min(v, endValue);
    return (t) => {
      if (t < w) return ramp(init, peak, w, t);
      const s = t - w - transitionBegin;
      if (s <= 0) return bound(peak);
      const p = s / steps;
      return bound(peak * rate ** (staircase === 1 ? Math.floor(p) : p));
    };
  },
});
