/** Gradient clipping by norm, per tensor or global. @module */
import { Tensor, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { booleanOption, checkOptions } from '../check-rule.js';
import { defineTreeRule } from '../define-tree-rule.js';
import { type LeafStates, leafTree } from '../leaf-rule.js';
import type { Params } from '../rule.js';
import { fail, positive } from '../validate.js';
import { EMPTY, scaled } from './descent.js';
import { maxAbs, powerSum, scaledPowerSum, trustedSum } from './norm.js';

/** Options of {@link ClipNorm}. */
export interface ClipNormOptions {
  /**
   * Clip by the norm of all gradient leaves together (Optax `clip_by_global_norm`) instead of each tensor's own norm.
   * Default false: per tensor, as Flux/Optimisers.jl `ClipNorm`.
   */
  readonly global?: boolean;
}

/**
 * The clipping factor for gradients `gs` as a quotient a/b (ω over the norm): ω/‖g‖ₚ with the norm summed directly
 * when Σ|g|ᵖ is representable, and otherwise with every entry divided by m = max|g|, a = ω/‖g/m‖ₚ and b = m, so
 * that a finite gradient is always rescaled to norm ω — entries of 1e200 included, whose squares overflow — and
 * never zeroed or left unclipped. A NaN/∞ entry (which `update` lets reach a rule only from an earlier rule of a
 * chain) gives a NaN factor, which `update` then reports.
 */
function clipFactor(gs: readonly Float64Array[], omega: number, p: number): readonly [number, number] {
  let s = 0;
  for (const d of gs) s += powerSum(d, p);
  if (trustedSum(s)) return [omega, s ** (1 / p)];
  let m = 0;
  for (const d of gs) {
    const a = maxAbs(d);
    if (!(a <= m)) m = a;
  }
  if (m === 0) return [1, 0]; // a zero gradient: nothing to clip
  if (!Number.isFinite(m)) return [Number.NaN, 1];
  let r = 0;
  for (const d of gs) r += scaledPowerSum(d, p, m);
  return [omega / r ** (1 / p), m];
}

/** Factors below this are computed per entry as (g/b)·a: a/b itself would be subnormal and lose digits. */
const SMALLEST_FACTOR = 2 ** -1000;

/** `g` rescaled by a/b, or `g` itself when the factor does not shrink it (an unchanged gradient is shared). */
function rescale(g: Tensor, [a, b]: readonly [number, number]): Tensor {
  if (a >= b) return g;
  const factor = a / b;
  if (factor >= SMALLEST_FACTOR) return scaled(g, factor);
  const d = g.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = (d[i] / b) * a;
  return new Tensor(out, g.shape);
}

function atLeastOne(rule: string, name: string, p: number): number {
  if (typeof p !== 'number' || !(Number.isFinite(p) && p >= 1)) fail(rule, name, p, 'a finite number ≥ 1');
  return p;
}

/**
 * `ClipNorm(omega = 10, p = 2, { global = false })`: rescales a gradient whose p-norm exceeds ω to norm ω.
 * **Per tensor by default** (each leaf is clipped by its own norm, as Flux/Optimisers.jl); `{ global: true }` uses the
 * norm of all (unmasked) leaves together, as Optax `clip_by_global_norm` and PyTorch `clip_grad_norm_`.
 *
 * It always rescales and never throws: the norm is computed without overflow or underflow (a gradient of entries
 * 1e200 is clipped to norm ω, not zeroed; one of entries 1e-170 is clipped to a smaller ω), which is what
 * Optimisers.jl's `ClipNorm(…; throw = false)` does for finite norms. Its `throw = true` default has no counterpart
 * here, because `update` refuses NaN/∞ gradients before any rule sees them (`applyIfFinite` skips them instead), and
 * a finite gradient always gets a finite factor.
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
      apply: (s, _x, g) => [s, rescale(g, clipFactor([g.data], omega, p))],
    });
    if (options.global !== true) return perTensor;
    return {
      ...perTensor,
      apply(state: LeafStates<typeof EMPTY>, _param: Params, grad: Params) {
        const factor = clipFactor(treeFlattenWithPath<Tensor>(grad)[0].map(([, g]) => g.data), omega, p);
        return [state, treeMapWithPath((_path: string, g: Tensor) => rescale(g, factor), grad) as Params];
      },
    };
  },
});
