/** Cosine decay. @module */
import { integer, nonNegative } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/**
 * `cosineDecay(init, steps, alpha = 0)`: cosine decay from `init` to `alpha · init` over `steps` steps, then constant
 * (Optax `cosine_decay_schedule`): `init · ((1 − α) · ½(1 + cos(π min(t, steps)/steps)) + α)`.
 */
export const cosineDecay = defineSchedule({
  name: 'cosineDecay',
  params: (init: number, steps: number, alpha = 0) => ({ init, steps, alpha }),
  check: { init: nonNegative, steps: integer(1), alpha: nonNegative },
  at:
    ({ init, steps, alpha }) =>
    (t) => {
      const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps));
      return init * ((1 - alpha) * c + alpha);
    },
});
