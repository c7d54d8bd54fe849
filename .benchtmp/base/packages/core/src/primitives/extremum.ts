/** Maximum and minimum over axes, with JAX's rule for ties (the derivative shared among the tied elements). @module */
import { definePrimitive } from '../ad/primitive.js';
import { maxAxes, minAxes } from '../kernels/reduce.js';
import * as lax from '../lax.js';
import { keepAxes, removeAxes } from '../shape.js';
import { tensorOf } from '../tensor.js';
import type { Value } from '../value.js';

/**
 * The 1/0 mask of the elements of `x` equal to their reduction's result `out`, and the count of such elements per
 * output. Both are constants (comparisons have no derivative), so the rules below stay linear in the tangent.
 */
function locations(x: Value, out: Value, axes: readonly number[]): [Value, Value] {
  const ind = lax.equal(x, lax.reshape(out, keepAxes(x.shape, axes)));
  return [ind, lax.sum(ind, axes)];
}

/** JVP of a max/min reduction: the mean of the tangent over the tied extremal elements (as JAX). */
function chooserJvp(t: Value, x: Value, out: Value, axes: readonly number[]): Value {
  const [ind, count] = locations(x, out, axes);
  return lax.div(lax.sum(lax.mul(t, ind), axes), count);
}

/** VJP of a max/min reduction: the cotangent shared equally among the tied extremal elements. */
function chooserVjp(ct: Value, x: Value, out: Value, axes: readonly number[]): Value {
  const [ind, count] = locations(x, out, axes);
  return lax.mul(lax.reshape(lax.div(ct, count), keepAxes(x.shape, axes)), ind);
}

/** Maximum over the sorted, non-empty `axes` (none of extent 0); the output drops them. */
export const maxPrim = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'max',
  impl: ([x], { axes }) => tensorOf(maxAxes(x.data, x.shape, axes), removeAxes(x.shape, axes)),
  jvp: ([t], [x], out, { axes }) => chooserJvp(t!, x, out, axes),
  vjp: (ct, [x], out, { axes }) => [chooserVjp(ct, x, out, axes)],
});

/** Minimum over the sorted, non-empty `axes` (none of extent 0); the output drops them. */
export const minPrim = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'min',
  impl: ([x], { axes }) => tensorOf(minAxes(x.data, x.shape, axes), removeAxes(x.shape, axes)),
  jvp: ([t], [x], out, { axes }) => chooserJvp(t!, x, out, axes),
  vjp: (ct, [x], out, { axes }) => [chooserVjp(ct, x, out, axes)],
});
