/** Adam and AdamW as single fused loops over Float64Arrays (see bench/rules.bench.ts for why). @module */
import { Tensor } from '@natgrad/core';
import { type LeafStates, leafRule } from '../leaf-rule.js';
import type { Rule } from '../rule.js';
import { type Rate, checkRate, splitRates } from '../schedules.js';
import { NON_NEGATIVE, interval } from '../domain.js';
import { nonNegative, positive, unitInterval } from '../validate.js';

/**
 * Adam state per tensor: first and second moments, and βᵗ kept as running products (as Optimisers.jl does) rather
 * than recomputed with `**`, so the bias correction is the same on every platform.
 */
export type AdamState = {
  /** First moment: exponential moving average of the gradient. */
  readonly m: Tensor;
  /** Second moment: exponential moving average of the squared gradient. */
  readonly v: Tensor;
  /** β₁ᵗ for the next update t (1-based): starts at β₁, multiplied by β₁ after each update. */
  readonly beta1t: number;
  /** β₂ᵗ for the next update t, kept the same way. */
  readonly beta2t: number;
};

function adamRule(name: string, lr: Rate, beta1: number, beta2: number, eps: number, decay: number): Rule<LeafStates<AdamState>> {
  checkRate(name, 'lr', lr);
  unitInterval(name, 'beta1', beta1);
  unitInterval(name, 'beta2', beta2);
  positive(name, 'eps', eps);
  nonNegative(name, 'decay', decay);
  const [rates, schedules] = splitRates({ lr });
  const hyperparams = name === 'AdamW' ? { ...rates, beta1, beta2, eps, decay } : { ...rates, beta1, beta2, eps };
  return leafRule<AdamState>({
    name,
    hyperparams,
    schedules,
    // βᵗ is a running product of β: it only ever shrinks from β towards 0 (where it underflows after many steps).
    domain: { v: NON_NEGATIVE, beta1t: interval(0, beta1), beta2t: interval(0, beta2) },
    init: (p) => ({ m: Tensor.zeros(p.shape), v: Tensor.zeros(p.shape), beta1t: beta1, beta2t: beta2 }),
    apply: (s, p, g, h) => {
      const eta = h.lr;
      const c1 = 1 - s.beta1t;
      const c2 = 1 - s.beta2t;
      const m0 = s.m.data;
      const v0 = s.v.data;
      const gd = g.data;
      const x = p.data;
      const n = gd.length;
      const m = new Float64Array(n);
      const v = new Float64Array(n);
      const step = new Float64Array(n);
      const a1 = 1 - beta1;
      const a2 = 1 - beta2;
      if (decay === 0) {
        for (let i = 0; i < n; i++) {
          const gi = gd[i];
          const mi = beta1 * m0[i] + a1 * gi;
          const vi = beta2 * v0[i] + a2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps)) * eta;
        }
      } else {
        // Decoupled weight decay scaled by the learning rate (Optimisers.jl AdamW with couple = true, as PyTorch).
        for (let i = 0; i < n; i++) {
          const gi = gd[i];
          const mi = beta1 * m0[i] + a1 * gi;
          const vi = beta2 * v0[i] + a2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps) + decay * x[i]) * eta;
        }
      }
      const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2 };
      return [next, new Tensor(step, g.shape)];
    },
  });
}

/**
 * `Adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)` (Kingma & Ba; Optimisers.jl `Adam`):
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², step = lr · m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε).
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export function Adam(lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): Rule<LeafStates<AdamState>> {
  return adamRule('Adam', lr, beta1, beta2, eps, 0);
}

/**
 * `AdamW(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0)` (Loshchilov & Hutter; Optimisers.jl
 * `AdamW` with its defaults, including λ = 0): step = lr · (Adam direction + decay · x).
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0, decay ≥ 0
 */
export function AdamW(lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0): Rule<LeafStates<AdamState>> {
  return adamRule('AdamW', lr, beta1, beta2, eps, decay);
}
