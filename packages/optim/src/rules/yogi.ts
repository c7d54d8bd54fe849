/** Yogi: Adam whose second moment moves additively, by the sign of its gap to g² (Zaheer et al. 2018). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { nonNegative, positive, rate, unitInterval } from '../validate.js';
import { ADAM_DOMAIN, type AdamState } from './adam.js';

/**
 * `Yogi(lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-3, initialAccumulatorValue = 1e-6)` (Zaheer et al., "Adaptive
 * methods for nonconvex optimization", NeurIPS 2018; Optimisers.jl has no Yogi, so names and formula follow Optax
 * `yogi` / `scale_by_yogi`, whose ε and initial value these are; the rate, which Optax leaves to the caller, is the
 * paper's recommended 0.01):
 *
 * m ← β₁ m + (1 − β₁) g, v ← v − (1 − β₂) sign(v − g²) g², step = lr · m/(1 − β₁ᵗ) / (√(v/(1 − β₂ᵗ)) + ε),
 *
 * with m and v both starting at `initialAccumulatorValue` (as in Optax). Unlike Adam's multiplicative forgetting, v
 * changes by at most (1 − β₂)g² per step, so one large gradient cannot shrink the steps for long. v stays ≥ 0. Its
 * state is an {@link AdamState}.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0, initialAccumulatorValue ≥ 0
 */
export const Yogi = defineRule({
  name: 'Yogi',
  hyperparams: (lr: Rate = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-3, initialAccumulatorValue = 1e-6) => ({ lr, beta1, beta2, eps, initialAccumulatorValue }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive, initialAccumulatorValue: nonNegative },
  domain: ADAM_DOMAIN,
  init: (p, h): AdamState => {
    const v0 = h.initialAccumulatorValue;
    return { m: Tensor.full(p.shape, v0), v: Tensor.full(p.shape, v0), beta1t: h.beta1, beta2t: h.beta2 };
  },
  apply: (s, _p, g, h) => {
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
    const c1 = 1 - s.beta1t;
    const c2 = 1 - s.beta2t;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const g2 = gi * gi;
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = v0[i] - a2 * Math.sign(v0[i] - g2) * g2;
      m[i] = mi;
      v[i] = vi;
      step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps)) * lr;
    }
    const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2 };
    return [next, new Tensor(step, g.shape)];
  },
});
