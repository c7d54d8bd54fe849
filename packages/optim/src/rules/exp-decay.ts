/** ExpDecay, as in Flux. @module */
import type { Tensor } from '@natgrad/core';
import { type LeafStates, leafRule } from '../leaf-rule.js';
import type { Rule } from '../rule.js';
import { COUNTER, NON_NEGATIVE } from '../domain.js';
import { integerAtLeast, nonNegative, positive } from '../validate.js';
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
 * @throws {HyperparameterError} for a negative rate, decay ≤ 0, decayStep not a positive integer, …
 */
export function ExpDecay(lr = 0.001, decay = 0.1, decayStep = 1000, clip = 1e-4, start = 1): Rule<LeafStates<ExpDecayState>> {
  nonNegative('ExpDecay', 'lr', lr);
  positive('ExpDecay', 'decay', decay);
  integerAtLeast('ExpDecay', 'decayStep', decayStep, 1);
  nonNegative('ExpDecay', 'clip', clip);
  integerAtLeast('ExpDecay', 'start', start, 0);
  return leafRule<ExpDecayState>({
    name: 'ExpDecay',
    hyperparams: { lr, decay, decayStep, clip, start },
    domain: { n: COUNTER, eta: NON_NEGATIVE },
    init: () => ({ n: 0, eta: lr }),
    apply: (s, _p, g: Tensor) => {
      const n = s.n + 1;
      const eta = n > start && n % decayStep === 0 ? Math.max(s.eta * decay, clip) : s.eta;
      return [{ n, eta }, scaled(g, eta)];
    },
  });
}
