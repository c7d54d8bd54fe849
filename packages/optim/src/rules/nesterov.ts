/** Nesterov momentum, with Optimisers.jl's update formula. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { rate, unitInterval } from '../validate.js';
import type { MomentumState } from './momentum.js';

/**
 * `Nesterov(lr = 0.001, rho = 0.9)`: step = −ρ² v + (1 + ρ) lr · g, then v ← ρ v − lr · g (Optimisers.jl
 * `Nesterov`, which keeps the velocity with the sign of a descent direction). Its state is a {@link MomentumState}.
 * @throws {HyperparameterError} unless lr ≥ 0 and ρ ∈ [0, 1)
 */
export const Nesterov = defineRule({
  name: 'Nesterov',
  hyperparams: (lr: Rate = 0.001, rho = 0.9) => ({ lr, rho }),
  check: { lr: rate, rho: unitInterval },
  init: (p): MomentumState => ({ v: Tensor.zeros(p.shape) }),
  apply: (s, _p, g, h) => {
    const { lr: eta, rho } = h;
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
