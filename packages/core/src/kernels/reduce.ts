/** Reduction kernels over arbitrary axes. @module */
import { type Shape, sizeOf, stridesOf } from '../shape.js';
import { allocF64 } from './alloc.js';

/**
 * The reduction seen as alternating groups of kept and reduced axes, unit axes dropped and neighbours of the same
 * kind merged: `[N, D]` summed over axis 0 is `{ extents: [N, D], reduced: [true, false] }`.
 */
function groups(shape: Shape, axes: readonly number[]): { extents: number[]; reduced: boolean[] } {
  const extents: number[] = [];
  const reduced: boolean[] = [];
  for (let i = 0, k = 0; i < shape.length; i++) {
    const r = k < axes.length && axes[k] === i;
    if (r) k++;
    if (shape[i] === 1) continue;
    const last = extents.length - 1;
    if (last >= 0 && reduced[last] === r) extents[last] *= shape[i];
    else {
      extents.push(shape[i]);
      reduced.push(r);
    }
  }
  return { extents, reduced };
}

function reducedSize(shape: Shape, axes: readonly number[]): number {
  let n = 1;
  for (let i = 0, k = 0; i < shape.length; i++) {
    if (k < axes.length && axes[k] === i) k++;
    else n *= shape[i];
  }
  return n;
}

/**
 * Sums `data` (shape `shape`) over the sorted axis list `axes`. Returns the reduced data in the shape with those axes
 * removed. The order of accumulation is fixed by the shapes alone, so the result is deterministic.
 */
export function sumAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const m = reducedSize(shape, axes);
  const out = allocF64(m);
  const n = data.length;
  if (n === 0) return out;
  if (m === 1) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += data[i];
    out[0] = acc;
    return out;
  }
  const { extents, reduced } = groups(shape, axes);
  if (extents.length === 1) {
    out.set(data); // nothing but unit axes reduced
    return out;
  }
  if (extents.length === 2) {
    const [r, c] = extents;
    if (reduced[0]) {
      // Leading axes reduced (the transpose of broadcasting a row): accumulate rows (from +0, as every path).
      for (let i = 0; i < r; i++) {
        const row = i * c;
        for (let j = 0; j < c; j++) out[j] += data[row + j];
      }
    } else {
      // Trailing axes reduced: one sum per row.
      for (let i = 0; i < r; i++) {
        const row = i * c;
        let acc = 0;
        for (let j = 0; j < c; j++) acc += data[row + j];
        out[i] = acc;
      }
    }
    return out;
  }
  // General case: walk the input row by row; `base` is the output offset of the row's first element.
  const nd = extents.length;
  const keptStrides = stridesOf(extents.filter((_, i) => !reduced[i]));
  const stride = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) stride[i] = reduced[i] ? 0 : keptStrides[k++];
  const inner = extents[nd - 1];
  const innerReduced = reduced[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let src = 0; src < n; src += inner) {
    if (innerReduced) {
      let acc = out[base];
      for (let j = 0; j < inner; j++) acc += data[src + j];
      out[base] = acc;
    } else {
      for (let j = 0; j < inner; j++) out[base + j] += data[src + j];
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      base += stride[ax];
      if (++idx[ax] < extents[ax]) break;
      base -= stride[ax] * extents[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

/** Grow-only scratch for {@link reductionIndex}: kernels call it once each and never re-enter. */
let indexScratch = new Int32Array(0);

/**
 * For each element of a row-major array of shape `shape`, the flat index of the output element it reduces into when
 * the sorted `axes` are reduced. Lets a reduction kernel be one flat loop `out[map[i]] = op(out[map[i]], data[i])`
 * with the op written inline (no per-element callback). The returned array is scratch: valid until the next call.
 */
export function reductionIndex(shape: Shape, axes: readonly number[]): Int32Array {
  const nd = shape.length;
  const n = sizeOf(shape);
  if (indexScratch.length < n) indexScratch = new Int32Array(Math.max(n, 2 * indexScratch.length));
  const map = indexScratch.subarray(0, n);
  if (n === 0) return map;
  if (axes.length === nd) {
    map.fill(0);
    return map;
  }
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const outStrides = stridesOf(shape.filter((_, i) => !reduced[i]));
  const stride = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) stride[i] = reduced[i] ? 0 : outStrides[k++];
  const inner = shape[nd - 1];
  const innerStride = stride[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let src = 0; src < n; src += inner) {
    for (let j = 0; j < inner; j++) map[src + j] = base + j * innerStride;
    for (let ax = nd - 2; ax >= 0; ax--) {
      base += stride[ax];
      if (++idx[ax] < shape[ax]) break;
      base -= stride[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
  return map;
}

/** Maximum over the sorted `axes` (NaN propagates; -Infinity for an empty reduction). */
export function maxAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = allocF64(reducedSize(shape, axes)).fill(-Infinity);
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
  const out = allocF64(reducedSize(shape, axes)).fill(Infinity);
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

/** Product over the sorted `axes` (1 for an empty reduction; NaN propagates, zeros give zero, IEEE throughout). */
export function prodAxes(data: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = allocF64(reducedSize(shape, axes)).fill(1);
  if (out.length === 1) {
    let p = 1;
    for (let i = 0; i < data.length; i++) p *= data[i];
    out[0] = p;
    return out;
  }
  const { extents, reduced } = groups(shape, axes);
  if (extents.length === 2) {
    const [r, c] = extents;
    if (reduced[0]) {
      // leading axes reduced: multiply whole rows in (contiguous), as sumAxes does
      for (let i = 0; i < r; i++) {
        const row = i * c;
        for (let j = 0; j < c; j++) out[j] *= data[row + j];
      }
    } else {
      // trailing axes reduced: one product per row
      for (let i = 0; i < r; i++) {
        const row = i * c;
        let p = 1;
        for (let j = 0; j < c; j++) p *= data[row + j];
        out[i] = p;
      }
    }
    return out;
  }
  const map = reductionIndex(shape, axes);
  for (let i = 0; i < data.length; i++) out[map[i]] *= data[i];
  return out;
}
