/** LAMB: Adam steps rescaled per tensor by a trust ratio ‖x‖/‖u‖ (You et al. 2020). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { nonNegative, positive, rate, unitInterval } from '../validate.js';
import { ADAM_DOMAIN, type AdamState, adamInit } from './adam.js';
import { pNorm } from './norm.js';

/**
 * `LAMB(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, decay = 0)` (You et al., "Large batch optimization for
 * deep learning: training BERT in 76 minutes", ICLR 2020, Algorithm 2; Optimisers.jl has no LAMB, so names, ε and
 * formula follow Optax `lamb` — the rate, which Optax leaves to the caller, is Adam's default). For each parameter
 * tensor x:
 *
 * u = m̂/(√v̂ + ε) + decay · x (Adam's direction and decoupled weight decay), r = ‖x‖₂/‖u‖₂, step = lr · r · u,
 *
 * with r = 1 when either norm is 0 (a zero tensor still moves, as in Optax). Every tensor thus moves by lr times its
 * own norm, whatever the scale of its gradient. The norms are per tensor (per layer in the paper). Its state is an
 * {@link AdamState}.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0, decay ≥ 0
 */
export const LAMB = defineRule({
  name: 'LAMB',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, decay = 0) => ({ lr, beta1, beta2, eps, decay }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive, decay: nonNegative },
  domain: ADAM_DOMAIN,
  init: adamInit,
  apply: (s: AdamState, p, g, h) => {
    const { lr, beta1, beta2, eps, decay } = h;
    const gd = g.data;
    const m0 = s.m.data;
    const v0 = s.v.data;
    const x = p.data;
    const n = gd.length;
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const u = new Float64Array(n);
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    const c1 = 1 - s.beta1t;
    const c2 = 1 - s.beta2t;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      const ui = mi / c1 / (Math.sqrt(vi / c2) + eps) + decay * x[i];
      m[i] = mi;
      v[i] = vi;
      u[i] = ui;
    }
    // Norms that neither overflow nor underflow: a tensor of entries 1e-170 has a trust ratio, not 0/0 → 1.
    const xNorm = pNorm(x, 2);
    const uNorm = pNorm(u, 2);
    const scale = xNorm === 0 || uNorm === 0 ? lr : lr * (xNorm / uNorm);
    for (let i = 0; i < n; i++) u[i] *= scale;
    const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2 };
    return [next, new Tensor(u, g.shape)];
  },
});
