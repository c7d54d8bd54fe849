/** OAdam: optimistic Adam, for saddle-point problems such as GANs (Daskalakis et al. 2018). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE, UNIT_INTERVAL } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';
import type { AdamState } from './adam.js';

/** OAdam state: Adam's, and the previous Adam step. */
export type OAdamState = AdamState & {
  /** The Adam step of the previous update (0 before the first). */
  readonly term: Tensor;
};

/**
 * `OAdam(lr = 0.001, beta1 = 0.5, beta2 = 0.9, eps = 1e-8)` (Daskalakis et al., "Training GANs with optimism", ICLR
 * 2018, Algorithm 1; names and defaults of Optimisers.jl `OAdam`): with aₜ = lr · m̂/(√v̂ + ε) Adam's step at update t,
 *
 * step = 2 aₜ − aₜ₋₁ (a₀ = 0),
 *
 * an extrapolation that damps the cycling of plain gradient steps on min–max problems.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const OAdam = defineRule({
  name: 'OAdam',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.5, beta2 = 0.9, eps = 1e-8) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: { v: NON_NEGATIVE, beta1t: UNIT_INTERVAL, beta2t: UNIT_INTERVAL },
  init: (p, h): OAdamState => ({ m: Tensor.zeros(p.shape), v: Tensor.zeros(p.shape), beta1t: h.beta1, beta2t: h.beta2, term: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { lr, beta1, beta2, eps } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const v0 = s.v.data;
    const t0 = s.term.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const term = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    const c1 = 1 - s.beta1t;
    const c2 = 1 - s.beta2t;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      const ti = (lr * mi) / c1 / (Math.sqrt(vi / c2) + eps);
      m[i] = mi;
      v[i] = vi;
      term[i] = ti;
      step[i] = 2 * ti - t0[i];
    }
    const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2, term: new Tensor(term, g.shape) };
    return [next, new Tensor(step, g.shape)];
  },
});
