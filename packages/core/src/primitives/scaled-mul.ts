import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { sumTerms } from './tangents.js';

/**
 * @internal `scale · x · y` with broadcasting, in one pass. Derivative rules such as `square`'s `2·x·t` use it instead
 * of two multiplications: on the forward-mode hot path every pass over the data counts.
 */
export const scaledMulPrim: Primitive<{ scale: number }> = definePrimitive<{ scale: number }>({
  name: 'scaledMul',
  impl: ([x, y], { scale }) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'scaledMul');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = scale * a[i * sa] * b[i * sb];
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], [x, y], out, { scale }) =>
    sumTerms(out.shape, tx && scaledMul(tx, y, scale), ty && scaledMul(x, ty, scale)),
  vjp: (ct, [x, y], _, { scale }, needs) => [
    needs[0] ? unbroadcast(scaledMul(ct, y, scale), x.shape) : null,
    needs[1] ? unbroadcast(scaledMul(ct, x, scale), y.shape) : null,
  ],
});

/** @internal `scale · x · y` (see {@link scaledMulPrim}). */
export function scaledMul(x: Value, y: Value, scale: number): Value {
  return bind(scaledMulPrim, [x, y], { scale });
}
