/** Log-linear warm-up. @module */
import { integer, positive } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/**
 * `logLinearWarmup(start, end, n)`: `exp(log start + (log end − log start) · min(t, n)/n)`, i.e. geometric
 * interpolation from `start` at t = 0 to `end` at t = n, then constant. The usual warm-up for natural-gradient step
 * sizes (e.g. 1e-4 → 0.1), where a linear ramp would spend almost all its steps near the end value.
 */
export const logLinearWarmup = defineSchedule({
  name: 'logLinearWarmup',
  params: (start: number, end: number, n: number) => ({ start, end, n }),
  check: { start: positive, end: positive, n: integer(1) },
  at: ({ start, end, n }) => {
    const a = Math.log(start);
    const b = Math.log(end);
    return (t) => (t >= n ? end : Math.exp(a + ((b - a) * t) / n));
  },
});
