import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { reductionIndex } from '../kernels/reduce.js';
import { normalizeAxes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { exp } from './exp.js';
import { keptShape, reducedShape } from './max.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { sum } from './sum.js';

/**
 * `log Σ exp(x)` over sorted `axes`, shifted by the (finite) maximum of each slice so that nothing overflows; the
 * output drops the axes. Its derivative is the softmax `exp(x - out)`.
 */
export const logsumexpPrim = definePrimitive<{ axes: readonly number[] }>({
  name: 'logsumexp',
  impl: ([x], { axes }) => {
    const a = x.data, n = a.length;
    const shape = reducedShape(x.shape, axes);
    const m = sizeOf(shape);
    const o = new Float64Array(m);
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
      return new Tensor(o, shape);
    }
    const map = reductionIndex(x.shape, axes);
    const shift = new Float64Array(m).fill(-Infinity);
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
    return new Tensor(o, shape);
  },
  jvp: ([t], [x], out, { axes }) => sum(mul(t!, softmax(x, out, axes)), axes),
  vjp: (ct, [x], out, { axes }) => [mul(reshape(ct, keptShape(x.shape, axes)), softmax(x, out, axes))],
});

/** `exp(x - logsumexp(x))` with the reduced axes restored, from the primal output. */
function softmax(x: Value, out: Value, axes: readonly number[]): Value {
  return exp(sub(x, reshape(out, keptShape(x.shape, axes))));
}

/**
 * `log(sum(exp(x)))` over `axis` (an axis, a list, or all when omitted), as `jax.nn.logsumexp`: shifted by the
 * maximum, so finite for inputs like ±1000; -Infinity over an empty or all -Infinity slice. Derivative: the softmax
 * `exp(x - out)`, reusing the output (relative accuracy ≈ |out|·ε, as PyTorch's).
 * @param keepdims keep reduced axes with extent 1
 */
export function logsumexp<T extends ArrayInput>(x: T, axis?: number | readonly number[], keepdims = false): Result<T> {
  const v = asValue(x);
  const axes = normalizeAxes(axis, v.shape.length, 'logsumexp');
  const s = axes.length === 0 ? v : bind(logsumexpPrim, [v], { axes });
  return (keepdims ? reshape(s, keptShape(v.shape, axes)) : s) as Result<T>;
}
