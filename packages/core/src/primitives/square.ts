import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { scaledMul } from './scaled-mul.js';

export const squarePrim = definePrimitive({
  name: 'square',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v * v;
    }
    return new Tensor(o, x.shape);
  },
  // 2·x·t in one pass (this is on the forward-mode hot path of least-squares objectives)
  jvp: ([t], [x]) => scaledMul(t!, x, 2),
  vjp: (ct, [x]) => [scaledMul(ct, x, 2)],
});

/** Elementwise `x²` (one multiply; cheaper and exact compared with `pow(x, 2)`). */
export function square<T extends ArrayInput>(x: T): Result<T> {
  return bind(squarePrim, [asValue(x)], undefined) as Result<T>;
}
