/** Shared fixtures of the checkpoint tests: a user-registered rule, parameters and deterministic gradients. */
import { Tensor, ops } from '@natgrad/core';
import { type Params, type Rate, defineRule, rate, registerRule } from '@natgrad/optim';

// A user-defined rule in a few lines: signSGD. Registering its definition lets checkpoints rebuild it.
export const SignDescent = defineRule({
  name: 'SignDescent',
  hyperparams: (lr: Rate = 0.01) => ({ lr }),
  check: { lr: rate },
  init: () => ({ n: 0 }),
  apply: (s, _p, g, h) => [{ n: s.n + 1 }, ops.mul(h.lr, ops.sign(g)) as Tensor],
});
registerRule(SignDescent);

export const t = (x: number[]) => Tensor.from(x);
export const params0 = (): Params => ({ layers: [{ w: Tensor.from([[1, 2], [3, 4]]), b: t([0.5]) }, { w: t([-1, 1]) }], s: t([2]) });
/** Deterministic gradients, a smooth function of the parameters and the step (occasionally NaN when `nan`). */
export function grads(i: number, p: Params, nan = false): Params {
  if (p instanceof Tensor) {
    const out = new Float64Array(p.size);
    for (let k = 0; k < out.length; k++) out[k] = Math.sin(3 * p.data[k] + i + k) + 0.1 * p.data[k];
    if (nan && i % 3 === 1) out[0] = Number.NaN;
    return new Tensor(out, p.shape);
  }
  if (Array.isArray(p)) return p.map((c) => grads(i, c, nan));
  const o = p as Record<string, Params>;
  return Object.fromEntries(Object.keys(o).map((k) => [k, grads(i, o[k], nan)]));
}

