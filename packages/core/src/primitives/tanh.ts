import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';
import { square } from './square.js';
import { sub } from './sub.js';

export const tanhPrim = definePrimitive({
  name: 'tanh',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]);
    return new Tensor(o, x.shape);
  },
  // d tanh(x) = 1 - out²
  jvp: ([t], _, out) => mul(t!, sub(1, square(out))),
  vjp: (ct, _, out) => [mul(ct, sub(1, square(out)))],
});

/** Elementwise hyperbolic tangent (saturates to ±1 without overflow). */
export function tanh<T extends ArrayInput>(x: T): Result<T> {
  return bind(tanhPrim, [asValue(x)], undefined) as Result<T>;
}
