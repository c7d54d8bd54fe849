/** `log Σ exp(x)` over axes, shifted by the maximum so nothing overflows. @module */
import { definePrimitive } from '../ad/primitive.js';
import { allocF64 } from '../kernels/alloc.js';
import { reductionIndex } from '../kernels/reduce.js';
import * as lax from '../lax.js';
import { keepAxes, removeAxes, sizeOf } from '../shape.js';
import { tensorOf } from '../tensor.js';
import type { Value } from '../value.js';

/**
 * `log Σ exp(x)` over the sorted, non-empty `axes`, shifted by the (finite) maximum of each slice so that nothing
 * overflows; the output drops the axes. Its derivative is the softmax `exp(x − out)`.
 */
export const logsumexpPrim = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'logsumexp',
  impl: ([x], { axes }) => {
    const a = x.data, n = a.length;
    const shape = removeAxes(x.shape, axes);
    const m = sizeOf(shape);
    const o = allocF64(m);
    if (m === 1) {
      let mx = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = a[i];
        if (v > mx || v !== v) mx = v;
      }
      const shift = mx - mx === 0 ? mx : 0; // ±Infinity / NaN: no shift, the sum gives the IEEE answer
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(a[i] - shift);
      o[0] = shift + Math.log(s);
      return tensorOf(o, shape);
    }
    const map = reductionIndex(x.shape, axes);
    const shift = allocF64(m).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const j = map[i], v = a[i];
      if (v > shift[j] || v !== v) shift[j] = v;
    }
    for (let j = 0; j < m; j++) {
      const v = shift[j];
      if (v - v !== 0) shift[j] = 0;
    }
    for (let i = 0; i < n; i++) {
      const j = map[i];
      o[j] += Math.exp(a[i] - shift[j]);
    }
    for (let j = 0; j < m; j++) o[j] = shift[j] + Math.log(o[j]);
    return tensorOf(o, shape);
  },
  jvp: ([t], [x], out, { axes }) => lax.sum(lax.mul(t!, softmax(x, out, axes)), axes),
  vjp: (ct, [x], out, { axes }) => [lax.mul(lax.reshape(ct, keepAxes(x.shape, axes)), softmax(x, out, axes))],
});

/** `exp(x − logsumexp(x))` with the reduced axes restored, from the primal output. */
function softmax(x: Value, out: Value, axes: readonly number[]): Value {
  return lax.exp(lax.sub(x, lax.reshape(out, keepAxes(x.shape, axes))));
}
