/** SignDecay: L₁ regularisation as a gradient transformation. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { nonNegative } from '../validate.js';
import { EMPTY } from './descent.js';

/**
 * `SignDecay(lambda = 1e-3)` (Optimisers.jl `SignDecay`): g + λ · sign(x), the gradient of the L₁ penalty λ‖x‖₁ added
 * to the loss's (sign(0) = 0: a parameter at zero is not pushed). Put it first in a `chain`, as `WeightDecay` for L₂:
 * `chain(SignDecay(0.01), WeightDecay(0.02), Adam())` adds 0.01‖x‖₁ + 0.01‖x‖₂² to the loss.
 * @throws {HyperparameterError} unless λ ≥ 0
 */
export const SignDecay = defineRule({
  name: 'SignDecay',
  hyperparams: (lambda = 1e-3) => ({ lambda }),
  check: { lambda: nonNegative },
  init: () => EMPTY,
  apply: (s, p, g, h) => {
    const { lambda } = h;
    const gd = g.data;
    const x = p.data;
    const out = new Float64Array(gd.length);
    for (let i = 0; i < gd.length; i++) out[i] = gd[i] + lambda * Math.sign(x[i]);
    return [s, new Tensor(out, g.shape)];
  },
});
