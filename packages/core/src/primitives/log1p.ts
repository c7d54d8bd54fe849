import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { add } from './add.js';
import { div } from './div.js';

export const log1pPrim = definePrimitive({
  name: 'log1p',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.log1p(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => div(t!, add(x, 1)),
  vjp: (ct, [x]) => [div(ct, add(x, 1))],
});

/** Elementwise `log(1 + x)`, accurate for tiny |x| (NaN for x < -1, -Infinity at -1). */
export function log1p<T extends ArrayInput>(x: T): Result<T> {
  return bind(log1pPrim, [asValue(x)], undefined) as Result<T>;
}
