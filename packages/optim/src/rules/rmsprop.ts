/** RMSProp: per-coordinate scaling by a running mean of squared gradients. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

/** RMSProp state: the running mean of g² and, when centred, of g. */
export type RMSPropState = {
  /** Moving average of g². */
  readonly quad: Tensor;
  /** Moving average of g (centred variant only). */
  readonly lin?: Tensor;
};

/**
 * `RMSProp(lr = 0.001, rho = 0.9, eps = 1e-8, { centred = false, epsInSqrt = false })` (Optimisers.jl `RMSProp`):
 * quad ← ρ quad + (1−ρ) g²; centred: lin ← ρ lin + (1−ρ) g; step = lr · g / (√(quad − lin²) + ε), with
 * quad − lin² clamped at 0 (it is ≥ 0 in exact arithmetic; rounding can push it just below when g barely varies).
 * `epsInSqrt: true` puts ε under the root, step = lr · g / √(quad − lin² + ε) — Optax `rmsprop`'s default
 * (`eps_in_sqrt`); ε outside is Optimisers.jl's, PyTorch's and Keras's.
 * @throws {HyperparameterError} unless lr ≥ 0, ρ ∈ [0, 1), ε > 0
 */
export const RMSProp = defineRule({
  name: 'RMSProp',
  hyperparams: (lr: Rate = 0.001, rho = 0.9, eps = 1e-8) => ({ lr, rho, eps }),
  check: { lr: rate, rho: unitInterval, eps: positive },
  options: {
    /** Divide by the root of the centred second moment q − l² (an estimate of the variance) instead of q. */
    centred: false,
    /** Put ε under the root, √(q + ε), as Optax's default, instead of √q + ε. */
    epsInSqrt: false,
  },
  domain: { quad: NON_NEGATIVE },
  init: (p, h): RMSPropState => (h.centred ? { quad: Tensor.zeros(p.shape), lin: Tensor.zeros(p.shape) } : { quad: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { lr: eta, rho, eps } = h;
    const gd = g.data;
    const n = gd.length;
    const q0 = s.quad.data;
    const quad = new Float64Array(n);
    const step = new Float64Array(n);
    const a = 1 - rho;
    // ε outside the root (e1 = ε, e2 = 0) or inside it (e1 = 0, e2 = ε): one loop for both placements.
    const e1 = h.epsInSqrt ? 0 : eps;
    const e2 = h.epsInSqrt ? eps : 0;
    if (!h.centred) {
      for (let i = 0; i < n; i++) {
        const qi = rho * q0[i] + a * gd[i] * gd[i];
        quad[i] = qi;
        step[i] = (gd[i] * eta) / (Math.sqrt(qi + e2) + e1);
      }
      return [{ quad: new Tensor(quad, g.shape) }, new Tensor(step, g.shape)];
    }
    const l0 = s.lin!.data;
    const lin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const qi = rho * q0[i] + a * gd[i] * gd[i];
      const li = rho * l0[i] + a * gd[i];
      quad[i] = qi;
      lin[i] = li;
      // quad ≥ lin² in exact arithmetic (a mean of squares against a squared mean), but rounding can make the
      // difference slightly negative when the gradient barely varies: clamp it rather than take √ of it (NaN).
      step[i] = (gd[i] * eta) / (Math.sqrt(Math.max(qi - li * li, 0) + e2) + e1);
    }
    return [{ quad: new Tensor(quad, g.shape), lin: new Tensor(lin, g.shape) }, new Tensor(step, g.shape)];
  },
});
