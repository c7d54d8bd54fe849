import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { type Shape, formatShape, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';

/** Reshape shares the input's buffer: tensors are immutable, so no copy is needed. */
export const reshapePrim = definePrimitive<{ shape: Shape }>({
  name: 'reshape',
  impl: ([x], { shape }) => new Tensor(x.data, shape),
  jvp: ([t], _, __, { shape }) => reshape(t!, shape),
  vjp: (ct, [x]) => [reshape(ct, x.shape)],
});

/** Resolves one `-1` extent and checks the element count. */
export function resolveShape(from: Shape, to: readonly number[]): Shape {
  const n = sizeOf(from);
  let unknown = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new InvalidArgumentError(`reshape: more than one -1 in ${formatShape(to)}`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(`reshape: invalid extent ${d} in ${formatShape(to)}`);
    } else known *= d;
  });
  const out = to.slice();
  if (unknown >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} (${n} elements) to ${formatShape(to)}`);
    }
    out[unknown] = n / known;
  }
  if (sizeOf(out) !== n) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} (${n} elements) to ${formatShape(to)}`);
  }
  return Object.freeze(out);
}

/** Gives `x` a new shape with the same elements in row-major order; one extent may be -1 (inferred). */
export function reshape<T extends ArrayInput>(x: T, shape: readonly number[]): Result<T> {
  const v = asValue(x);
  const s = resolveShape(v.shape, shape);
  if (shapesEqual(s, v.shape)) return v as Result<T>;
  return bind(reshapePrim, [v], { shape: s }) as Result<T>;
}

/** Flattens to rank 1. */
export function ravel<T extends ArrayInput>(x: T): Result<T> {
  return reshape(x, [-1]);
}

/** Inserts a unit axis at `axis` (`jnp.expand_dims`). */
export function expandDims<T extends ArrayInput>(x: T, axis: number): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length + 1;
  const a = axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(a) || a < 0 || a >= nd) {
    throw new InvalidArgumentError(`expandDims: axis ${axis} out of range for result rank ${nd}`);
  }
  const shape = v.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes unit axes (all of them, or those listed). */
export function squeeze<T extends ArrayInput>(x: T, axis?: number | readonly number[]): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length;
  const list = axis === undefined ? null : (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + nd : a));
  if (list) {
    for (const a of list) {
      if (v.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of ${formatShape(v.shape)} has extent ${v.shape[a]}, not 1`);
    }
  }
  return reshape(x, v.shape.filter((d, i) => (list ? !list.includes(i) : d !== 1)));
}

/** @internal Same as `reshape` on values (no generic result type). */
export function reshapeValue(x: Value, shape: readonly number[]): Value {
  return reshape(x, shape);
}
