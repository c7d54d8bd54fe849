import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { maxAxes } from '../kernels/reduce.js';
import { type Shape, formatShape, normalizeAxes } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { div } from './div.js';
import { equal } from './equal.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';

/** Maximum over sorted `axes`; the output drops them (keepdims is a reshape in the op). */
export const maxPrim = definePrimitive<{ axes: readonly number[] }>({
  name: 'max',
  impl: ([x], { axes }) => new Tensor(maxAxes(x.data, x.shape, axes), reducedShape(x.shape, axes)),
  jvp: ([t], [x], out, { axes }) => chooserJvp(t!, x, out, axes),
  vjp: (ct, [x], out, { axes }) => [chooserVjp(ct, x, out, axes)],
});

/** @internal `shape` without `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** @internal `shape` with `axes` set to extent 1 (the keepdims shape). */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * The 1/0 mask of the elements of `x` equal to their reduction's result `out`, and the count of such elements per
 * output. Both are constants (comparisons have no derivative), so the rules below stay linear in the tangent.
 */
function locations(x: Value, out: Value, axes: readonly number[]): [Value, Value] {
  const ind = equal(x, reshape(out, keptShape(x.shape, axes)));
  return [ind, sum(ind, axes)];
}

/** @internal JVP of a max/min reduction: the mean of the tangent over the tied extremal elements (as JAX). */
export function chooserJvp(t: Value, x: Value, out: Value, axes: readonly number[]): Value {
  const [ind, count] = locations(x, out, axes);
  return div(sum(mul(t, ind), axes), count);
}

/** @internal VJP of a max/min reduction: the cotangent shared equally among the tied extremal elements. */
export function chooserVjp(ct: Value, x: Value, out: Value, axes: readonly number[]): Value {
  const [ind, count] = locations(x, out, axes);
  return mul(reshape(div(ct, count), keptShape(x.shape, axes)), ind);
}

/** @internal Normalises the axes of a max/min reduction and rejects empty reductions (they have no identity). */
export function chooserAxes(v: Value, axis: number | readonly number[] | undefined, where: string): number[] {
  const axes = normalizeAxes(axis, v.shape.length, where);
  for (const a of axes) {
    if (v.shape[a] === 0) {
      throw new InvalidArgumentError(
        `${where}: cannot reduce over axis ${a} of extent 0 of ${formatShape(v.shape)} (no identity)`,
      );
    }
  }
  return axes;
}

/**
 * Maximum over `axis` (an axis, a list, or all when omitted), as `jnp.max`; NaN propagates. Where several elements
 * tie for the maximum, the derivative is shared equally among them (as JAX).
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad axis or a reduction over an axis of extent 0
 */
export function max<T extends ArrayInput>(x: T, axis?: number | readonly number[], keepdims = false): Result<T> {
  const v = asValue(x);
  const axes = chooserAxes(v, axis, 'max');
  const m = axes.length === 0 ? v : bind(maxPrim, [v], { axes });
  return (keepdims ? reshape(m, keptShape(v.shape, axes)) : m) as Result<T>;
}
