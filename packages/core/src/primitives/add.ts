import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { sumTerms } from './tangents.js';

export const addPrim = definePrimitive({
  name: 'add',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'add');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] + b[i * sb];
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], _, out) => sumTerms(out.shape, tx, ty),
  vjp: (ct, [x, y], _, __, needs) => [needs[0] ? unbroadcast(ct, x.shape) : null, needs[1] ? unbroadcast(ct, y.shape) : null],
});

/** Elementwise `x + y` with broadcasting. */
export function add<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(addPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
