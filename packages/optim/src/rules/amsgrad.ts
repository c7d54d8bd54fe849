/** AMSGrad: Adam whose second moment never decreases (Reddi et al. 2018). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

/** AMSGrad state per tensor: Adam's two moments and the running maximum of the second. */
export type AMSGradState = {
  /** First moment: exponential moving average of the gradient. */
  readonly m: Tensor;
  /** Second moment: exponential moving average of the squared gradient. */
  readonly v: Tensor;
  /** The largest second moment so far, elementwise. */
  readonly vmax: Tensor;
};

/**
 * `AMSGrad(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)` (Reddi et al., "On the convergence of Adam and
 * beyond", ICLR 2018, Algorithm 2; names and defaults of Optimisers.jl `AMSGrad`):
 *
 * m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², v̂ ← max(v̂, v), step = lr · m / (√v̂ + ε),
 *
 * without bias correction, as in the paper and Optimisers.jl (which starts its three moments at ε rather than 0).
 * PyTorch `Adam(amsgrad=True)` bias-corrects: lr/(1 − β₁ᵗ) · m / (√v̂/√(1 − β₂ᵗ) + ε), i.e. this rule with a rate
 * lr·(1 − β₁ᵗ)/√(1 − β₂ᵗ) and ε/√(1 − β₂ᵗ) at update t; Optax `amsgrad` takes the maximum of bias-corrected moments
 * (its `bias_correction_mu/nu = False` is this rule).
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const AMSGrad = defineRule({
  name: 'AMSGrad',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: { v: NON_NEGATIVE, vmax: NON_NEGATIVE },
  init: (p): AMSGradState => ({ m: Tensor.zeros(p.shape), v: Tensor.zeros(p.shape), vmax: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { lr, beta1, beta2, eps } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const v0 = s.v.data;
    const w0 = s.vmax.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const vmax = new Float64Array(n);
    const step = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      const wi = Math.max(w0[i], vi);
      m[i] = mi;
      v[i] = vi;
      vmax[i] = wi;
      step[i] = (lr * mi) / (Math.sqrt(wi) + eps);
    }
    return [{ m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), vmax: new Tensor(vmax, g.shape) }, new Tensor(step, g.shape)];
  },
});
