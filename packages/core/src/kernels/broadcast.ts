/**
 * Broadcasting drivers for elementwise kernels. An op supplies one tight strided inner loop (`o[io + i] =
 * f(a[ia + i·sa], b[ib + i·sb])`, hand-written per op so V8 compiles it monomorphically); the driver calls it once
 * per row of the broadcast result, reading every operand in place with stride 0 along its broadcast axes. Nothing is
 * materialised. Same-shape and scalar operands are one call over everything; a row or column operand is one call
 * per row.
 * @module
 */
import { type Shape, broadcastShapes, shapesEqual, sizeOf, stridesOf } from '../shape.js';
import { type Tensor, tensorOf } from '../tensor.js';
import { allocUninitialized } from './alloc.js';
import { gather } from './strided.js';

/** Inner loop of a binary elementwise op over `n` elements. `p` is the primitive's parameters. */
export type BinaryLoop<P> = (
  a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, o: Float64Array, io: number, n: number,
  p: P,
) => void;

/** Inner loop of a ternary elementwise op (`where`) over `n` elements. */
export type TernaryLoop = (
  a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, c: Float64Array, ic: number, sc: number,
  o: Float64Array, io: number, n: number,
) => void;

/**
 * Strides of each operand over the broadcast shape `out` (0 along broadcast axes), with adjacent axes merged where
 * every operand steps through them as one. Innermost axis last; at least one axis. Index loops only: shapes are
 * frozen arrays, on which V8's array methods take slow paths.
 */
function layout(out: Shape, operands: readonly Shape[]): { dims: number[]; strides: number[][] } {
  const nd = out.length, k = operands.length;
  // Per operand, its contiguous stride along each output axis (0 where it is broadcast).
  const full: number[][] = [];
  for (let j = 0; j < k; j++) {
    const s = operands[j];
    const lead = nd - s.length;
    const st = new Array<number>(nd);
    let acc = 1;
    for (let i = nd - 1; i >= 0; i--) {
      const d = i < lead ? 1 : s[i - lead];
      st[i] = d === 1 ? 0 : acc;
      acc *= d;
    }
    full.push(st);
  }
  const dims: number[] = [];
  const strides: number[][] = [];
  for (let j = 0; j < k; j++) strides.push([]);
  for (let i = 0; i < nd; i++) {
    const d = out[i];
    if (d === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let j = 0; merge && j < k; j++) if (strides[j][last] !== full[j][i] * d) merge = false;
    if (merge) {
      dims[last] *= d;
      for (let j = 0; j < k; j++) strides[j][last] = full[j][i];
    } else {
      dims.push(d);
      for (let j = 0; j < k; j++) strides[j].push(full[j][i]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (let j = 0; j < k; j++) strides[j].push(0);
  }
  return { dims, strides };
}

/** Applies a binary loop to `x` and `y` broadcast together; the result shares a shape object when it can. */
export function applyBinary<P>(loop: BinaryLoop<P>, x: Tensor, y: Tensor, p: P, where: string): Tensor {
  const a = x.data, b = y.data;
  if (shapesEqual(x.shape, y.shape)) {
    const n = a.length, o = allocUninitialized(n);
    loop(a, 0, 1, b, 0, 1, o, 0, n, p);
    return tensorOf(o, x.shape);
  }
  const shape = broadcastShapes(x.shape, y.shape, where);
  const n = sizeOf(shape);
  const o = allocUninitialized(n);
  if (n === 0) return tensorOf(o, shape);
  if (a.length === n && b.length === 1) loop(a, 0, 1, b, 0, 0, o, 0, n, p);
  else if (a.length === 1 && b.length === n) loop(a, 0, 0, b, 0, 1, o, 0, n, p);
  else if (a.length === n && b.length === n) loop(a, 0, 1, b, 0, 1, o, 0, n, p); // unit axes only
  else {
    const { dims, strides: [sa, sb] } = layout(shape, [x.shape, y.shape]);
    const nd = dims.length, inner = dims[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
    if (nd === 2) {
      for (let i = 0, d0 = dims[0]; i < d0; i++) loop(a, i * sa[0], ia, b, i * sb[0], ib, o, i * inner, inner, p);
    } else {
      const idx = new Array<number>(nd - 1).fill(0);
      let offA = 0, offB = 0;
      for (let io = 0; io < n; io += inner) {
        loop(a, offA, ia, b, offB, ib, o, io, inner, p);
        for (let ax = nd - 2; ax >= 0; ax--) {
          offA += sa[ax];
          offB += sb[ax];
          if (++idx[ax] < dims[ax]) break;
          offA -= sa[ax] * dims[ax];
          offB -= sb[ax] * dims[ax];
          idx[ax] = 0;
        }
      }
    }
  }
  return tensorOf(o, shape);
}

/** Applies a ternary loop to `x`, `y` and `z` broadcast together. */
export function applyTernary(loop: TernaryLoop, x: Tensor, y: Tensor, z: Tensor, where: string): Tensor {
  const shape = broadcastShapes(broadcastShapes(x.shape, y.shape, where), z.shape, where);
  const n = sizeOf(shape);
  const o = allocUninitialized(n);
  if (n === 0) return tensorOf(o, shape);
  const a = x.data, b = y.data, c = z.data;
  const { dims, strides: [sa, sb, sc] } = layout(shape, [x.shape, y.shape, z.shape]);
  const nd = dims.length, inner = dims[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let offA = 0, offB = 0, offC = 0;
  for (let io = 0; io < n; io += inner) {
    loop(a, offA, sa[nd - 1], b, offB, sb[nd - 1], c, offC, sc[nd - 1], o, io, inner);
    for (let ax = nd - 2; ax >= 0; ax--) {
      offA += sa[ax];
      offB += sb[ax];
      offC += sc[ax];
      if (++idx[ax] < dims[ax]) break;
      offA -= sa[ax] * dims[ax];
      offB -= sb[ax] * dims[ax];
      offC -= sc[ax] * dims[ax];
      idx[ax] = 0;
    }
  }
  return tensorOf(o, shape);
}

/** Copies `data` (of shape `from`) broadcast to shape `to` into a new contiguous array. */
export function broadcastData(data: Float64Array, from: Shape, to: Shape): Float64Array {
  const n = sizeOf(to);
  const out = allocUninitialized(n);
  if (data.length === n) {
    out.set(data);
    return out;
  }
  if (data.length === 1) return out.fill(data[0]);
  const src = stridesOf(from);
  const lead = to.length - from.length;
  const strides = new Array<number>(to.length);
  for (let i = 0; i < to.length; i++) strides[i] = i < lead || from[i - lead] === 1 ? 0 : src[i - lead];
  gather(data, 0, to, strides, out);
  return out;
}
