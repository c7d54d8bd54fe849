/** Gradient clipping by norm, per tensor or global. @module */
import { type Tensor, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { booleanOption, checkOptions } from '../check-rule.js';
import { defineTreeRule } from '../define-tree-rule.js';
import { type LeafStates, leafTree } from '../leaf-rule.js';
import type { Params } from '../rule.js';
import { fail, positive } from '../validate.js';
import { EMPTY, scaled } from './descent.js';

/** Options of {@link ClipNorm}. */
export interface ClipNormOptions {
  /**
   * Clip by the norm of all gradient leaves together (Optax `clip_by_global_norm`) instead of each tensor's own norm.
   * Default false: per tensor, as Flux/Optimisers.jl `ClipNorm`.
   */
  readonly global?: boolean;
}

/** Σ|x|ᵖ over `d`. */
function powerSum(d: Float64Array, p: number): number {
  let s = 0;
  if (p === 2) for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  else for (let i = 0; i < d.length; i++) s += Math.abs(d[i]) ** p;
  return s;
}

/** `g` scaled by `factor`, or `g` itself when the factor does not shrink it (an unchanged gradient is shared). */
function rescale(g: Tensor, factor: number): Tensor {
  return factor >= 1 ? g : scaled(g, factor);
}

function atLeastOne(rule: string, name: string, p: number): number {
  if (typeof p !== 'number' || !(Number.isFinite(p) && p >= 1)) fail(rule, name, p, 'a finite number ≥ 1');
  return p;
}

/**
 * `ClipNorm(omega = 10, p = 2, { global = false })`: rescales a gradient whose p-norm exceeds ω to norm ω.
 * **Per tensor by default** (each leaf is clipped by its own norm, as Flux/Optimisers.jl); `{ global: true }` uses the
 * norm of all (unmasked) leaves together, as Optax `clip_by_global_norm` and PyTorch `clip_grad_norm_`.
 * @throws {HyperparameterError} unless ω > 0 and p ≥ 1
 */
export const ClipNorm = defineTreeRule({
  name: 'ClipNorm',
  hyperparams: { omega: positive, p: atLeastOne },
  options: { global: false },
  args: (omega = 10, p = 2, options: ClipNormOptions = {}) => {
    checkOptions('ClipNorm', options, ['global']);
    return { hyperparams: { omega, p }, options: { global: booleanOption('ClipNorm', options, 'global', false) } };
  },
  create: ({ hyperparams, options }) => {
    const omega = hyperparams.omega as number;
    const p = hyperparams.p as number;
    const perTensor = leafTree<typeof EMPTY, undefined>({
      name: 'ClipNorm',
      domain: {},
      at: () => undefined,
      init: () => EMPTY,
      apply: (s, _x, g) => [s, rescale(g, omega / powerSum(g.data, p) ** (1 / p))],
    });
    if (options.global !== true) return perTensor;
    return {
      ...perTensor,
      apply(state: LeafStates<typeof EMPTY>, _param: Params, grad: Params) {
        let s = 0;
        for (const [, g] of treeFlattenWithPath<Tensor>(grad)[0]) s += powerSum(g.data, p);
        const factor = omega / s ** (1 / p);
        return [state, treeMapWithPath((_path: string, g: Tensor) => rescale(g, factor), grad) as Params];
      },
    };
  },
});
