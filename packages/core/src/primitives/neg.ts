import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const negPrim = definePrimitive({
  name: 'neg',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = -a[i];
    return new Tensor(o, x.shape);
  },
  jvp: ([t]) => neg(t!),
  vjp: (ct) => [neg(ct)],
});

/** Elementwise `-x`. */
export function neg<T extends ArrayInput>(x: T): Result<T> {
  return bind(negPrim, [asValue(x)], undefined) as Result<T>;
}
