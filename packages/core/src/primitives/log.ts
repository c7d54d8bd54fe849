import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { div } from './div.js';

export const logPrim = definePrimitive({
  name: 'log',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.log(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => div(t!, x),
  vjp: (ct, [x]) => [div(ct, x)],
});

/** Elementwise natural logarithm (NaN for x < 0, -Infinity at 0, as IEEE). */
export function log<T extends ArrayInput>(x: T): Result<T> {
  return bind(logPrim, [asValue(x)], undefined) as Result<T>;
}
