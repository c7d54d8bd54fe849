/** Polynomial and linear transitions between two values (Optax `polynomial_schedule`, `linear_schedule`). @module */
import { integer, nonNegative, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/**
 * `polynomialSchedule(init, end, power, transitionSteps, transitionBegin = 0)` (Optax `polynomial_schedule`): `init`
 * until step B = transitionBegin, then `(init − end)(1 − (t − B)/T)^power + end` for B ≤ t ≤ B + T, T =
 * transitionSteps, and `end` after. `power = 1` is {@link linearSchedule}; a power above 1 leaves `init` quickly and
 * approaches `end` slowly. Optax also accepts T ≤ 0 (a constant) and B < 0 (read as 0); here they are errors.
 * @throws {HyperparameterError} unless init, end ≥ 0, power > 0, transitionSteps an integer ≥ 1, transitionBegin an
 * integer ≥ 0
 */
export const polynomialSchedule = defineSchedule({
  name: 'polynomialSchedule',
  params: (init: number, end: number, power: number, transitionSteps: number, transitionBegin = 0) => ({ init, end, power, transitionSteps, transitionBegin }),
  check: { init: nonNegative, end: nonNegative, power: positive, transitionSteps: integer(1), transitionBegin: integer(0) },
  at:
    ({ init, end, power, transitionSteps, transitionBegin }) =>
    (t) => {
      const frac = 1 - Math.min(Math.max(t - transitionBegin, 0), transitionSteps) / transitionSteps;
      return (init - end) * frac ** power + end;
    },
});

/**
 * `linearSchedule(init, end, transitionSteps, transitionBegin = 0)` (Optax `linear_schedule`, also its
 * `warmup_constant_schedule`): `init` until step B = transitionBegin, then linear to `end` at B + T, T =
 * transitionSteps, then `end`: `(init − end)(1 − (t − B)/T) + end`. A linear warm-up is `linearSchedule(0, peak, n)`;
 * join it to a decay with {@link joinSchedules}, or use `warmupCosineDecay` / `warmupExponentialDecay`.
 * @throws {HyperparameterError} unless init, end ≥ 0, transitionSteps an integer ≥ 1, transitionBegin an integer ≥ 0
 */
export const linearSchedule = defineSchedule({
  name: 'linearSchedule',
  params: (init: number, end: number, transitionSteps: number, transitionBegin = 0) => ({ init, end, transitionSteps, transitionBegin }),
  check: { init: nonNegative, end: nonNegative, transitionSteps: integer(1), transitionBegin: integer(0) },
  at:
    ({ init, end, transitionSteps, transitionBegin }) =>
    (t) =>
      (init - end) * (1 - Math.min(Math.max(t - transitionBegin, 0), transitionSteps) / transitionSteps) + end,
});
