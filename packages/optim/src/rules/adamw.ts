/** AdamW: Adam with decoupled weight decay. @module */
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { nonNegative, positive, rate, unitInterval } from '../validate.js';
import { ADAM_DOMAIN, adamInit, adamStep } from './adam.js';

/**
 * `AdamW(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0, { couple = true })` (Loshchilov & Hutter;
 * Optimisers.jl `AdamW` with its defaults, including λ = 0, and its `couple` keyword):
 *
 * - `couple: true` (default): step = lr · (Adam direction + decay · x), the decay scaled by the learning rate, as
 *   PyTorch `AdamW` and Optax `adamw`;
 * - `couple: false`: step = lr · Adam direction + decay · x, the decay independent of the rate (and of its schedule),
 *   as in the paper's x ← x − η(α·Adam direction + λx) with η = 1.
 *
 * Its state is an `AdamState`.
 * @throws {HyperparameterError} unless lr ≥ 0, β ∈ [0, 1), ε > 0, decay ≥ 0
 */
export const AdamW = defineRule({
  name: 'AdamW',
  hyperparams: (lr: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0) => ({ lr, beta1, beta2, eps, decay }),
  check: { lr: rate, beta1: unitInterval, beta2: unitInterval, eps: positive, decay: nonNegative },
  options: {
    /** Scale the decay by the learning rate (true: PyTorch, Optax) or not (false: the paper). */
    couple: true as boolean,
  },
  domain: ADAM_DOMAIN,
  init: (p, h) => adamInit(p, h),
  apply: (s, p, g, h) => adamStep(s, p, g, h.lr, h.beta1, h.beta2, h.eps, h.decay, h.couple),
});
