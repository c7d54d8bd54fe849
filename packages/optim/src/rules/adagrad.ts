/** AdaGrad: per-coordinate scaling by the sum of squared gradients. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate } from '../validate.js';

/** AdaGrad state: the sum of squared gradients (starting at ε, as in Optimisers.jl). */
export type AdaGradState = {
  /** Sum of squared gradients so far, starting at ε. */
  readonly acc: Tensor;
};

/**
 * `AdaGrad(lr = 0.1, eps = 1e-8)` (Duchi et al.; Optimisers.jl `AdaGrad`): acc ← acc + g² with acc₀ = ε,
 * step = lr · g / (√acc + ε).
 * @throws {HyperparameterError} unless lr ≥ 0 and ε > 0
 */
export const AdaGrad = defineRule({
  name: 'AdaGrad',
  hyperparams: (lr: Rate = 0.1, eps = 1e-8) => ({ lr, eps }),
  check: { lr: rate, eps: positive },
  domain: { acc: NON_NEGATIVE }, // starts at ε and only grows (and stays ≥ 0 whatever ε adjust sets)
  init: (p, h): AdaGradState => ({ acc: Tensor.full(p.shape, h.eps) }),
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
