/** WeightDecay: adds λx to the gradient (L2 regularisation, as a rule to chain before another). @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { nonNegative } from '../validate.js';
import { EMPTY } from './descent.js';

/**
 * `WeightDecay(lambda = 5e-4)` (Optimisers.jl `WeightDecay`, Optax `add_decayed_weights`): step = g + λx. Chain it
 * before the rule that should see the decayed gradient, e.g. `chain(WeightDecay(1e-4), Momentum())`.
 * @throws {HyperparameterError} unless λ ≥ 0
 */
export const WeightDecay = defineRule({
  name: 'WeightDecay',
  hyperparams: (lambda = 5e-4) => ({ lambda }),
  check: { lambda: nonNegative },
  init: () => EMPTY,
  apply: (s, p, g, h) => {
    const { lambda } = h;
    const gd = g.data;
    const x = p.data;
    const out = new Float64Array(gd.length);
    for (let i = 0; i < gd.length; i++) out[i] = gd[i] + lambda * x[i];
    return [s, new Tensor(out, g.shape)];
  },
});
