/**
 * Schedules: functions of the step (0-based update count) that give a hyperparameter's value, e.g. a learning rate.
 * Each carries its registry name and numeric parameters, so a checkpoint can rebuild it and a resumed run continues
 * where it stopped (the step counter is saved too).
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { integerAtLeast, nonNegative, positive } from './validate.js';
import { checkOptions } from './check-rule.js';
import { HyperparameterError } from './errors.js';

/** A schedule: callable with the step, and described by a registry name and numbers. */
export interface Schedule {
  (step: number): number;
  /** Registry name, e.g. `"cosineDecay"` (not `name`, which every function already has). */
  readonly schedule: string;
  /** The numbers that rebuild it through the registry. */
  readonly params: Readonly<Record<string, number>>;
}

/** The JSON form of a schedule in rule descriptions and checkpoints. */
export interface ScheduleDescription {
  /** Registered name of the schedule, e.g. `"cosineDecay"`. */
  readonly name: string;
  /** Its numeric parameters, by name (exact float64 values). */
  readonly params: Readonly<Record<string, number>>;
}

/** A learning rate (or other rate): a constant or a schedule. */
export type Rate = number | Schedule;

/** Wraps `fn` as a {@link Schedule} named `name` with parameters `params` (use it for user-defined schedules). */
export function makeSchedule(name: string, params: Readonly<Record<string, number>>, fn: (step: number) => number): Schedule {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`makeSchedule: name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (params === null || typeof params !== 'object' || Object.values(params).some((v) => typeof v !== 'number')) {
    throw new InvalidArgumentError(`makeSchedule ${name}: params must be an object of numbers`);
  }
  if (typeof fn !== 'function') throw new InvalidArgumentError(`makeSchedule ${name}: fn must be a function of the step`);
  const s = ((step: number) => fn(step)) as Schedule;
  Object.defineProperty(s, 'schedule', { value: name, enumerable: true });
  Object.defineProperty(s, 'params', { value: Object.freeze({ ...params }), enumerable: true });
  return Object.freeze(s);
}

/** True when `x` is a {@link Schedule}. */
export function isSchedule(x: unknown): x is Schedule {
  return typeof x === 'function' && typeof (x as Schedule).schedule === 'string';
}

/** The JSON description of a schedule. */
export function describeSchedule(s: Schedule): ScheduleDescription {
  if (!isSchedule(s)) throw new InvalidArgumentError('describeSchedule: not a schedule (make one with makeSchedule)');
  return { name: s.schedule, params: { ...s.params } };
}

/** The value `value` at every step. */
export function constant(value: number): Schedule {
  nonNegative('constant', 'value', value);
  return makeSchedule('constant', { value }, () => value);
}

/**
 * `init · rate^(t / steps)` (Optax `exponential_decay`); with `staircase` the exponent is ⌊t / steps⌋.
 * @param init value at step 0
 * @param rate factor per `steps` steps, > 0
 */
export function exponentialDecay(init: number, rate: number, steps: number, options: { staircase?: boolean } = {}): Schedule {
  checkOptions('exponentialDecay', options, ['staircase']);
  nonNegative('exponentialDecay', 'init', init);
  positive('exponentialDecay', 'rate', rate);
  positive('exponentialDecay', 'steps', steps);
  const staircase = options.staircase ? 1 : 0;
  return makeSchedule('exponentialDecay', { init, rate, steps, staircase }, (t) => {
    const e = staircase ? Math.floor(t / steps) : t / steps;
    return init * rate ** e;
  });
}

/**
 * Cosine decay from `init` to `alpha · init` over `steps` steps, then constant (Optax `cosine_decay_schedule`):
 * `init · ((1 − α) · ½(1 + cos(π min(t, steps)/steps)) + α)`.
 */
export function cosineDecay(init: number, steps: number, alpha = 0): Schedule {
  nonNegative('cosineDecay', 'init', init);
  integerAtLeast('cosineDecay', 'steps', steps, 1);
  nonNegative('cosineDecay', 'alpha', alpha);
  return makeSchedule('cosineDecay', { init, steps, alpha }, (t) => {
    const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps));
    return init * ((1 - alpha) * c + alpha);
  });
}

/**
 * Log-linear warm-up: `exp(log start + (log end − log start) · min(t, n)/n)`, i.e. geometric interpolation from
 * `start` at t = 0 to `end` at t = n, then constant. The usual warm-up for natural-gradient step sizes (e.g. 1e-4 →
 * 0.1), where a linear ramp would spend almost all its steps near the end value.
 */
export function logLinearWarmup(start: number, end: number, n: number): Schedule {
  positive('logLinearWarmup', 'start', start);
  positive('logLinearWarmup', 'end', end);
  integerAtLeast('logLinearWarmup', 'n', n, 1);
  const a = Math.log(start);
  const b = Math.log(end);
  return makeSchedule('logLinearWarmup', { start, end, n }, (t) => (t >= n ? end : Math.exp(a + ((b - a) * t) / n)));
}

/**
 * Robbins–Monro step sizes `(τ + t)^−κ` (Hoffman et al.'s SVI schedule). τ > 0 keeps step 0 finite; κ ∈ (0.5, 1] is
 * the Robbins–Monro condition (Σ ρ = ∞, Σ ρ² < ∞) that the name promises, so other values are rejected.
 */
export function robbinsMonro(tau: number, kappa: number): Schedule {
  positive('robbinsMonro', 'tau', tau);
  if (!(kappa > 0.5 && kappa <= 1)) throw new HyperparameterError('robbinsMonro', 'kappa', kappa, 'a number in (0.5, 1]');
  return makeSchedule('robbinsMonro', { tau, kappa }, (t) => (tau + t) ** -kappa);
}

/** Reads a rate: the number itself, or the schedule at `step`. */
export function rateAt(rate: Rate, step: number): number {
  return typeof rate === 'number' ? rate : rate(step);
}

/** Validates a rate hyperparameter: a finite number ≥ 0, or a schedule. */
export function checkRate(rule: string, name: string, rate: Rate): Rate {
  if (isSchedule(rate)) return rate;
  return nonNegative(rule, name, rate as number);
}

/** Splits rates into numeric hyperparameters and schedules (the leaf-rule spec wants them apart). */
export function splitRates(rates: Readonly<Record<string, Rate>>): [Record<string, number>, Record<string, Schedule>] {
  const numbers: Record<string, number> = {};
  const schedules: Record<string, Schedule> = {};
  for (const [k, v] of Object.entries(rates)) {
    if (typeof v === 'number') numbers[k] = v;
    else schedules[k] = v;
  }
  return [numbers, schedules];
}
