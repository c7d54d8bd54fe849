import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { extremumWeight } from './maximum.js';
import { mul } from './mul.js';
import { sumTerms } from './tangents.js';

export const minimumPrim = definePrimitive({
  name: 'minimum',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'minimum');
    const o = new Float64Array(n);
    // Math.min is a V8 intrinsic: NaN propagates from either side and -0 < +0 (IEEE 754-2019 minimum)
    for (let i = 0; i < n; i++) o[i] = Math.min(a[i * sa], b[i * sb]);
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], [x, y], out) =>
    sumTerms(out.shape, tx && mul(tx, extremumWeight(x, y, true)), ty && mul(ty, extremumWeight(y, x, true))),
  vjp: (ct, [x, y], _, __, needs) => [
    needs[0] ? unbroadcast(mul(ct, extremumWeight(x, y, true)), x.shape) : null,
    needs[1] ? unbroadcast(mul(ct, extremumWeight(y, x, true)), y.shape) : null,
  ],
});

/**
 * Elementwise minimum with broadcasting (`jnp.minimum`, `Math.min` semantics: NaN propagates, `-0 < +0`). On ties the
 * derivative is split ½/½ between the operands, as in JAX.
 */
export function minimum<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(minimumPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
