import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { ShapeError } from '../errors.js';
import { broadcastData } from '../kernels/broadcast.js';
import { type Shape, broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';

export const broadcastToPrim = definePrimitive<{ shape: Shape }>({
  name: 'broadcastTo',
  impl: ([x], { shape }) => new Tensor(broadcastData(x.data, x.shape, shape), shape),
  jvp: ([t], _, __, { shape }) => broadcastTo(t!, shape),
  vjp: (ct, [x]) => [unbroadcast(ct, x.shape)],
});

/** Broadcasts `x` to `shape` by NumPy rules (`jnp.broadcast_to`). */
export function broadcastTo<T extends ArrayInput>(x: T, shape: readonly number[]): Result<T> {
  const v = asValue(x);
  if (shapesEqual(v.shape, shape)) return v as Result<T>;
  const target = broadcastShapes(v.shape, shape, 'broadcastTo');
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(v.shape)} to ${formatShape(shape)}`);
  }
  return bind(broadcastToPrim, [v], { shape: Object.freeze(shape.slice()) }) as Result<T>;
}

/**
 * The transpose of broadcasting: sums `g` over the axes along which a value of shape `shape` was broadcast, giving a
 * value of shape `shape`. Every broadcasting op's VJP ends with it.
 */
export function unbroadcast(g: Value, shape: Shape): Value {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes), shape);
}
