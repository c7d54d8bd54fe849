import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { add } from './add.js';
import { mul } from './mul.js';

export const expm1Prim = definePrimitive({
  name: 'expm1',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.expm1(a[i]);
    return new Tensor(o, x.shape);
  },
  // d expm1(x) = e^x = out + 1
  jvp: ([t], _, out) => mul(t!, add(out, 1)),
  vjp: (ct, _, out) => [mul(ct, add(out, 1))],
});

/** Elementwise `e^x - 1`, accurate for tiny |x|. */
export function expm1<T extends ArrayInput>(x: T): Result<T> {
  return bind(expm1Prim, [asValue(x)], undefined) as Result<T>;
}
