/** Reduction kernels over arbitrary axes. @module */
import { type Shape, sizeOf, stridesOf } from '../shape.js';

/**
 * Sums `data` (shape `shape`) over the sorted axis list `axes`. Returns the reduced data in the shape with those axes
 * removed. Accumulates in input order, so the result is deterministic.
 */
export function sumAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  if (axes.length === shape.length) {
    let acc = 0;
    for (let i = 0; i < data.length; i++) acc += data[i];
    return Float64Array.of(acc);
  }
  return reduceAxes(data, shape, axes, 0, (acc, v) => acc + v);
}

/** Maximum over axes (NaN propagates). */
export function maxAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  return reduceAxes(data, shape, axes, -Infinity, (acc, v) => (v > acc || v !== v ? v : acc));
}

function reduceAxes(
  data: Float64Array,
  shape: Shape,
  axes: readonly number[],
  init: number,
  op: (acc: number, v: number) => number,
): Float64Array {
  const nd = shape.length;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const outShape = shape.filter((_, i) => !reduced[i]);
  const out = new Float64Array(sizeOf(outShape)).fill(init);
  if (data.length === 0) return out;
  if (outShape.length === 0) {
    let acc = init;
    for (let i = 0; i < data.length; i++) acc = op(acc, data[i]);
    out[0] = acc;
    return out;
  }
  // Output stride of each input axis (0 on reduced axes); walk the input in order.
  const outStrides = stridesOf(outShape);
  const stride = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) stride[i] = reduced[i] ? 0 : outStrides[k++];
  const inner = shape[nd - 1];
  const innerStride = stride[nd - 1];
  const outer = data.length / inner;
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let o = 0; o < outer; o++) {
    const src = o * inner;
    if (innerStride === 0) {
      let acc = out[base];
      for (let j = 0; j < inner; j++) acc = op(acc, data[src + j]);
      out[base] = acc;
    } else {
      for (let j = 0; j < inner; j++) out[base + j] = op(out[base + j], data[src + j]);
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < shape[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return out;
}
