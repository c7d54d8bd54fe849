/** Plain gradient descent. @module */
import { Tensor } from '@natgrad/core';
import { defineRule } from '../define-rule.js';
import type { Rate } from '../schedules/schedule.js';
import { rate } from '../validate.js';

/** The state of a stateless rule: one shared empty record (shared, so states of stateless rules cost nothing). */
export const EMPTY: Readonly<Record<string, never>> = /* @__PURE__ */ Object.freeze({});

/** `a · x` as a new tensor: one tight loop (no tracing machinery on the optimiser's hot path). */
export function scaled(x: Tensor, a: number): Tensor {
  const d = x.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = a * d[i];
  return new Tensor(out, x.shape);
}

/**
 * `Descent(lr = 0.1)`: step = lr · g (Optimisers.jl `Descent`, Optax `sgd`).
 * @param lr learning rate ≥ 0, or a schedule of the step
 * @throws {HyperparameterError} for a negative or non-finite rate
 */
export const Descent = defineRule({
  name: 'Descent',
  hyperparams: (lr: Rate = 0.1) => ({ lr }),
  check: { lr: rate },
  init: () => EMPTY,
  apply: (s, _p, g, h) => [s, scaled(g, h.lr)],
});
