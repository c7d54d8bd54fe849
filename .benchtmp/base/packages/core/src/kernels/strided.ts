/**
 * Copies between a contiguous array and a strided view of another: the one kernel behind slicing (any steps,
 * including negative ones), flipping, broadcasting (zero strides) and general axis permutations.
 *
 * A view is an offset plus one stride per axis of its shape. Adjacent axes that step through memory as one are
 * merged first, so a contiguous slice is a single block copy and a row slice a loop of row copies; the innermost
 * axis is one tight loop.
 * @module
 */
import type { Shape } from '../shape.js';

/** A strided layout after merging axes: extents and strides, innermost last (length ≥ 1). */
interface Layout {
  readonly dims: number[];
  readonly strides: number[];
}

/** Drops unit axes and merges axis k into k + 1 where `stride[k] = stride[k + 1] · extent[k + 1]`. */
function coalesce(shape: Shape, strides: readonly number[]): Layout {
  const dims: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && st[k] === strides[i] * d) {
      dims[k] *= d;
      st[k] = strides[i];
    } else {
      dims.push(d);
      st.push(strides[i]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    st.push(0);
  }
  return { dims, strides: st };
}

/** Below this many elements an inner row is copied element by element rather than with `set`. */
const BLOCK_COPY = 32;

/**
 * `out[outOffset + k] = src[offset + Σᵢ idxᵢ·stridesᵢ]` for the row-major multi-indices of `shape` (k their flat
 * index). Strides may be zero (broadcast) or negative (reversed axes).
 */
export function gather(
  src: Float64Array, offset: number, shape: Shape, strides: readonly number[], out: Float64Array, outOffset = 0,
): void {
  const { dims, strides: st } = coalesce(shape, strides);
  const nd = dims.length;
  const inner = dims[nd - 1], s = st[nd - 1];
  let total = inner;
  for (let i = 0; i < nd - 1; i++) total *= dims[i];
  if (total === 0) return;
  if (nd === 1) {
    copyRow(src, offset, s, out, outOffset, inner);
    return;
  }
  if (nd === 2) {
    const d0 = dims[0], s0 = st[0];
    for (let i = 0; i < d0; i++) copyRow(src, offset + i * s0, s, out, outOffset + i * inner, inner);
    return;
  }
  const idx = new Array<number>(nd - 1).fill(0);
  let base = offset;
  for (let o = outOffset, end = outOffset + total; o < end; o += inner) {
    copyRow(src, base, s, out, o, inner);
    for (let ax = nd - 2; ax >= 0; ax--) {
      base += st[ax];
      if (++idx[ax] < dims[ax]) break;
      base -= st[ax] * dims[ax];
      idx[ax] = 0;
    }
  }
}

function copyRow(src: Float64Array, from: number, step: number, out: Float64Array, to: number, n: number): void {
  if (step === 1 && n >= BLOCK_COPY) {
    out.set(src.subarray(from, from + n), to);
  } else if (step === 0) {
    out.fill(src[from], to, to + n);
  } else {
    for (let j = 0; j < n; j++) out[to + j] = src[from + j * step];
  }
}

/**
 * The transpose of {@link gather} for views whose elements are distinct (no zero strides): `dst[offset + Σᵢ
 * idxᵢ·stridesᵢ] = src[srcOffset + k]`. The rest of `dst` is left as it is (zeros for a fresh array).
 */
export function scatter(
  dst: Float64Array, offset: number, shape: Shape, strides: readonly number[], src: Float64Array, srcOffset = 0,
): void {
  const { dims, strides: st } = coalesce(shape, strides);
  const nd = dims.length;
  const inner = dims[nd - 1], s = st[nd - 1];
  let total = inner;
  for (let i = 0; i < nd - 1; i++) total *= dims[i];
  if (total === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  for (let k = srcOffset, end = srcOffset + total; k < end; k += inner) {
    if (s === 1 && inner >= BLOCK_COPY) dst.set(src.subarray(k, k + inner), base);
    else for (let j = 0; j < inner; j++) dst[base + j * s] = src[k + j];
    for (let ax = nd - 2; ax >= 0; ax--) {
      base += st[ax];
      if (++idx[ax] < dims[ax]) break;
      base -= st[ax] * dims[ax];
      idx[ax] = 0;
    }
  }
}
