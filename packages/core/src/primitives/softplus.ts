import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';

export const softplusPrim = definePrimitive({
  name: 'softplus',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => mul(t!, sigmoid(x)),
  vjp: (ct, [x]) => [mul(ct, sigmoid(x))],
});

/**
 * Elementwise `log(1 + e^x)` (`jax.nn.softplus`), computed as `max(x, 0) + log1p(e^-|x|)` so it neither overflows
 * for large x nor loses precision for very negative x. Its derivative is {@link sigmoid}.
 */
export function softplus<T extends ArrayInput>(x: T): Result<T> {
  return bind(softplusPrim, [asValue(x)], undefined) as Result<T>;
}
