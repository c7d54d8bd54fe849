import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { sumTerms } from './tangents.js';

export const mulPrim = definePrimitive({
  name: 'mul',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'mul');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] * b[i * sb];
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], [x, y], out) => sumTerms(out.shape, tx && mul(tx, y), ty && mul(x, ty)),
  vjp: (ct, [x, y], _, __, needs) => [
    needs[0] ? unbroadcast(mul(ct, y), x.shape) : null,
    needs[1] ? unbroadcast(mul(ct, x), y.shape) : null,
  ],
});

/** Elementwise `x * y` with broadcasting. */
export function mul<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(mulPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
