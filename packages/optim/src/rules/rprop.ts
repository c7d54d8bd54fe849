/** Rprop: per-coordinate step sizes adapted by the sign of the gradient alone (Riedmiller & Braun 1993). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { fail, positive } from '../validate.js';

/** Rprop state per tensor: the previous gradient and the current step sizes. */
export type RpropState = {
  /** The previous gradient, or 0 where its sign had just flipped (so that the next step does not shrink again). */
  readonly prev: Tensor;
  /** The current step size of each coordinate, > 0. */
  readonly stepSizes: Tensor;
};

/** The hyperparameters an Rprop update uses. */
interface Bounds {
  readonly lr: number;
  readonly etaMinus: number;
  readonly etaPlus: number;
  readonly minStepSize: number;
  readonly maxStepSize: number;
}

function inUnitInterval(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail(rule, name, v, 'a number in (0, 1]');
  return v;
}

function atLeastOne(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(Number.isFinite(v) && v >= 1)) fail(rule, name, v, 'a finite number ≥ 1');
  return v;
}

/** The one relation between hyperparameters that a check of each alone cannot see. */
function checkBounds(h: Bounds): void {
  if (!(h.minStepSize <= h.maxStepSize)) fail('Rprop', 'minStepSize', h.minStepSize, `at most maxStepSize = ${h.maxStepSize}`);
}

/**
 * `Rprop(lr = 0.001, etaMinus = 0.5, etaPlus = 1.2, minStepSize = 1e-6, maxStepSize = 50)` (Riedmiller & Braun 1993,
 * the Rprop⁻ variant without weight backtracking; defaults of Optimisers.jl `Rprop(η = 1e-3, ℓ = (0.5, 1.2),
 * Γ = (1e-6, 50))`, whose tuples are named as in Optax `rprop`). Every coordinate has its own step size, starting at
 * `lr`. With p = g · prev:
 *
 * - p > 0 (same sign): size ← size · etaPlus, prev ← g;
 * - p < 0 (sign flip): size ← size · etaMinus, prev ← 0 (no step now, and no shrinking at the next update);
 * - p = 0: size kept, prev ← g;
 *
 * a changed size clipped to [minStepSize, maxStepSize], and step = size · sign(prev). The gradient's magnitude is never
 * used, which suits full-batch problems. The clipping is Optax's; PyTorch also clamps a size it does not change, which
 * differs only for a size outside the bounds (an `lr` below `minStepSize`). `lr` is only the initial size: changing it with `adjust` leaves the running sizes.
 * @throws {HyperparameterError} unless lr > 0, etaMinus ∈ (0, 1], etaPlus ≥ 1, 0 < minStepSize ≤ maxStepSize (the
 * last at `setup` and `update`, since a check of one hyperparameter cannot see another)
 */
export const Rprop = defineRule({
  name: 'Rprop',
  hyperparams: (lr = 0.001, etaMinus = 0.5, etaPlus = 1.2, minStepSize = 1e-6, maxStepSize = 50) => ({ lr, etaMinus, etaPlus, minStepSize, maxStepSize }),
  check: { lr: positive, etaMinus: inUnitInterval, etaPlus: atLeastOne, minStepSize: positive, maxStepSize: positive },
  domain: { stepSizes: { above: 0 } },
  init: (p, h): RpropState => {
    checkBounds(h);
    return { prev: Tensor.zeros(p.shape), stepSizes: Tensor.full(p.shape, h.lr) };
  },
  apply: (s, _p, g, h) => {
    checkBounds(h);
    const { etaMinus, etaPlus, minStepSize, maxStepSize } = h;
    const gd = g.data;
    const p0 = s.prev.data;
    const z0 = s.stepSizes.data;
    const n = gd.length;
    const prev = new Float64Array(n);
    const sizes = new Float64Array(n);
    const step = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const gi = gd[i];
      const q = gi * p0[i];
      let z = z0[i];
      let gk = gi;
      if (q > 0) z = Math.min(Math.max(z * etaPlus, minStepSize), maxStepSize);
      else if (q < 0) {
        z = Math.min(Math.max(z * etaMinus, minStepSize), maxStepSize);
        gk = 0;
      }
      prev[i] = gk;
      sizes[i] = z;
      step[i] = z * Math.sign(gk);
    }
    return [{ prev: new Tensor(prev, g.shape), stepSizes: new Tensor(sizes, g.shape) }, new Tensor(step, g.shape)];
  },
});
