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
  const nd = shape.length;
  const out = new Float64Array(reducedSize(shape, axes));
  if (data.length === 0) return out;
  // Walk the input row by row; `base` is the output offset of the row, `innerStride` 0 when the last axis is reduced.
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const outStrides = stridesOf(shape.filter((_, i) => !reduced[i]));
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
      for (let j = 0; j < inner; j++) acc += data[src + j];
      out[base] = acc;
    } else {
      for (let j = 0; j < inner; j++) out[base + j] += data[src + j];
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

/**
 * For each element of a row-major array of shape `shape`, the flat index of the output element it reduces into when
 * the sorted `axes` are reduced. Lets a reduction kernel be one flat loop `out[map[i]] = op(out[map[i]], data[i])`
 * with the op written inline (no per-element callback).
 */
export function reductionIndex(shape: Shape, axes: readonly number[]): Int32Array {
  const nd = shape.length;
  const n = sizeOf(shape);
  const map = new Int32Array(n);
  if (n === 0 || axes.length === nd) return map;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const outStrides = stridesOf(shape.filter((_, i) => !reduced[i]));
  const stride = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) stride[i] = reduced[i] ? 0 : outStrides[k++];
  const inner = shape[nd - 1];
  const innerStride = stride[nd - 1];
  const outer = n / inner;
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let o = 0; o < outer; o++) {
    const src = o * inner;
    for (let j = 0; j < inner; j++) map[src + j] = base + j * innerStride;
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < shape[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return map;
}

function reducedSize(shape: Shape, axes: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) if (!axes.includes(i)) n *= shape[i];
  return n;
}

/** Maximum over the sorted `axes` (NaN propagates; -Infinity for an empty reduction). */
export function maxAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = new Float64Array(reducedSize(shape, axes)).fill(-Infinity);
  if (out.length === 1) {
    let m = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v > m || v !== v) m = v;
    }
    out[0] = m;
    return out;
  }
  const map = reductionIndex(shape, axes);
  for (let i = 0; i < data.length; i++) {
    const j = map[i], v = data[i];
    if (v > out[j] || v !== v) out[j] = v;
  }
  return out;
}

/** Minimum over the sorted `axes` (NaN propagates; Infinity for an empty reduction). */
export function minAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = new Float64Array(reducedSize(shape, axes)).fill(Infinity);
  if (out.length === 1) {
    let m = Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < m || v !== v) m = v;
    }
    out[0] = m;
    return out;
  }
  const map = reductionIndex(shape, axes);
  for (let i = 0; i < data.length; i++) {
    const j = map[i], v = data[i];
    if (v < out[j] || v !== v) out[j] = v;
  }
  return out;
}
