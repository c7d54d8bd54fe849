import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { batchIndexMap } from '../linalg/kernels/batch.js';
import { type Shape, broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { allocUninitialized } from '../kernels/alloc.js';
import { tensorOf } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { sumTerms, unbroadcast } from '../lax.js';
import { reshape } from '../ops/reshape.js';

/** Whether each operand enters the product transposed (its last two axes swapped): `op(x)·op(y)`. */
interface MatmulParams {
  readonly transA: boolean;
  readonly transB: boolean;
}

const PARAMS: readonly MatmulParams[] = [
  Object.freeze({ transA: false, transB: false }),
  Object.freeze({ transA: false, transB: true }),
  Object.freeze({ transA: true, transB: false }),
  Object.freeze({ transA: true, transB: true }),
];
const params = (transA: boolean, transB: boolean): MatmulParams => PARAMS[(transA ? 2 : 0) + (transB ? 1 : 0)];

/**
 * Batched matrix product `op(x)·op(y)` of rank ≥ 2 operands, `op` the identity or the transpose of the last two axes
 * (BLAS `gemm`'s transA/transB: the transpose is never materialised); leading (batch) axes broadcast and are read in
 * place. The derivative rules are products of the same kind, so they materialise no transpose either.
 */
export const matmulPrim: Primitive<MatmulParams> = definePrimitive<MatmulParams>({
  name: 'matmul',
  impl: ([x, y], { transA, transB }) => {
    const xs = x.shape, ys = y.shape, rx = xs.length, ry = ys.length;
    const n = xs[transA ? rx - 1 : rx - 2], k = xs[transA ? rx - 2 : rx - 1], m = ys[transB ? ry - 2 : ry - 1];
    const lda = xs[rx - 1], ldb = ys[ry - 1];
    if (rx === 2 && ry === 2) {
      // One product (every unbatched call, and most rule products): no batch bookkeeping at all. β = 0 writes all of
      // C without reading it (BLAS), so the output needs no zero fill.
      const out = allocUninitialized(n * m);
      dense.gemm(transA, transB, n, m, k, 1, x.data, 0, lda, y.data, 0, ldb, 0, out, 0, m);
      return tensorOf(out, Object.freeze([n, m]));
    }
    const batch = matmulShapes(xs, ys, transA, transB).batch;
    const nb = sizeOf(batch);
    const out = allocUninitialized(nb * n * m);
    if (x.size === nb * n * k && y.size === nb * k * m) {
      // no broadcasting (the common case): matrix t of each operand is at t·size
      for (let t = 0; t < nb; t++) {
        dense.gemm(transA, transB, n, m, k, 1, x.data, t * n * k, lda, y.data, t * k * m, ldb, 0, out, t * n * m, m);
      }
    } else {
      const xMap = batchIndexMap(leading(xs, rx - 2), batch), yMap = batchIndexMap(leading(ys, ry - 2), batch);
      for (let t = 0; t < nb; t++) {
        dense.gemm(transA, transB, n, m, k, 1, x.data, xMap[t] * n * k, lda, y.data, yMap[t] * k * m, ldb, 0, out, t * n * m, m);
      }
    }
    const shape = new Array<number>(batch.length + 2);
    for (let i = 0; i < batch.length; i++) shape[i] = batch[i];
    shape[batch.length] = n;
    shape[batch.length + 1] = m;
    return tensorOf(out, Object.freeze(shape));
  },
  jvp: ([tx, ty], [x, y], out, p) => sumTerms(out.shape, tx && bind(matmulPrim, [tx, y], p), ty && bind(matmulPrim, [x, ty], p)),
  // C = op(X)·op(Y): X̄ = C̄·op(Y)ᵀ (or op(Y)·C̄ᵀ when X enters transposed); Ȳ = op(X)ᵀ·C̄ (or C̄ᵀ·op(X)).
  vjp: (ct, [x, y], _, { transA, transB }, needs) => [
    needs[0]
      ? unbroadcast(transA ? bind(matmulPrim, [y, ct], params(transB, true)) : bind(matmulPrim, [ct, y], params(false, !transB)), x.shape)
      : null,
    needs[1]
      ? unbroadcast(transB ? bind(matmulPrim, [ct, x], params(true, transA)) : bind(matmulPrim, [x, ct], params(!transA, false)), y.shape)
      : null,
  ],
});

function matmulShapes(a: Shape, b: Shape, transA: boolean, transB: boolean, where = 'matmul'): { batch: Shape; n: number; k: number; m: number } {
  const ra = a.length, rb = b.length;
  const n = a[transA ? ra - 1 : ra - 2], k = a[transA ? ra - 2 : ra - 1];
  const k2 = b[transB ? rb - 1 : rb - 2], m = b[transB ? rb - 2 : rb - 1];
  if (k !== k2) {
    const ops = `${formatShape(a)}${transA ? 'ᵀ' : ''} @ ${formatShape(b)}${transB ? 'ᵀ' : ''}`;
    throw new ShapeError(`${where}: inner dimensions differ: ${ops}`);
  }
  const batch = ra === 2 && rb === 2 ? NO_BATCH : broadcastShapes(leading(a, ra - 2), leading(b, rb - 2), `${where} (batch axes)`);
  return { batch, n, k, m };
}

const NO_BATCH: Shape = Object.freeze([]);

/** The first `r` extents of a shape, copied by hand (shapes are frozen: `slice` takes a slow path on them). */
function leading(s: Shape, r: number): Shape {
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) out[i] = s[i];
  return Object.freeze(out);
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Multiply by the transpose of `x`'s last two axes (`x.mT`), without materialising it. Needs rank ≥ 2. */
  transposeA?: boolean;
  /** Multiply by the transpose of `y`'s last two axes (`y.mT`), without materialising it. Needs rank ≥ 2. */
  transposeB?: boolean;
}

