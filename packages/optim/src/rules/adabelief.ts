/** AdaBelief: Adam with the second moment of the gradient's deviation from its mean (Zhuang et al. 2020). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE, UNIT_INTERVAL } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

/** AdaBelief state per tensor: the first moment, the "belief" s and the running β-powers (as Adam keeps them). */
export type AdaBeliefState = {
  /** First moment: exponential moving average of the gradient. */
  readonly m: Tensor;
  /** Exponential moving average of (g − m)², plus ε at every update. */
  readonly s: Tensor;
  /** β₁ᵗ for the next update t (1-based). */
  readonly beta1t: number;
  /** β₂ᵗ for the next update t. */
  readonly beta2t: number;
};

/**
 * `AdaBelief(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-16)` (Zhuang et al., "AdaBelief optimizer", 2020,
 * Algorithm 2; names, defaults and formula of Optimisers.jl `AdaBelief`):
 *
 * m ← β₁ m + (1 − β₁) g, s ← β₂ s + (1 − β₂)(g − m)² + ε, step = lr · m/(1 − β₁ᵗ) / (√(s/(1 − β₂ᵗ)) + ε),
 *
 * where g − m uses the updated m, as the paper and Optimisers.jl do. Optax `adabelief` (with `eps_root = eps`) is the
 * same except that it measures g against the previous mean, g − mₜ₋₁ = (g − mₜ)/β₁. Steps are large where the
 * gradient agrees with its running mean and small where it does not.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const AdaBelief = defineRule({
  name: 'AdaBelief',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-16) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: { s: NON_NEGATIVE, beta1t: UNIT_INTERVAL, beta2t: UNIT_INTERVAL },
  init: (p, h): AdaBeliefState => ({ m: Tensor.zeros(p.shape), s: Tensor.zeros(p.shape), beta1t: h.beta1, beta2t: h.beta2 }),
  apply: (st, _p, g, h) => {
    const { lr, beta1, beta2, eps } = h;
    const gd = g.data;
    const m0 = st.m.data;
    const s0 = st.s.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const s = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    const c1 = 1 - st.beta1t;
    const c2 = 1 - st.beta2t;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const d = gi - mi;
      const si = beta2 * s0[i] + a2 * d * d + eps;
      m[i] = mi;
      s[i] = si;
      step[i] = (mi / c1 / (Math.sqrt(si / c2) + eps)) * lr;
    }
    const next = { m: new Tensor(m, g.shape), s: new Tensor(s, g.shape), beta1t: st.beta1t * beta1, beta2t: st.beta2t * beta2 };
    return [next, new Tensor(step, g.shape)];
  },
});
