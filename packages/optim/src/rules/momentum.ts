/** Heavy-ball and Nesterov momentum, with Optimisers.jl's update formulas. @module */
import { Tensor } from '@natgrad/core';
import { type LeafStates, leafRule } from '../leaf-rule.js';
import type { Rule } from '../rule.js';
import { type Rate, checkRate, splitRates } from '../schedules.js';
import { unitInterval } from '../validate.js';

/** Momentum state: the velocity (already scaled by the learning rate, as in Optimisers.jl). */
export type MomentumState = {
  /** The velocity v, shaped like the parameter (for `Momentum` it is also the step). */
  readonly v: Tensor;
};

/**
 * `Momentum(lr = 0.01, rho = 0.9)`: v ← ρ v + lr · g; step = v (Optimisers.jl `Momentum`).
 * @throws {HyperparameterError} unless lr ≥ 0 and ρ ∈ [0, 1)
 */
export function Momentum(lr: Rate = 0.01, rho = 0.9): Rule<LeafStates<MomentumState>> {
  checkRate('Momentum', 'lr', lr);
  unitInterval('Momentum', 'rho', rho);
  const [rates, schedules] = splitRates({ lr });
  return leafRule<MomentumState>({
    name: 'Momentum',
    hyperparams: { ...rates, rho },
    schedules,
    init: (p) => ({ v: Tensor.zeros(p.shape) }),
    apply: (s, _p, g, h) => {
      const eta = h.lr;
      const v0 = s.v.data;
      const gd = g.data;
      const v = new Float64Array(gd.length);
      for (let i = 0; i < gd.length; i++) v[i] = rho * v0[i] + eta * gd[i];
      const t = new Tensor(v, g.shape);
      return [{ v: t }, t]; // the step is the new velocity itself: both are immutable, so they can share
    },
  });
}

/**
 * `Nesterov(lr = 0.001, rho = 0.9)`: step = −ρ² v + (1 + ρ) lr · g, then v ← ρ v − lr · g (Optimisers.jl
 * `Nesterov`, which keeps the velocity with the sign of a descent direction).
 * @throws {HyperparameterError} unless lr ≥ 0 and ρ ∈ [0, 1)
 */
export function Nesterov(lr: Rate = 0.001, rho = 0.9): Rule<LeafStates<MomentumState>> {
  checkRate('Nesterov', 'lr', lr);
  unitInterval('Nesterov', 'rho', rho);
  const [rates, schedules] = splitRates({ lr });
  return leafRule<MomentumState>({
    name: 'Nesterov',
    hyperparams: { ...rates, rho },
    schedules,
    init: (p) => ({ v: Tensor.zeros(p.shape) }),
    apply: (s, _p, g, h) => {
      const eta = h.lr;
      const v0 = s.v.data;
      const gd = g.data;
      const v = new Float64Array(gd.length);
      const step = new Float64Array(gd.length);
      const rho2 = rho * rho;
      for (let i = 0; i < gd.length; i++) {
        step[i] = -rho2 * v0[i] + (1 + rho) * eta * gd[i];
        v[i] = rho * v0[i] - eta * gd[i];
      }
      return [{ v: new Tensor(v, g.shape) }, new Tensor(step, g.shape)];
    },
  });
}
