import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';

export const expPrim = definePrimitive({
  name: 'exp',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], _, out) => mul(t!, out),
  vjp: (ct, _, out) => [mul(ct, out)],
});

/** Elementwise `e^x`. */
export function exp<T extends ArrayInput>(x: T): Result<T> {
  return bind(expPrim, [asValue(x)], undefined) as Result<T>;
}
