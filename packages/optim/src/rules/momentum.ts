/** Heavy-ball momentum, with Optimisers.jl's update formula. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { rate, unitInterval } from '../validate.js';

/** Momentum state: the velocity (already scaled by the learning rate, as in Optimisers.jl). */
export type MomentumState = {
  /** The velocity v, shaped like the parameter (for `Momentum` it is also the step). */
  readonly v: Tensor;
};

/**
 * `Momentum(lr = 0.01, rho = 0.9)`: v ← ρ v + lr · g; step = v (Optimisers.jl `Momentum`).
 * @throws {HyperparameterError} unless lr ≥ 0 and ρ ∈ [0, 1)
 */
export const Momentum = defineRule({
  name: 'Momentum',
  hyperparams: (lr: Rate = 0.01, rho = 0.9) => ({ lr, rho }),
  check: { lr: rate, rho: unitInterval },
  init: (p): MomentumState => ({ v: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { lr: eta, rho } = h;
    const v0 = s.v.data;
    const gd = g.data;
    const v = new Float64Array(gd.length);
    for (let i = 0; i < gd.length; i++) v[i] = rho * v0[i] + eta * gd[i];
    const t = new Tensor(v, g.shape);
    return [{ v: t }, t]; // the step is the new velocity itself: both are immutable, so they can share
  },
});
