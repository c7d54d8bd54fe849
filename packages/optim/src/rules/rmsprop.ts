/** RMSProp and AdaGrad: per-coordinate scaling by accumulated squared gradients. @module */
import { Tensor } from '@natgrad/core';
import { type LeafStates, leafRule } from '../leaf-rule.js';
import type { Rule } from '../rule.js';
import { type Rate, checkRate, splitRates } from '../schedules.js';
import { checkOptions } from '../check-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import { positive, unitInterval } from '../validate.js';

/** RMSProp state: the running mean of g² and, when centred, of g. */
export type RMSPropState = {
  /** Moving average of g². */
  readonly quad: Tensor;
  /** Moving average of g (centred variant only). */
  readonly lin?: Tensor;
};

/**
 * `RMSProp(lr = 0.001, rho = 0.9, eps = 1e-8, { centred = false })` (Optimisers.jl `RMSProp`):
 * quad ← ρ quad + (1−ρ) g²; centred: lin ← ρ lin + (1−ρ) g; step = lr · g / (√(quad − lin²) + ε), with
 * quad − lin² clamped at 0 (it is ≥ 0 in exact arithmetic; rounding can push it just below when g barely varies).
 * @throws {HyperparameterError} unless lr ≥ 0, ρ ∈ [0, 1), ε > 0
 */
export function RMSProp(lr: Rate = 0.001, rho = 0.9, eps = 1e-8, options: { centred?: boolean } = {}): Rule<LeafStates<RMSPropState>> {
  checkOptions('RMSProp', options, ['centred']);
  checkRate('RMSProp', 'lr', lr);
  unitInterval('RMSProp', 'rho', rho);
  positive('RMSProp', 'eps', eps);
  const centred = options.centred === true;
  const [rates, schedules] = splitRates({ lr });
  return leafRule<RMSPropState>({
    name: 'RMSProp',
    hyperparams: { ...rates, rho, eps },
    options: { centred },
    schedules,
    domain: { quad: NON_NEGATIVE },
    init: (p) => (centred ? { quad: Tensor.zeros(p.shape), lin: Tensor.zeros(p.shape) } : { quad: Tensor.zeros(p.shape) }),
    apply: (s, _p, g, h) => {
      const eta = h.lr;
      const gd = g.data;
      const n = gd.length;
      const q0 = s.quad.data;
      const quad = new Float64Array(n);
      const step = new Float64Array(n);
      const a = 1 - rho;
      if (!centred) {
        for (let i = 0; i < n; i++) {
          const qi = rho * q0[i] + a * gd[i] * gd[i];
          quad[i] = qi;
          step[i] = (gd[i] * eta) / (Math.sqrt(qi) + eps);
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
        step[i] = (gd[i] * eta) / (Math.sqrt(Math.max(qi - li * li, 0)) + eps);
      }
      return [{ quad: new Tensor(quad, g.shape), lin: new Tensor(lin, g.shape) }, new Tensor(step, g.shape)];
    },
  });
}

/** AdaGrad state: the sum of squared gradients (starting at ε, as in Optimisers.jl). */
export type AdaGradState = {
  /** Sum of squared gradients so far, starting at ε. */
  readonly acc: Tensor;
};

/**
 * `AdaGrad(lr = 0.1, eps = 1e-8)` (Duchi et al.; Optimisers.jl `AdaGrad`): acc ← acc + g² with acc₀ = ε,
 * step = lr · g / (√acc + ε).
 * @throws {HyperparameterError} unless lr ≥ 0 and ε > 0
 */
export function AdaGrad(lr: Rate = 0.1, eps = 1e-8): Rule<LeafStates<AdaGradState>> {
  checkRate('AdaGrad', 'lr', lr);
  positive('AdaGrad', 'eps', eps);
  const [rates, schedules] = splitRates({ lr });
  return leafRule<AdaGradState>({
    name: 'AdaGrad',
    hyperparams: { ...rates, eps },
    schedules,
    domain: { acc: { atLeast: eps } }, // starts at ε and only grows
    init: (p) => ({ acc: Tensor.full(p.shape, eps) }),
    apply: (s, _p, g, h) => {
      const eta = h.lr;
      const gd = g.data;
      const a0 = s.acc.data;
      const n = gd.length;
      const acc = new Float64Array(n);
      const step = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const ai = a0[i] + gd[i] * gd[i];
        acc[i] = ai;
        step[i] = (gd[i] * eta) / (Math.sqrt(ai) + eps);
      }
      return [{ acc: new Tensor(acc, g.shape) }, new Tensor(step, g.shape)];
    },
  });
}
