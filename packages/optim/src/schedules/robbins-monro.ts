/** Robbins–Monro step sizes. @module */
import { fail, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/**
 * `robbinsMonro(tau, kappa)`: step sizes `(τ + t)^−κ` (Hoffman et al.'s SVI schedule). τ > 0 keeps step 0 finite;
 * κ ∈ (0.5, 1] is the Robbins–Monro condition (Σ ρ = ∞, Σ ρ² < ∞) that the name promises, so other values are
 * rejected.
 */
export const robbinsMonro = defineSchedule({
  name: 'robbinsMonro',
  params: (tau: number, kappa: number) => ({ tau, kappa }),
  check: {
    tau: positive,
    kappa: (schedule, name, v) => (typeof v === 'number' && v > 0.5 && v <= 1 ? v : fail(schedule, name, v, 'a number in (0.5, 1]')),
  },
  at:
    ({ tau, kappa }) =>
    (t) =>
      (tau + t) ** -kappa,
});
