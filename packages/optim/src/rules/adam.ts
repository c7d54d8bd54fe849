/** Adam as a single fused loop over Float64Arrays (see bench/rules.bench.ts for why). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE, UNIT_INTERVAL } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

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

/** The fresh state of Adam-type rules. @internal */
export function adamInit(
  p: Tensor,
  h: {
    /** β₁, the decay rate of the first moment. */
    readonly beta1: number;
    /** β₂, the decay rate of the second moment. */
    readonly beta2: number;
  },
): AdamState {
  return { m: Tensor.zeros(p.shape), v: Tensor.zeros(p.shape), beta1t: h.beta1, beta2t: h.beta2 };
}

/**
 * One Adam step with decoupled weight decay `decay` (0 for Adam): step = lr · (m̂ / (√v̂ + ε) + decay · x), or with
 * `coupled = false` lr · m̂ / (√v̂ + ε) + decay · x (the decay not scaled by the rate). @internal
 */
export function adamStep(s: AdamState, p: Tensor, g: Tensor, lr: number, beta1: number, beta2: number, eps: number, decay: number, coupled = true): [AdamState, Tensor] {
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
      step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps)) * lr;
    }
  } else if (!coupled) {
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps)) * lr + decay * x[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const mi = beta1 * m0[i] + a1 * gi;
      const vi = beta2 * v0[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      step[i] = (mi / c1 / (Math.sqrt(vi / c2) + eps) + decay * x[i]) * lr;
    }
  }
  const next = { m: new Tensor(m, g.shape), v: new Tensor(v, g.shape), beta1t: s.beta1t * beta1, beta2t: s.beta2t * beta2 };
  return [next, new Tensor(step, g.shape)];
}

/** The domain of Adam-type states: v ≥ 0, and βᵗ, a running product of decay rates, in [0, 1). @internal */
export const ADAM_DOMAIN = /* @__PURE__ */ Object.freeze({ v: NON_NEGATIVE, beta1t: UNIT_INTERVAL, beta2t: UNIT_INTERVAL });

/**
 * `Adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)` (Kingma & Ba; Optimisers.jl `Adam`, Optax `adam`):
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², step = lr · m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε).
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0
 */
export const Adam = defineRule({
  name: 'Adam',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8) => ({ lr, beta1, beta2, eps }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive },
  domain: ADAM_DOMAIN,
  init: adamInit,
  apply: (s, p, g, h) => adamStep(s, p, g, h.lr, h.beta1, h.beta2, h.eps, 0),
});
