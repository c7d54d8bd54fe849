/** AdaDelta: rates from running averages of squared gradients and squared updates (Zeiler 2012). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { NON_NEGATIVE } from '../domain.js';
import type { Rate } from '../schedules/schedule.js';
import { positive, rate, unitInterval } from '../validate.js';

/** AdaDelta state per tensor: running averages of g² and of the squared (unscaled) update. */
export type AdaDeltaState = {
  /** Exponential moving average of g². */
  readonly acc: Tensor;
  /** Exponential moving average of Δx², Δx the update before `lr` scales it. */
  readonly deltaAcc: Tensor;
};

/**
 * `AdaDelta(rho = 0.9, eps = 1e-8, lr = 1)` (Zeiler, "ADADELTA: an adaptive learning rate method", 2012,
 * Algorithm 1; Optimisers.jl `AdaDelta(ρ = 0.9, ϵ = 1e-8)`, whose positional order this keeps):
 *
 * acc ← ρ acc + (1 − ρ) g², Δx = g · √(deltaAcc + ε) / √(acc + ε), deltaAcc ← ρ deltaAcc + (1 − ρ) Δx², step = lr · Δx.
 *
 * The method needs no rate: `lr = 1` (the default) is Zeiler's and Optimisers.jl's rule, and other values scale the
 * step as PyTorch `Adadelta(lr)` and Optax `adadelta(learning_rate)` do (deltaAcc keeps the unscaled Δx, as theirs
 * do). PyTorch and Optax default to ε = 1e-6. ε must stay inside both roots: it is what starts the updates from zero.
 * @throws {HyperparameterError} unless ρ ∈ [0, 1), ε > 0, lr ≥ 0
 */
export const AdaDelta = defineRule({
  name: 'AdaDelta',
  hyperparams: (rho = 0.9, eps = 1e-8, lr: Rate = 1) => ({ rho, eps, lr }),
  check: { rho: unitInterval, eps: positive, lr: rate },
  domain: { acc: NON_NEGATIVE, deltaAcc: NON_NEGATIVE },
  init: (p): AdaDeltaState => ({ acc: Tensor.zeros(p.shape), deltaAcc: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { rho, eps, lr } = h;
    const gd = g.data;
    const a0 = s.acc.data;
    const d0 = s.deltaAcc.data;
    const n = gd.length;
    const acc = new Float64Array(n);
    const deltaAcc = new Float64Array(n);
    const step = new Float64Array(n);
    const a = 1 - rho;
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const ai = rho * a0[i] + a * gi * gi;
      const dx = (gi * Math.sqrt(d0[i] + eps)) / Math.sqrt(ai + eps);
      acc[i] = ai;
      deltaAcc[i] = rho * d0[i] + a * dx * dx;
      step[i] = lr * dx;
    }
    return [{ acc: new Tensor(acc, g.shape), deltaAcc: new Tensor(deltaAcc, g.shape) }, new Tensor(step, g.shape)];
  },
});
