/** AdaGrad: per-coordinate scaling by the sum of squared gradients. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { nonNegative, positive, rate } from '../validate.js';

/** AdaGrad state: the sum of squared gradients (starting at `initialAccumulatorValue`, by default ε). */
export type AdaGradState = {
  /** Sum of squared gradients so far, plus the initial value. */
  readonly acc: Tensor;
};

/**
 * `AdaGrad(lr = 0.1, eps = 1e-8, initialAccumulatorValue = eps)` (Duchi et al.; Optimisers.jl `AdaGrad`, whose
 * accumulator starts at ε): acc ← acc + g² with acc₀ = initialAccumulatorValue, step = lr · g / (√acc + ε).
 * PyTorch `Adagrad` starts at 0 (`initial_accumulator_value = 0`, ε = 1e-10): `AdaGrad(lr, 1e-10, 0)` is its rule;
 * Optax `adagrad` starts at 0.1 and puts its ε = 1e-7 under the root. It only sets the initial state, so changing it
 * with `adjust` leaves a running accumulator as it is.
 * @throws {HyperparameterError} unless lr ≥ 0, ε > 0 and initialAccumulatorValue ≥ 0
 */
export const AdaGrad = defineRule({
  name: 'AdaGrad',
  hyperparams: (lr: Rate = 0.1, eps = 1e-8, initialAccumulatorValue = eps) => ({ lr, eps, initialAccumulatorValue }),
  check: { lr: rate, eps: positive, initialAccumulatorValue: nonNegative },
  domain: { acc: NON_NEGATIVE }, // starts ≥ 0 and only grows
  init: (p, h): AdaGradState => ({ acc: Tensor.full(p.shape, h.initialAccumulatorValue) }),
  apply: (s, _p, g, h) => {
    const { lr: eta, eps } = h;
    const gd = g.data;
    const a0 = s.acc.data;
    const n = gd.length;
    const acc = new Float64Array(n);
    const step = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ai = a0[i] + gd[i] * gd[i];
      acc[i] = ai;
      step[i] = (gd[i] * eta) / (Math.sqrt(ai) + eps);
    }
    return [{ acc: new Tensor(acc, g.shape) }, new Tensor(step, g.shape)];
  },
});
