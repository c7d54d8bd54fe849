/**
 * Hyperparameter checks: each takes the rule (or schedule) name, the hyperparameter name and the value, returns the
 * value when it is acceptable and throws {@link HyperparameterError} naming all three otherwise. A rule definition
 * lists one per hyperparameter (`check: { lr: rate, beta1: unitInterval, eps: positive }`); write your own the same
 * way, e.g. `(rule, name, v) => (v > 1 ? v : fail(rule, name, v, 'a number > 1'))`.
 * @module
 */
import { HyperparameterError } from './errors.js';
import { type Rate, isSchedule } from './schedules/schedule.js';

/** Checks one hyperparameter value: returns it when acceptable, throws a {@link HyperparameterError} otherwise. */
export type Check<T = number> = (rule: string, name: string, value: T) => T;

/** A {@link Check} of a schedulable hyperparameter: it accepts a {@link Schedule} as well as a number. */
export interface RateCheck extends Check<Rate> {
  /** Marks the hyperparameter as schedulable (a schedule may be given, and `adjust` may set one). */
  readonly schedulable: true;
}

/** Throws the {@link HyperparameterError} for `value` of hyperparameter `name` of `rule` (`requirement` in words). */
export function fail(rule: string, name: string, value: unknown, requirement: string): never {
  throw new HyperparameterError(rule, name, value, requirement);
}

/** A finite number ≥ 0. */
export function nonNegative(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(rule, name, v, 'a finite number ≥ 0');
  return v;
}

/** A finite number > 0. */
export function positive(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(rule, name, v, 'a finite number > 0');
  return v;
}

/** A number in [0, 1) — decay rates such as β or ρ (1 would never forget, and Adam's bias correction divides by 1 − βᵗ). */
export function unitInterval(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(rule, name, v, 'a number in [0, 1)');
  return v;
}

/** An integer ≥ `min`. */
export function integerAtLeast(rule: string, name: string, v: number, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(rule, name, v, `an integer ≥ ${min}`);
  return v;
}

/** The check "an integer ≥ `min`" (for a definition's `check` record). */
/* @__NO_SIDE_EFFECTS__ */
export function integer(min: number): Check {
  return (rule, name, v) => integerAtLeast(rule, name, v, min);
}

/** Any finite number. */
export function finite(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(rule, name, v, 'a finite number');
  return v;
}

/** A learning rate or another schedulable rate: a finite number ≥ 0, or a {@link Schedule}. */
export const rate: RateCheck = /* @__PURE__ */ Object.assign(
  (rule: string, name: string, v: Rate): Rate => (isSchedule(v) ? v : nonNegative(rule, name, v as number)),
  { schedulable: true as const },
);
