/** Strided slices (NumPy basic indexing) and their transpose, a scatter into zeros. @module */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocF64, allocUninitialized } from '../kernels/alloc.js';
import { gather, scatter } from '../kernels/strided.js';
import { type Shape, sizeOf, stridesOf, withExtent } from '../shape.js';
import { tensorOf } from '../tensor.js';
import type { Value } from '../value.js';

/** A strided view of the input: the element at multi-index idx of the output is `in[offset + Σ idxᵢ·stridesᵢ]`. */
export interface SliceParams {
  readonly offset: number;
  /** Per output axis, in elements of the input (step × the input's stride); negative for reversed ranges. */
  readonly strides: readonly number[];
  /** Output shape of the strided view (same rank as the input; indexed axes have extent 1). */
  readonly shape: Shape;
  /** Shape of the input. */
  readonly inShape: Shape;
}

/**
 * True when the view is one contiguous run of the input (unit steps, and full extents inside the outermost sliced
 * axis), so its elements are `in[offset … offset + size)`.
 */
function isContiguous(p: SliceParams): boolean {
  let expected = 1;
  for (let i = p.shape.length - 1; i >= 0; i--) {
    const d = p.shape[i];
    if (d === 1) continue;
    if (p.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

export const slicePrim: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'slice',
  impl: ([x], p) => {
    const n = sizeOf(p.shape);
    // A contiguous slice of at least half the input shares its buffer (tensors are immutable, as reshape does);
    // smaller ones are copied, so a view never keeps more than twice its own memory alive.
    if (n > 0 && 2 * n >= x.data.length && isContiguous(p)) return tensorOf(x.data.subarray(p.offset, p.offset + n), p.shape);
    const out = allocUninitialized(n); // the gather writes every element
    gather(x.data, p.offset, p.shape, p.strides, out);
    return tensorOf(out, p.shape);
  },
  jvp: ([t], _, __, p) => bind(slicePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(unslicePrim, [ct], p)],
});

/** The transpose of a slice: the values scattered into zeros of the input shape (slices never overlap). */
export const unslicePrim: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'unslice',
  impl: ([g], p) => {
    const out = allocF64(sizeOf(p.inShape));
    scatter(out, p.offset, p.shape, p.strides, g.data);
    return tensorOf(out, p.inShape);
  },
  jvp: ([t], _, __, p) => bind(unslicePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(slicePrim, [ct], p)],
});

/** Parameters of the strided view `starts[i] : … : steps[i]` with output extents `shape` of an input of `inShape`. */
export function sliceParams(inShape: Shape, starts: readonly number[], steps: readonly number[], shape: Shape): SliceParams {
  const inStrides = stridesOf(inShape);
  let offset = 0;
  const strides = new Array<number>(inShape.length);
  for (let i = 0; i < inShape.length; i++) {
    if (shape[i] > 0) offset += starts[i] * inStrides[i];
    strides[i] = steps[i] * inStrides[i];
  }
  return Object.freeze({ offset, strides: Object.freeze(strides), shape, inShape });
}

/** @internal `x[..., start:stop, ...]` along one axis (valid bounds): the concat VJP's slices. */
export function sliceAxis(x: Value, axis: number, start: number, stop: number): Value {
  const nd = x.shape.length;
  const starts = new Array<number>(nd).fill(0);
  starts[axis] = start;
  const shape = withExtent(x.shape, axis, stop - start);
  return bind(slicePrim, [x], sliceParams(x.shape, starts, new Array<number>(nd).fill(1), shape));
}
