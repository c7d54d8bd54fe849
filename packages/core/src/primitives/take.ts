import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { type Shape, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { reshape } from './reshape.js';

interface TakeParams {
  readonly axis: number;
  /** In range [0, extent); owned by the params (copied from the caller's list). */
  readonly indices: Int32Array;
  /** Shape of the indexed array (the output of the scatter). */
  readonly inShape: Shape;
  /** Shape of the gathered array: `inShape` with `inShape[axis]` replaced by the number of indices. */
  readonly outShape: Shape;
  /** The input seen as `[outer, extent, inner]` around the axis. */
  readonly outer: number;
  readonly extent: number;
  readonly inner: number;
}

export const takePrim: Primitive<TakeParams> = definePrimitive<TakeParams>({
  name: 'take',
  impl: ([x], p) => {
    const src = x.data, idx = p.indices, k = idx.length, { outer, extent, inner } = p;
    const out = new Float64Array(outer * k * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        const s = o * extent, d = o * k;
        for (let j = 0; j < k; j++) out[d + j] = src[s + idx[j]];
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < k; j++) {
          const s = (o * extent + idx[j]) * inner, d = (o * k + j) * inner;
          for (let t = 0; t < inner; t++) out[d + t] = src[s + t];
        }
      }
    }
    return new Tensor(out, p.outShape);
  },
  jvp: ([t], _, __, p) => bind(takePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(scatterAddPrim, [ct], p)],
});

/** The transpose of `take`: adds each gathered slice back at its index into zeros of the input shape (repeats add). */
export const scatterAddPrim: Primitive<TakeParams> = definePrimitive<TakeParams>({
  name: 'scatterAdd',
  impl: ([g], p) => {
    const src = g.data, idx = p.indices, k = idx.length, { outer, extent, inner } = p;
    const out = new Float64Array(outer * extent * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        const s = o * k, d = o * extent;
        for (let j = 0; j < k; j++) out[d + idx[j]] += src[s + j];
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < k; j++) {
          const s = (o * k + j) * inner, d = (o * extent + idx[j]) * inner;
          for (let t = 0; t < inner; t++) out[d + t] += src[s + t];
        }
      }
    }
    return new Tensor(out, p.inShape);
  },
  jvp: ([t], _, __, p) => bind(scatterAddPrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(takePrim, [ct], p)],
});

/**
 * Gathers along `axis` (`jnp.take` with integer indices): `take(x, [2, 0], 1)` is `x[:, [2, 0]]`. Indices may repeat
 * and count from the end when negative; a single number index drops the axis. The VJP scatter-adds, so repeated
 * indices accumulate their gradients.
 * @throws {InvalidArgumentError} for a bad axis or an index that is not an integer in `[-extent, extent)`
 */
export function take<T extends ArrayInput>(
  x: T,
  indices: number | readonly number[] | Int32Array,
  axis = 0,
): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length;
  if (nd === 0) throw new InvalidArgumentError('take: cannot index a scalar (rank 0)');
  const ax = normalizeAxis(axis, nd, 'take');
  const single = typeof indices === 'number';
  if (!single && !Array.isArray(indices) && !(indices instanceof Int32Array)) {
    throw new InvalidArgumentError('take: indices must be a number, an array of integers or an Int32Array');
  }
  const list: ArrayLike<number> = single ? [indices] : indices;
  const extent = v.shape[ax];
  const idx = new Int32Array(list.length);
  for (let j = 0; j < list.length; j++) {
    const i = list[j];
    if (!Number.isInteger(i) || i < -extent || i >= extent) {
      throw new InvalidArgumentError(`take: index ${i} is out of range for axis ${ax} of extent ${extent}`);
    }
    idx[j] = i < 0 ? i + extent : i;
  }
  const outShape = v.shape.slice();
  outShape[ax] = idx.length;
  const p: TakeParams = {
    axis: ax,
    indices: idx,
    inShape: v.shape,
    outShape: Object.freeze(outShape),
    outer: sizeOf(v.shape.slice(0, ax)),
    extent,
    inner: sizeOf(v.shape.slice(ax + 1)),
  };
  const out = bind(takePrim, [v], p);
  return (single ? reshape(out, v.shape.filter((_, i) => i !== ax)) : out) as Result<T>;
}
