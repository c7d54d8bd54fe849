/** Broadcasting kernels. @module */
import { type Shape, broadcastShapes, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Copies `data` (of shape `from`) broadcast to shape `to` into a new contiguous array. */
export function broadcastData(data: Float64Array, from: Shape, to: Shape): Float64Array {
  const n = sizeOf(to);
  const out = new Float64Array(n);
  if (data.length === 1) return out.fill(data[0]);
  if (data.length === n) {
    out.set(data);
    return out;
  }
  const nd = to.length;
  const offset = nd - from.length;
  const src = stridesOf(from);
  // Stride of each output axis in the source: 0 where the source is broadcast along it.
  const stride = new Array<number>(nd);
  for (let i = 0; i < nd; i++) stride[i] = i < offset || from[i - offset] === 1 ? 0 : src[i - offset];
  const inner = to[nd - 1];
  const innerStride = stride[nd - 1];
  const outer = n / inner;
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let o = 0; o < outer; o++) {
    const dst = o * inner;
    for (let j = 0; j < inner; j++) out[dst + j] = data[base + j * innerStride];
    // advance the multi-index over the outer axes
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < to[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

/**
 * Operands of a broadcasting binary kernel: each is either full-size (stride 1) or a scalar (stride 0), so the kernel
 * is one loop `out[i] = f(a[i * sa], b[i * sb])`. Other broadcasts are materialised first (they are rare on hot paths).
 */
export interface BinaryOperands {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly sa: number;
  readonly sb: number;
  readonly n: number;
  readonly shape: Shape;
}

export function binaryOperands(x: Tensor, y: Tensor, where: string): BinaryOperands {
  const shape = broadcastShapes(x.shape, y.shape, where);
  const n = sizeOf(shape);
  const [a, sa] = operand(x, shape, n);
  const [b, sb] = operand(y, shape, n);
  return { a, b, sa, sb, n, shape };
}

function operand(t: Tensor, shape: Shape, n: number): [Float64Array, number] {
  if (t.data.length === n) return [t.data, 1];
  if (t.data.length === 1) return [t.data, 0];
  return [broadcastData(t.data, t.shape, shape), 1];
}
