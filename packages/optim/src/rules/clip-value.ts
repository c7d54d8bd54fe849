/** Gradient clipping by value. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import { positive } from '../validate.js';
import { EMPTY } from './descent.js';

/**
 * `ClipValue(delta = 10)` (Flux `ClipValue`, Optimisers.jl `ClipGrad`, Optax `clip`): clamps each gradient entry to
 * [−δ, δ].
 * @throws {HyperparameterError} unless δ > 0
 */
export const ClipValue = defineRule({
  name: 'ClipValue',
  hyperparams: (delta = 10) => ({ delta }),
  check: { delta: positive },
  init: () => EMPTY,
  apply: (s, _p, g, h) => {
    const { delta } = h;
    const gd = g.data;
    const out = new Float64Array(gd.length);
    for (let i = 0; i < gd.length; i++) out[i] = gd[i] > delta ? delta : gd[i] < -delta ? -delta : gd[i];
    return [s, new Tensor(out, g.shape)];
  },
});
