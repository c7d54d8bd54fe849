import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { mul } from './mul.js';
import { sumTerms } from './tangents.js';

/**
 * @internal Derivative weight of the first operand of `maximum` (`min: false`) or `minimum` (`min: true`): 1 where it
 * is the strict winner, ½ on a tie, 0 where it loses or either operand is NaN (JAX's balanced tie rule).
 * Piecewise constant, hence non-differentiable.
 */
export const extremumWeightPrim = definePrimitive<{ min: boolean }>({
  name: 'extremumWeight',
  impl: ([x, y], { min }) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, min ? 'minimum' : 'maximum');
    const o = new Float64Array(n);
    if (min) {
      for (let i = 0; i < n; i++) {
        const u = a[i * sa], v = b[i * sb];
        o[i] = u < v ? 1 : u === v ? 0.5 : 0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const u = a[i * sa], v = b[i * sb];
        o[i] = u > v ? 1 : u === v ? 0.5 : 0;
      }
    }
    return new Tensor(o, shape);
  },
  nondifferentiable: true,
});

/** @internal The weight of `x` in `maximum(x, y)` / `minimum(x, y)`, see {@link extremumWeightPrim}. */
export function extremumWeight(x: Value, y: Value, min: boolean): Value {
  return bind(extremumWeightPrim, [x, y], { min });
}

export const maximumPrim = definePrimitive({
  name: 'maximum',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'maximum');
    const o = new Float64Array(n);
    // Math.max is a V8 intrinsic: NaN propagates from either side and +0 > -0 (IEEE 754-2019 maximum)
    for (let i = 0; i < n; i++) o[i] = Math.max(a[i * sa], b[i * sb]);
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], [x, y], out) =>
    sumTerms(out.shape, tx && mul(tx, extremumWeight(x, y, false)), ty && mul(ty, extremumWeight(y, x, false))),
  vjp: (ct, [x, y], _, __, needs) => [
    needs[0] ? unbroadcast(mul(ct, extremumWeight(x, y, false)), x.shape) : null,
    needs[1] ? unbroadcast(mul(ct, extremumWeight(y, x, false)), y.shape) : null,
  ],
});

/**
 * Elementwise maximum with broadcasting (`jnp.maximum`, `Math.max` semantics: NaN propagates, `+0 > -0`). On ties the
 * derivative is split ½/½ between the operands, as in JAX, so `maximum(x, x)` has derivative 1.
 */
export function maximum<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(maximumPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
