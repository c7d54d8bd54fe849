/** Lion: sign of an interpolated momentum (Chen et al. 2023). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { nonNegative, rate, unitInterval } from '../validate.js';

/** Lion state: the momentum, an exponential moving average of the gradient with rate β₂. */
export type LionState = {
  /** The momentum m. */
  readonly m: Tensor;
};

/**
 * `Lion(lr = 0.001, beta1 = 0.9, beta2 = 0.999, decay = 0)` (Chen et al., "Symbolic discovery of optimization
 * algorithms", 2023, Algorithm 2; defaults of Optimisers.jl `Lion(η = 0.001, β = (0.9, 0.999))` — the paper and Optax
 * `lion` use β₂ = 0.99):
 *
 * c = β₁ m + (1 − β₁) g, step = lr · (sign(c) + decay · x), then m ← β₂ m + (1 − β₂) g.
 *
 * The step has the same size lr in every coordinate (sign(0) = 0), so Lion wants a rate 3–10× smaller than Adam's.
 * `decay` is the paper's decoupled weight decay λ, scaled by the rate as in Optax (whose default is 1e-3); 0 is
 * Optimisers.jl's Lion, which has none. Optimisers.jl 0.4 weights its momentum update the other way round
 * (m ← β₂ g + (1 − β₂) m); this is the paper's and Optax's.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), decay ≥ 0
 */
export const Lion = defineRule({
  name: 'Lion',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, decay = 0) => ({ lr, beta1, beta2, decay }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, decay: nonNegative },
  init: (p): LionState => ({ m: Tensor.zeros(p.shape) }),
  apply: (s, p, g, h) => {
    const { lr, beta1, beta2, decay } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const x = p.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      step[i] = (Math.sign(beta1 * m0[i] + a1 * gi) + decay * x[i]) * lr;
      m[i] = beta2 * m0[i] + a2 * gi;
    }
    return [{ m: new Tensor(m, g.shape) }, new Tensor(step, g.shape)];
  },
});
