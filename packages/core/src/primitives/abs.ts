import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';
import { sign } from './sign.js';

export const absPrim = definePrimitive({
  name: 'abs',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => mul(t!, sign(x)),
  vjp: (ct, [x]) => [mul(ct, sign(x))],
});

/** Elementwise absolute value; its derivative is `sign(x)`, so 0 at x = 0 (the subgradient JAX picks). */
export function abs<T extends ArrayInput>(x: T): Result<T> {
  return bind(absPrim, [asValue(x)], undefined) as Result<T>;
}
