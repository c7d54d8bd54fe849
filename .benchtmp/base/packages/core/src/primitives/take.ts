/** Gathering along an axis with integer indices, and its transpose, a scatter-add. @module */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocF64 } from '../kernels/alloc.js';
import type { Shape } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** Parameters of a gather, built and validated by the public `take`. */
export interface TakeParams {
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
    const out = allocF64(outer * k * inner);
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
    return tensorOf(out, p.outShape);
  },
  jvp: ([t], _, __, p) => bind(takePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(scatterAddPrim, [ct], p)],
});

/** The transpose of `take`: adds each gathered slice back at its index into zeros of the input shape (repeats add). */
export const scatterAddPrim: Primitive<TakeParams> = definePrimitive<TakeParams>({
  name: 'scatterAdd',
  impl: ([g], p) => {
    const src = g.data, idx = p.indices, k = idx.length, { outer, extent, inner } = p;
    const out = allocF64(outer * extent * inner);
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
    return tensorOf(out, p.inShape);
  },
  jvp: ([t], _, __, p) => bind(scatterAddPrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(takePrim, [ct], p)],
});
