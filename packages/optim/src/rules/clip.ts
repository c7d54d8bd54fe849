/** Gradient clipping by value and by norm. @module */
import { Tensor, treeFlatten, treeUnflatten } from '@natgrad/core';
import { type LeafStates, leafRule } from '../leaf-rule.js';
import type { Params, Rule } from '../rule.js';
import { checkOptions } from '../check-rule.js';
import { HyperparameterError } from '../errors.js';
import { positive } from '../validate.js';
import { EMPTY } from './descent.js';

/**
 * `ClipValue(delta = 10)` (Flux `ClipValue`, Optimisers.jl `ClipGrad`): clamps each gradient entry to [−δ, δ].
 * @throws {HyperparameterError} unless δ > 0
 */
export function ClipValue(delta = 10): Rule<LeafStates<typeof EMPTY>> {
  positive('ClipValue', 'delta', delta);
  return leafRule({
    name: 'ClipValue',
    hyperparams: { delta },
    init: () => EMPTY,
    apply: (s, _p, g) => {
      const gd = g.data;
      const out = new Float64Array(gd.length);
      for (let i = 0; i < gd.length; i++) out[i] = gd[i] > delta ? delta : gd[i] < -delta ? -delta : gd[i];
      return [s, new Tensor(out, g.shape)];
    },
  });
}

/** Options of {@link ClipNorm}. */
export interface ClipNormOptions {
  /**
   * Clip by the norm of all gradient leaves together (Optax `clip_by_global_norm`) instead of each tensor's own norm.
   * Default false: per tensor, as Flux/Optimisers.jl `ClipNorm`.
   */
  readonly global?: boolean;
}

function pNorm(d: Float64Array, p: number): number {
  let s = 0;
  if (p === 2) for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  else for (let i = 0; i < d.length; i++) s += Math.abs(d[i]) ** p;
  return s;
}

function rescale(g: Tensor, factor: number): Tensor {
  if (factor >= 1) return g; // unchanged: share the gradient tensor itself
  const gd = g.data;
  const out = new Float64Array(gd.length);
  for (let i = 0; i < gd.length; i++) out[i] = gd[i] * factor;
  return new Tensor(out, g.shape);
}

/**
 * `ClipNorm(omega = 10, p = 2, { global = false })`: rescales a gradient whose p-norm exceeds ω to norm ω.
 * **Per tensor by default** (each leaf is clipped by its own norm, as Flux/Optimisers.jl); `{ global: true }` uses the
 * norm of all (unmasked) leaves together, as Optax `clip_by_global_norm` and PyTorch `clip_grad_norm_`.
 * @throws {HyperparameterError} unless ω > 0 and p ≥ 1
 */
export function ClipNorm(omega = 10, p = 2, options: ClipNormOptions = {}): Rule<LeafStates<typeof EMPTY>> {
  checkOptions('ClipNorm', options, ['global']);
  positive('ClipNorm', 'omega', omega);
  if (!(Number.isFinite(p) && p >= 1)) throw new HyperparameterError('ClipNorm', 'p', p, 'a finite number ≥ 1');
  const global = options.global === true;
  const base = leafRule({
    name: 'ClipNorm',
    hyperparams: { omega, p },
    options: { global },
    init: () => EMPTY,
    apply: (s, _p, g) => [s, rescale(g, omega / pNorm(g.data, p) ** (1 / p))],
  });
  if (!global) return base;
  return {
    ...base,
    apply(state, _param, grad: Params) {
      const [leaves, def] = treeFlatten<Tensor>(grad);
      let s = 0;
      for (const g of leaves) s += pNorm(g.data, p);
      const factor = omega / s ** (1 / p);
      return [state, treeUnflatten<Params>(def, leaves.map((g) => rescale(g, factor)))];
    },
  };
}
