import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { cos } from './cos.js';
import { mul } from './mul.js';

export const sinPrim = definePrimitive({
  name: 'sin',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => mul(t!, cos(x)),
  vjp: (ct, [x]) => [mul(ct, cos(x))],
});

/** Elementwise sine (radians). */
export function sin<T extends ArrayInput>(x: T): Result<T> {
  return bind(sinPrim, [asValue(x)], undefined) as Result<T>;
}
