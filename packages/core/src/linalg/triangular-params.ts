/**
 * What the triangular primitives (solve and product) share: their parameters — which side, triangle and transpose —
 * and the batch loop that applies an in-place kernel to a copy of B per matrix. @module
 */
import { allocUninitialized } from '../kernels/alloc.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { batchIndexMap, copyRun } from './kernels/batch.js';
import { solveShapes } from './shapes.js';

/** Which triangular system is solved (or product formed): `op(T) X = B` (`left`) or `X op(T) = B`, `op(T)` = T or Tᵀ. */
export interface TriangularSolveParams {
  readonly left: boolean;
  readonly lower: boolean;
  readonly transpose: boolean;
  /** The diagonal of T is taken as ones and not read. */
  readonly unit: boolean;
}

const PARAMS: TriangularSolveParams[] = [];
for (let i = 0; i < 16; i++) {
  PARAMS.push(Object.freeze({ left: (i & 8) !== 0, lower: (i & 4) !== 0, transpose: (i & 2) !== 0, unit: (i & 1) !== 0 }));
}

/** The shared frozen parameter object of one kind of solve (no allocation per call). */
export function triangularSolveParams(left: boolean, lower: boolean, transpose: boolean, unit: boolean): TriangularSolveParams {
  return PARAMS[(left ? 8 : 0) + (lower ? 4 : 0) + (transpose ? 2 : 0) + (unit ? 1 : 0)];
}


/**
 * `op(T)`-kernel applied per matrix of the broadcast batch of `t` ([..., n, n]) and `b` ([..., n, m] from the left,
 * [..., m, n] from the right): each output matrix starts as a copy of its B and `run` transforms it in place given
 * the rows and columns of B, T's offset, the output's offset and T's batch index. With `negateB` the copy is of −B
 * (exact), which folds a sign into a product linear in B without another array.
 */
export function inPlaceTriangularBatch(
  t: Tensor, b: Tensor, left: boolean, where: string,
  run: (rows: number, cols: number, n: number, tOff: number, out: Float64Array, outOff: number, tIndex: number) => void,
  negateB = false,
): Tensor {
  const { n, m, batch, aBatch, bBatch } = solveShapes(t.shape, b.shape, where, left);
  const nb = sizeOf(batch);
  const tMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
  const out = allocUninitialized(nb * n * m); // every matrix starts as a full copy of its B
  const nm = n * m;
  const rows = left ? n : m, cols = left ? m : n;
  for (let s = 0; s < nb; s++) {
    if (negateB) copyNegated(b.data, bMap[s] * nm, out, s * nm, nm);
    else copyRun(b.data, bMap[s] * nm, out, s * nm, nm);
    run(rows, cols, n, tMap[s] * n * n, out, s * nm, tMap[s]);
  }
  return new Tensor(out, [...batch, rows, cols]);
}

function copyNegated(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number): void {
  for (let i = 0; i < len; i++) dst[dOff + i] = -src[sOff + i];
}
