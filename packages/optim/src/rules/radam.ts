/** RAdam: Adam with its adaptive rate rectified while the second moment is unreliable (Liu et al. 2020). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE, UNIT_INTERVAL } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { fail, positive, rate, unitInterval } from '../validate.js';
import type { AdamState } from './adam.js';

/** RAdam state: Adam's, and the number of updates so far. */
export type RAdamState = AdamState & {
  /** The update count t of the next update (1-based), as in ρₜ. */
  readonly t: number;
};

function atLeastFour(rule: string, name: string, v: number): number {
  // Below 4 the rectification √((ρ − 4)(ρ − 2)…) would take the root of a negative number.
  if (typeof v !== 'number' || !(Number.isFinite(v) && v >= 4)) fail(rule, name, v, 'a finite number ≥ 4');
  return v;
}

/**
 * `RAdam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, threshold = 4)` (Liu et al., "On the variance of the
 * adaptive learning rate and beyond", 2020, Algorithm 2; names and defaults of Optimisers.jl `RAdam`). With
 * ρ∞ = 2/(1 − β₂) − 1 and, at update t, ρₜ = ρ∞ − 2t β₂ᵗ/(1 − β₂ᵗ):
 *
 * - if ρₜ > threshold: r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)), step = lr · r · m̂ / (√v̂ + ε);
 * - otherwise: step = lr · m̂ (momentum without the adaptive rate),
 *
 * with Adam's bias-corrected moments m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). The paper and Optimisers.jl rectify once
 * ρₜ > 4; PyTorch `RAdam` and Optax `radam` wait for ρₜ > 5 (`threshold = 5`; Optax compares with ≥, which only
 * differs when ρₜ is exactly 5). PyTorch adds ε to √v rather than to √v̂, i.e. its ε is this ε · √(1 − β₂ᵗ).
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0, threshold ≥ 4
 */
export const RAdam = defineRule({
  name: 'RAdam',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, threshold = 4) => ({ lr, beta1, beta2, eps, threshold }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive, threshold: atLeastFour },
  domain: { v: NON_NEGATIVE, beta1t: UNIT_INTERVAL, beta2t: UNIT_INTERVAL, t: { atLeast: 1, integer: true } },
  init: (p, h): RAdamState => ({ m: Tensor.zeros(p.shape), v: Tensor.zeros(p.shape), beta1t: h.beta1, beta2t: h.beta2, t: 1 }),
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
    const rhoInf = 2 / a2 - 1;
    const rho = rhoInf - (2 * s.t * s.beta2t) / c2;
    const rectified = rho > h.threshold;
    const r = rectified ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      step[i] = rectified ? ((mi / c1 / (Math.sqrt(vi / c2) + eps)) * lr) * r : (mi / c1) * lr;
    }
    const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2, t: s.t + 1 };
    return [next, new Tensor(step, g.shape)];
  },
});
