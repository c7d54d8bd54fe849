import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { neg } from './neg.js';
import { negMaybe, sumTerms } from './tangents.js';

export const subPrim = definePrimitive({
  name: 'sub',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'sub');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] - b[i * sb];
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], _, out) => (tx !== null && ty !== null ? sub(tx, ty) : sumTerms(out.shape, tx, negMaybe(ty))),
  vjp: (ct, [x, y], _, __, needs) => [needs[0] ? unbroadcast(ct, x.shape) : null, needs[1] ? unbroadcast(neg(ct), y.shape) : null],
});

/** Elementwise `x - y` with broadcasting. */
export function sub<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(subPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
