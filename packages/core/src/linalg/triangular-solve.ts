import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { booleanOption, readOptions } from '../args.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { toShape, unbroadcast } from '../lax.js';
import { neg, sub } from '../ops/arithmetic.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { assertFiniteMatrices, batchIndexMap, copyRun } from './kernels/batch.js';
import { solveShapes } from './shapes.js';
import { withMatrixRhs } from './helpers.js';
import { tril } from './tril.js';
import { triu } from './triu.js';
import { withFiniteResult } from './checks.js';

interface TriangularSolveParams {
  readonly lower: boolean;
  readonly transpose: boolean;
}

/** Options of {@link triangularSolve}. */
export interface TriangularSolveOptions {
  /** `L` is lower triangular (default); false: upper. Only that triangle is read. */
  lower?: boolean;
  /** Solve `Lᵀ X = B` instead of `L X = B` (default false). */
  transpose?: boolean;
}

/** `X = op(T)⁻¹ B` for triangular `T` [..., n, n] and matrix `B` [..., n, m]; batch axes broadcast. */
export const triangularSolvePrim: Primitive<TriangularSolveParams> = definePrimitive<TriangularSolveParams>({
  name: 'triangularSolve',
  impl: ([t, b], { lower, transpose }) => {
    const { n, m, batch, aBatch, bBatch } = solveShapes(t.shape, b.shape, 'triangularSolve');
    assertFiniteMatrices(t.data, n, lower ? 'lower' : 'upper', 'triangularSolve (matrix)', t.shape);
    assertFinite(b.data, 'triangularSolve (right-hand side)', b.shape);
    const nb = sizeOf(batch);
    const tMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
    const out = new Float64Array(nb * n * m);
    const nm = n * m;
    for (let s = 0; s < nb; s++) {
      copyRun(b.data, bMap[s] * nm, out, s * nm, nm);
      const bad = dense.trsm(false, lower, transpose, false, n, m, t.data, tMap[s] * n * n, n, out, s * nm, m);
      if (bad >= 0) throw new SingularMatrixError(bad, tMap[s], 'triangularSolve');
    }
    return new Tensor(out, [...batch, n, m]);
  },
  // dX = op(T)⁻¹ (dB − op(dT) X), with dT masked to the triangle that is read.
  jvp: ([tT, tB], [t], x, params) => {
    if (tT === null && tB === null) return null;
    let rhs: Value | null = toShape(tB, x.shape);
    if (tT !== null) {
      const dT = mask(tT, params.lower);
      const prod = matmul(dT, x, { transposeA: params.transpose });
      rhs = rhs === null ? neg(prod) : sub(rhs, prod);
      rhs = toShape(rhs, x.shape);
    }
    return bind(triangularSolvePrim, [t, rhs!], params);
  },
  // B̄ = op(T)⁻ᵀ X̄; T̄ = −mask(B̄ Xᵀ), or −mask(X B̄ᵀ) when op is the transpose.
  vjp: (ct, [t, b], x, params, needs) => {
    const bBar = bind(triangularSolvePrim, [t, ct], { lower: params.lower, transpose: !params.transpose });
    const tBar = needs[0]
      ? unbroadcast(neg(mask(params.transpose ? matmul(x, bBar, { transposeB: true }) : matmul(bBar, x, { transposeB: true }), params.lower)), t.shape)
      : null;
    return [tBar, needs[1] ? unbroadcast(bBar, b.shape) : null];
  },
});

function mask(x: Value, lower: boolean): Value {
  return lower ? tril(x) : triu(x);
}

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedTriangularSolve = withFiniteResult(triangularSolvePrim, 'triangularSolve');

/**
 * Solves `op(L) X = B` for triangular `L` ([..., n, n]; only its `lower` (default) or upper triangle is read) with
 * `op(L) = L`, or `Lᵀ` when `transpose`. `B` is [..., n, m], or a vector [..., n] (rank 1 or one below `L`; then `X`
 * is a vector too). Batch axes broadcast. Derivatives with respect to `L` are masked to the triangle read.
 * @throws {ShapeError} on non-square `L` or mismatched rows; {@link SingularMatrixError} on a zero diagonal entry;
 * {@link NonFiniteError} on NaN or infinite input, or a result that overflows float64; {@link InvalidArgumentError}
 * for options that are not booleans or not `lower`/`transpose`.
 */
export function triangularSolve<A extends ArrayInput, B extends ArrayInput>(
  l: A,
  b: B,
  options: TriangularSolveOptions = {},
): Result<A | B> {
  const where = 'triangularSolve';
  const lv = toValue(l, where, 'l'), bv = toValue(b, where, 'b');
  const opts = readOptions(options, where, ['lower', 'transpose']);
  const params: TriangularSolveParams = Object.freeze({
    lower: booleanOption(opts, 'lower', true, where),
    transpose: booleanOption(opts, 'transpose', false, where),
  });
  return withMatrixRhs(lv, bv, (bm) => {
    solveShapes(lv.shape, bm.shape, 'triangularSolve');
    return bind(checkedTriangularSolve, [lv, bm], params);
  }) as Result<A | B>;
}
