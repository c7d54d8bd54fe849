import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { sumAxes } from '../kernels/reduce.js';
import { normalizeAxes } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { broadcastTo } from './broadcast-to.js';
import { reshape } from './reshape.js';

/** Sum over sorted `axes`; the output drops them (keepdims is a reshape in the op). */
export const sumPrim = definePrimitive<{ axes: readonly number[] }>({
  name: 'sum',
  impl: ([x], { axes }) => new Tensor(sumAxes(x.data, x.shape, axes), x.shape.filter((_, i) => !axes.includes(i))),
  jvp: ([t], _, __, { axes }) => sumRaw(t!, axes),
  vjp: (ct, [x], _, { axes }) => [broadcastTo(reshape(ct, keptShape(x.shape, axes)), x.shape)],
});

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function sumRaw(x: Value, axes: readonly number[]): Value {
  return axes.length === 0 ? x : bind(sumPrim, [x], { axes });
}

/**
 * Sum of elements over `axis` (an axis, a list, or all when omitted), as `jnp.sum`.
 * @param keepdims keep reduced axes with extent 1
 */
export function sum<T extends ArrayInput>(x: T, axis?: number | readonly number[], keepdims = false): Result<T> {
  const v = asValue(x);
  const axes = normalizeAxes(axis, v.shape.length, 'sum');
  const s = sumRaw(v, axes);
  return (keepdims ? reshape(s, keptShape(v.shape, axes)) : s) as Result<T>;
}
