import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';

export const cosPrim = definePrimitive({
  name: 'cos',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]);
    return new Tensor(o, x.shape);
  },
  jvp: ([t], [x]) => mul(t!, neg(sin(x))),
  vjp: (ct, [x]) => [mul(ct, neg(sin(x)))],
});

/** Elementwise cosine (radians). */
export function cos<T extends ArrayInput>(x: T): Result<T> {
  return bind(cosPrim, [asValue(x)], undefined) as Result<T>;
}
