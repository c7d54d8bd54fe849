/** AdaMax: Adam with the infinity norm in place of the second moment (Kingma & Ba 2015, §7.1). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE, UNIT_INTERVAL } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

/** AdaMax state per tensor: the first moment, the decaying maximum of |g|, and β₁ᵗ. */
export type AdaMaxState = {
  /** First moment: exponential moving average of the gradient. */
  readonly m: Tensor;
  /** Exponentially weighted infinity norm: u ← max(β₂u, |g|). */
  readonly u: Tensor;
  /** β₁ᵗ for the next update t (1-based). */
  readonly beta1t: number;
};

/**
 * `AdaMax(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)` (Kingma & Ba, "Adam", 2015, Algorithm 2; names, defaults
 * and ε placement of Optimisers.jl `AdaMax`):
 *
 * m ← β₁ m + (1 − β₁) g, u ← max(β₂ u, |g|), step = lr / (1 − β₁ᵗ) · m / (u + ε).
 *
 * u needs no bias correction. PyTorch `Adamax` and Optax `adamax` put ε inside the maximum instead,
 * u ← max(β₂u, |g| + ε), step ∝ m/u; the two agree when ε is negligible against |g|.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const AdaMax = defineRule({
  name: 'AdaMax',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: { u: NON_NEGATIVE, beta1t: UNIT_INTERVAL },
  init: (p, h): AdaMaxState => ({ m: Tensor.zeros(p.shape), u: Tensor.zeros(p.shape), beta1t: h.beta1 }),
  apply: (s, _p, g, h) => {
    const { lr, beta1, beta2, eps } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const u0 = s.u.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const u = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const scale = lr / (1 - s.beta1t);
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const ui = Math.max(beta2 * u0[i], Math.abs(gi));
      m[i] = mi;
      u[i] = ui;
      step[i] = (scale * mi) / (ui + eps);
    }
    return [{ m: new Tensor(m, g.shape), u: new Tensor(u, g.shape), beta1t: s.beta1t * beta1 }, new Tensor(step, g.shape)];
  },
});
