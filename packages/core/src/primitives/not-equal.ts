import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const notEqualPrim = definePrimitive({
  name: 'notEqual',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'notEqual');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i * sa] !== b[i * sb] ? 1 : 0;
    return new Tensor(o, shape);
  },
  nondifferentiable: true,
});

/** Elementwise `x != y` as 1/0 floats, with broadcasting (IEEE: true when either is NaN). Zero derivative. */
export function notEqual<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(notEqualPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
