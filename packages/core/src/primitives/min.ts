import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { minAxes } from '../kernels/reduce.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { chooserAxes, chooserJvp, chooserVjp, keptShape, reducedShape } from './max.js';
import { reshape } from './reshape.js';

/** Minimum over sorted `axes`; the output drops them (keepdims is a reshape in the op). */
export const minPrim = definePrimitive<{ axes: readonly number[] }>({
  name: 'min',
  impl: ([x], { axes }) => new Tensor(minAxes(x.data, x.shape, axes), reducedShape(x.shape, axes)),
  jvp: ([t], [x], out, { axes }) => chooserJvp(t!, x, out, axes),
  vjp: (ct, [x], out, { axes }) => [chooserVjp(ct, x, out, axes)],
});

/**
 * Minimum over `axis` (an axis, a list, or all when omitted), as `jnp.min`; NaN propagates. Where several elements
 * tie for the minimum, the derivative is shared equally among them (as JAX).
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad axis or a reduction over an axis of extent 0
 */
export function min<T extends ArrayInput>(x: T, axis?: number | readonly number[], keepdims = false): Result<T> {
  const v = asValue(x);
  const axes = chooserAxes(v, axis, 'min');
  const m = axes.length === 0 ? v : bind(minPrim, [v], { axes });
  return (keepdims ? reshape(m, keptShape(v.shape, axes)) : m) as Result<T>;
}
