import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

export const sigmoidPrim = definePrimitive({
  name: 'sigmoid',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (v >= 0) {
        o[i] = 1 / (1 + Math.exp(-v));
      } else {
        // exp(v) cannot overflow here; NaN also takes this branch and propagates.
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
    return new Tensor(o, x.shape);
  },
  // d σ(x) = out·(1 - out)
  jvp: ([t], _, out) => mul(t!, mul(out, sub(1, out))),
  vjp: (ct, _, out) => [mul(ct, mul(out, sub(1, out)))],
});

/**
 * Elementwise logistic function `1 / (1 + e^-x)` (`jax.nn.sigmoid`), evaluated without overflow for any x: exp is
 * only ever taken of a non-positive number.
 */
export function sigmoid<T extends ArrayInput>(x: T): Result<T> {
  return bind(sigmoidPrim, [asValue(x)], undefined) as Result<T>;
}
