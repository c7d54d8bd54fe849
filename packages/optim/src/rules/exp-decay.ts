/** ExpDecay, as in Flux. @module */
import { defineRule } from '../define-rule.js';
import { COUNTER, NON_NEGATIVE } from '../domain.js';
import { integer, nonNegative, positive } from '../validate.js';
import { scaled } from './descent.js';

/** ExpDecay state per tensor: updates seen and the current rate. */
export type ExpDecayState = {
  /** Updates of this parameter so far. */
  readonly n: number;
  /** The current rate (decayed, floored at `clip`). */
  readonly eta: number;
};

/**
 * `ExpDecay(lr = 0.001, decay = 0.1, decayStep = 1000, clip = 1e-4, start = 1)` (Flux `ExpDecay`): scales the
 * gradient by a rate that is multiplied by `decay` at every update n (1-based) with n > start and n mod decayStep = 0,
 * never going below `clip`. Flux keeps one global counter and guards it so that only one parameter decays the shared
 * rate; here each parameter keeps its own counter, which gives the same rate whenever all parameters are updated.
 * The rate starts at `lr` (changing `lr` later with `adjust` does not reset the current rate).
 * @throws {HyperparameterError} for a negative rate, decay ≤ 0, decayStep not a positive integer, …
 */
export const ExpDecay = defineRule({
  name: 'ExpDecay',
  hyperparams: (lr = 0.001, decay = 0.1, decayStep = 1000, clip = 1e-4, start = 1) => ({ lr, decay, decayStep, clip, start }),
  check: { lr: nonNegative, decay: positive, decayStep: integer(1), clip: nonNegative, start: integer(0) },
  domain: { n: COUNTER, eta: NON_NEGATIVE },
  init: (_p, h): ExpDecayState => ({ n: 0, eta: h.lr }),
  apply: (s, _p, g, h) => {
    const n = s.n + 1;
    const eta = n > h.start && n % h.decayStep === 0 ? Math.max(s.eta * h.decay, h.clip) : s.eta;
    return [{ n, eta }, scaled(g, eta)];
  },
});