/**
 * Matrix product with NumPy `matmul` semantics: rank-1 operands are promoted to a row (left) or column (right) and
 * the added axis removed afterwards; leading axes are batch axes and broadcast. `transposeA` / `transposeB` (as in
 * TensorFlow's `matmul`) multiply by `x.mT` / `y.mT` at no extra cost: `matmul(a, b, { transposeA: true })` equals
 * `matmul(matrixTranspose(a), b)` without the copy, in the value and in its derivatives.
 * @throws {ShapeError} on mismatched inner dimensions or batch axes; {@link InvalidArgumentError} when a rank-1
 * operand is to be transposed.
 */
export function matmul<A extends ArrayInput, B extends ArrayInput>(x: A, y: B, options?: MatmulOptions): Result<A | B> {
  const a = toValue(x, 'matmul', 'x'), b = toValue(y, 'matmul', 'y');
  const opts = readOptions(options, 'matmul', ['transposeA', 'transposeB']);
  const transA = booleanOption(opts, 'transposeA', false, 'matmul'), transB = booleanOption(opts, 'transposeB', false, 'matmul');
  return matmulValues(a, b, 'matmul', transA, transB) as Result<A | B>;
}

/** @internal {@link matmul} of values; `where` names the public op (`dot`) in shape errors. */
export function matmulValues(x: Value, y: Value, where: string, transA = false, transB = false): Value {
  let a = x, b = y;
  if (a.shape.length === 0 || b.shape.length === 0) throw new ShapeError(`${where}: operands must have rank ≥ 1 (use mul for scalars)`);
  const vecA = a.shape.length === 1, vecB = b.shape.length === 1;
  if ((vecA && transA) || (vecB && transB)) {
    throw new InvalidArgumentError(`matmul: ${vecA && transA ? 'transposeA' : 'transposeB'} needs an operand of rank ≥ 2 (a vector has no transpose)`);
  }
  if (vecA) a = reshape(a, [1, a.shape[0]]);
  if (vecB) b = reshape(b, [b.shape[0], 1]);
  matmulShapes(a.shape, b.shape, transA, transB, where);
  let out: Value = bind(matmulPrim, [a, b], params(transA, transB));
  if (vecA || vecB) {
    const s = out.shape.slice(0, -2);
    if (!vecA) s.push(out.shape[out.shape.length - 2]);
    if (!vecB) s.push(out.shape[out.shape.length - 1]);
    out = reshape(out, s);
  }
  return out;
}
