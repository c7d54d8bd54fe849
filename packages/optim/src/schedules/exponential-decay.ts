/** Exponential decay. @module */
import { checkOptions } from '../check-rule.js';
import { fail, nonNegative, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/**
 * `exponentialDecay(init, rate, steps, { staircase = false })`: `init · rate^(t / steps)` (Optax `exponential_decay`);
 * with `staircase` the exponent is ⌊t / steps⌋ (stored as the parameter `staircase` = 0 or 1).
 * @param init value at step 0
 * @param rate factor per `steps` steps, > 0
 */
export const exponentialDecay = defineSchedule({
  name: 'exponentialDecay',
  params: (init: number, rate: number, steps: number, options: {
    /** Decay in steps: the exponent is ⌊t / steps⌋ (default false: t / steps). */
    staircase?: boolean;
  } = {}) => {
    checkOptions('exponentialDecay', options, ['staircase']);
    return { init, rate, steps, staircase: options.staircase === true ? 1 : 0 };
  },
  check: {
    init: nonNegative,
    rate: positive,
    steps: positive,
    staircase: (schedule, name, v) => (v === 0 || v === 1 ? v : fail(schedule, name, v, '0 or 1')),
  },
  at:
    ({ init, rate, steps, staircase }) =>
    (t) =>
      init * rate ** (staircase === 1 ? Math.floor(t / steps) : t / steps),
});
