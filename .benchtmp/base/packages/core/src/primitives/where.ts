/** Elementwise selection `cond ? x : y` with broadcasting (`lax.select`). @module */
import { definePrimitive } from '../ad/primitive.js';
import { applyTernary } from '../kernels/broadcast.js';
import { selectLoop } from '../kernels/binary.js';
import * as lax from '../lax.js';
import { Tensor } from '../tensor.js';

const ZERO = Tensor.scalar(0);

/** The condition gets no derivative; the unselected branch gets an exact zero cotangent. */
export const wherePrim = definePrimitive({
  name: 'where',
  impl: ([cond, x, y]) => applyTernary(selectLoop, cond, x, y, 'where'),
  // An absent branch tangent is a zero.
  jvp: ([, tx, ty], [cond], out) => {
    if (tx === null && ty === null) return null;
    return lax.toShape(lax.where(cond, tx ?? ZERO, ty ?? ZERO), out.shape);
  },
  vjp: (ct, [cond, x, y], _, __, needs) => [
    null,
    needs[1] ? lax.unbroadcast(lax.where(cond, ct, ZERO), x.shape) : null,
    needs[2] ? lax.unbroadcast(lax.where(cond, ZERO, ct), y.shape) : null,
  ],
});
