import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { div } from './div.js';
import { mul } from './mul.js';

export const sqrtPrim = definePrimitive({
  name: 'sqrt',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]);
    return new Tensor(o, x.shape);
  },
  // d sqrt(x) = t / (2·out)
  jvp: ([t], _, out) => div(t!, mul(out, 2)),
  vjp: (ct, _, out) => [div(ct, mul(out, 2))],
});

/** Elementwise square root (NaN for x < 0 as IEEE; the derivative is Infinity at 0). */
export function sqrt<T extends ArrayInput>(x: T): Result<T> {
  return bind(sqrtPrim, [asValue(x)], undefined) as Result<T>;
}
