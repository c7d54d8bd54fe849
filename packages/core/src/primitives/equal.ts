import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const equalPrim = definePrimitive({
  name: 'equal',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'equal');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] === b[i * sb] ? 1 : 0;
    return new Tensor(o, shape);
  },
  nondifferentiable: true,
});

/** Elementwise `x == y` as 1/0 floats, with broadcasting (IEEE: NaN equals nothing, 0 equals -0). Zero derivative. */
export function equal<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(equalPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
