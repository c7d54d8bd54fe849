/** New shapes for the same elements: reshape, ravel, expandDims, squeeze, broadcastTo. @module */
import { checkInteger } from '../args.js';
import { describeValue, formatList } from '../describe.js';
import { toValue } from '../convert.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import * as lax from '../lax.js';
import { MAX_RANK } from '../limits.js';
import { type Shape, broadcastShapes, checkShape, formatShape, normalizeAxes, removeAxes, shapesEqual, sizeOf } from '../shape.js';
import type { ArrayInput, Result } from '../value.js';

/** Resolves one `-1` extent of a requested shape and checks the element count against `from`. */
function resolveShape(from: Shape, to: unknown, where: string): Shape {
  if (!Array.isArray(to)) {
    throw new InvalidArgumentError(`${where}: shape must be an array of integers, got ${describeValue(to)}`);
  }
  if (to.length > MAX_RANK) throw new InvalidArgumentError(`${where}: shape has ${to.length} axes, more than ${MAX_RANK}`);
  const n = sizeOf(from);
  let unknown = -1;
  let known = 1;
  const out = new Array<number>(to.length);
  for (let i = 0; i < to.length; i++) {
    const d: unknown = to[i];
    if (d === -1) {
      if (unknown >= 0) throw new InvalidArgumentError(`${where}: more than one -1 in ${formatList(to)}`);
      unknown = i;
    } else if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(`${where}: invalid extent ${describeValue(d)} at index ${i} of the shape`);
    } else {
      known *= d;
      out[i] = d;
    }
  }
  if (unknown >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(`${where}: cannot reshape ${formatShape(from)} (${n} elements) to ${formatShape(to)}`);
    }
    out[unknown] = n / known;
  }
  if (sizeOf(out) !== n) {
    throw new ShapeError(`${where}: cannot reshape ${formatShape(from)} (${n} elements) to ${formatShape(to)}`);
  }
  return Object.freeze(out);
}

/** Gives `x` a new shape with the same elements in row-major order; one extent may be -1 (inferred). */
export function reshape<T extends ArrayInput>(x: T, shape: readonly number[]): Result<T> {
  const v = toValue(x, 'reshape', 'x');
  return lax.reshape(v, resolveShape(v.shape, shape, 'reshape')) as Result<T>;
}

/** Flattens to rank 1. */
export function ravel<T extends ArrayInput>(x: T): Result<T> {
  const v = toValue(x, 'ravel', 'x');
  return lax.reshape(v, Object.freeze([v.size])) as Result<T>;
}

/** Inserts a unit axis at `axis` of the result (`jnp.expand_dims`); negative counts from the end. */
export function expandDims<T extends ArrayInput>(x: T, axis: number): Result<T> {
  const v = toValue(x, 'expandDims', 'x');
  const nd = v.shape.length + 1;
  const a = checkInteger(axis, 'expandDims', 'axis', -nd, nd - 1);
  const at = a < 0 ? a + nd : a;
  const shape = new Array<number>(nd);
  for (let i = 0, j = 0; i < nd; i++) shape[i] = i === at ? 1 : v.shape[j++];
  return lax.reshape(v, Object.freeze(shape)) as Result<T>;
}

/** Removes unit axes (all of them, or those listed). */
export function squeeze<T extends ArrayInput>(x: T, axis?: number | readonly number[]): Result<T> {
  const v = toValue(x, 'squeeze', 'x');
  const s = v.shape;
  if (axis === undefined) return lax.reshape(v, Object.freeze(s.filter((d) => d !== 1))) as Result<T>;
  const axes = normalizeAxes(axis, s.length, 'squeeze');
  for (const a of axes) {
    if (s[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of ${formatShape(s)} has extent ${s[a]}, not 1`);
  }
  return lax.reshape(v, removeAxes(s, axes)) as Result<T>;
}

/** Broadcasts `x` to `shape` by NumPy rules (`jnp.broadcast_to`). */
export function broadcastTo<T extends ArrayInput>(x: T, shape: readonly number[]): Result<T> {
  const v = toValue(x, 'broadcastTo', 'x');
  const target = checkShape(shape, 'broadcastTo');
  if (!shapesEqual(broadcastShapes(v.shape, target, 'broadcastTo'), target)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(v.shape)} to ${formatShape(target)}`);
  }
  return lax.broadcastTo(v, target) as Result<T>;
}
