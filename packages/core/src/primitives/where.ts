import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { broadcastData } from '../kernels/broadcast.js';
import { type Shape, broadcastShapes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { toShape } from './tangents.js';

const ZERO = Tensor.scalar(0);

/** A full-size operand (stride 1) or a scalar (stride 0); other broadcasts are materialised, as in `binaryOperands`. */
function operand(t: Tensor, shape: Shape, n: number): [Float64Array, number] {
  if (t.data.length === n) return [t.data, 1];
  if (t.data.length === 1) return [t.data, 0];
  return [broadcastData(t.data, t.shape, shape), 1];
}

export const wherePrim = definePrimitive({
  name: 'where',
  impl: ([cond, x, y]) => {
    const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, 'where'), y.shape, 'where');
    const n = sizeOf(shape);
    const [c, sc] = operand(cond, shape, n);
    const [a, sa] = operand(x, shape, n);
    const [b, sb] = operand(y, shape, n);
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = c[i * sc] !== 0 ? a[i * sa] : b[i * sb]; // NaN counts as true
    return new Tensor(o, shape);
  },
  // The condition has no derivative; an absent branch tangent is a zero.
  jvp: ([, tx, ty], [cond], out) => {
    if (tx === null && ty === null) return null;
    return toShape(where(cond, tx ?? ZERO, ty ?? ZERO), out.shape);
  },
  vjp: (ct, [cond, x, y], _, __, needs) => [
    null,
    needs[1] ? unbroadcast(where(cond, ct, ZERO), x.shape) : null,
    needs[2] ? unbroadcast(where(cond, ZERO, ct), y.shape) : null,
  ],
});

/**
 * Elementwise selection `cond ? x : y` (`jnp.where`), all three broadcast together; `cond` is any array, non-zero
 * (and NaN) meaning true, and gets no derivative. The unselected branch receives an exact zero cotangent, so its
 * gradient only becomes NaN if its own derivative is non-finite there (0·∞, e.g. `where(x > 0, sqrt(x), 0)` at
 * x = 0, JAX's known where-NaN issue): feed that branch a safe input instead (`sqrt(where(x > 0, x, 1))`).
 */
export function where<C extends ArrayInput, A extends ArrayInput, B extends ArrayInput>(
  cond: C,
  x: A,
  y: B,
): Result<C | A | B> {
  return bind(wherePrim, [asValue(cond), asValue(x), asValue(y)], undefined) as Result<C | A | B>;
}
