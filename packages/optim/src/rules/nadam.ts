/** NAdam: Adam with Nesterov momentum (Dozat 2016). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';
import { ADAM_DOMAIN, type AdamState, adamInit } from './adam.js';

/**
 * `NAdam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)` (Dozat, "Incorporating Nesterov momentum into Adam",
 * 2016; names and defaults of Optimisers.jl `NAdam`): with m and v Adam's moments after this update t,
 *
 * step = lr · (β₁ m / (1 − β₁ᵗ⁺¹) + (1 − β₁) g / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε),
 *
 * the bias-corrected first moment looked ahead one step. This is Optax `nadam` and Keras `Nadam`. Conventions
 * elsewhere: Optimisers.jl also multiplies v by β₂ under the root (Dozat's Algorithm 2, which Optax's source calls
 * unexplained and omits), a relative difference of 1 − √β₂ in the step; PyTorch `NAdam` replaces β₁ in the look-ahead
 * weights by a warming schedule μₜ = β₁(1 − ½·0.96^(ψt)) with `momentum_decay` ψ = 0.004 — this rule is PyTorch's with
 * ψ → ∞. Its state is an {@link AdamState}.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const NAdam = defineRule({
  name: 'NAdam',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: ADAM_DOMAIN,
  init: adamInit,
  apply: (s: AdamState, _p, g, h) => {
    const { lr, beta1, beta2, eps } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const v0 = s.v.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    const cm = beta1 / (1 - s.beta1t * beta1); // weight of m: β₁ / (1 − β₁ᵗ⁺¹)
    const cg = a1 / (1 - s.beta1t); // weight of g: (1 − β₁) / (1 − β₁ᵗ)
    const c2 = 1 - s.beta2t;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      step[i] = ((cm * mi + cg * gi) / (Math.sqrt(vi / c2) + eps)) * lr;
    }
    const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2 };
    return [next, new Tensor(step, g.shape)];
  },
});
