import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sub } from './sub.js';
import { toShape } from './tangents.js';

export const divPrim = definePrimitive({
  name: 'div',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'div');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] / b[i * sb];
    return new Tensor(o, shape);
  },
  // d(x/y) = (dx - out·dy) / y
  jvp: ([tx, ty], [, y], out) => {
    const num = ty === null ? tx! : tx === null ? neg(mul(out, ty)) : sub(tx, mul(out, ty));
    return toShape(div(num, y), out.shape);
  },
  vjp: (ct, [x, y], out, _, needs) => {
    const g = div(ct, y);
    return [needs[0] ? unbroadcast(g, x.shape) : null, needs[1] ? unbroadcast(neg(mul(g, out)), y.shape) : null];
  },
});

/** Elementwise `x / y` with broadcasting (IEEE semantics: `1/0 = Infinity`). */
export function div<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(divPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
