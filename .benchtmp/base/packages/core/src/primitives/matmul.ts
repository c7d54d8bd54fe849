import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { ShapeError } from '../errors.js';
import { broadcastData } from '../kernels/broadcast.js';
import { gemm } from '../kernels/matmul.js';
import { type Shape, broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { matrixTranspose, sumTerms, unbroadcast } from '../lax.js';
import { reshape } from '../ops/reshape.js';

/** Batched matrix product of rank ≥ 2 operands; leading (batch) axes broadcast. */
export const matmulPrim = definePrimitive({
  name: 'matmul',
  impl: ([x, y]) => {
    const { batch, n, k, m } = matmulShapes(x.shape, y.shape);
    const nb = sizeOf(batch);
    const a = x.shape.length - 2 === batch.length && sizeOf(x.shape.slice(0, -2)) === nb ? x.data : broadcastData(x.data, x.shape, [...batch, n, k]);
    const b = y.shape.length - 2 === batch.length && sizeOf(y.shape.slice(0, -2)) === nb ? y.data : broadcastData(y.data, y.shape, [...batch, k, m]);
    const out = new Float64Array(nb * n * m);
    for (let t = 0; t < nb; t++) gemm(a, t * n * k, b, t * k * m, out, t * n * m, n, k, m);
    return new Tensor(out, [...batch, n, m]);
  },
  jvp: ([tx, ty], [x, y], out) => sumTerms(out.shape, tx && matmulRaw(tx, y), ty && matmulRaw(x, ty)),
  vjp: (ct, [x, y], _, __, needs) => [
    needs[0] ? unbroadcast(matmulRaw(ct, matrixTranspose(y)), x.shape) : null,
    needs[1] ? unbroadcast(matmulRaw(matrixTranspose(x), ct), y.shape) : null,
  ],
});

function matmulShapes(a: Shape, b: Shape): { batch: Shape; n: number; k: number; m: number } {
  const n = a[a.length - 2], k = a[a.length - 1], k2 = b[b.length - 2], m = b[b.length - 1];
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(a)} @ ${formatShape(b)}`);
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2), 'matmul (batch axes)');
  return { batch, n, k, m };
}

function matmulRaw(x: Value, y: Value): Value {
  return bind(matmulPrim, [x, y], undefined);
}

/**
 * Matrix product with NumPy `matmul` semantics: rank-1 operands are promoted to a row (left) or column (right) and
 * the added axis removed afterwards; leading axes are batch axes and broadcast.
 */
export function matmul<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  let a = toValue(x, 'matmul', 'x'), b = toValue(y, 'matmul', 'y');
  if (a.shape.length === 0 || b.shape.length === 0) throw new ShapeError('matmul: operands must have rank ≥ 1 (use mul for scalars)');
  const vecA = a.shape.length === 1, vecB = b.shape.length === 1;
  if (vecA) a = reshape(a, [1, a.shape[0]]);
  if (vecB) b = reshape(b, [b.shape[0], 1]);
  matmulShapes(a.shape, b.shape);
  let out = matmulRaw(a, b);
  if (vecA || vecB) {
    const s = out.shape.slice(0, -2);
    if (!vecA) s.push(out.shape[out.shape.length - 2]);
    if (!vecB) s.push(out.shape[out.shape.length - 1]);
    out = reshape(out, s);
  }
  return out as Result<A | B>;
}
