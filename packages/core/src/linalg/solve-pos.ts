import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { toShape, unbroadcast } from '../lax.js';
import { neg, sub } from '../ops/arithmetic.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { sym } from './helpers.js';
import { batchIndexMap, copyRun } from './kernels/batch.js';
import { factorCholesky } from './kernels/factors.js';
import { solveShapes } from './shapes.js';

/** A solve against the SPD matrix S that one triangle of `A` defines, given the lower Cholesky factor of S. */
export interface SolvePosParams {
  /** The lower Cholesky factor of each matrix of A's primal value, matrix t at t·n². */
  readonly factor: Float64Array;
}

/** The parameters of a positive-definite solve against the concrete `a`: its Cholesky factors. */
export function solvePosParams(a: Tensor, n: number, lower: boolean): SolvePosParams {
  return { factor: factorCholesky(a, n, lower, 'solve', 'solve (matrix)') };
}

/**
 * `X = S⁻¹ B` for the symmetric positive-definite S that one triangle of `A` [..., n, n] defines and `B` [..., n, m],
 * batch axes broadcast, by two triangular solves with the Cholesky factor in the parameters (LAPACK `potrs`). The
 * derivatives treat A as symmetric and reuse the factor: dX = S⁻¹(dB − sym(dA) X); B̄ = S⁻¹ X̄, Ā = −sym(B̄ Xᵀ).
 */
export const solvePosPrim: Primitive<SolvePosParams> = definePrimitive<SolvePosParams>({
  name: 'solve',
  impl: ([a, b], { factor }) => {
    const { n, m, batch, aBatch, bBatch } = solveShapes(a.shape, b.shape, 'solve');
    assertFinite(b.data, 'solve (right-hand side)', b.shape);
    const nb = sizeOf(batch), nn = n * n, nm = n * m;
    const aMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
    const out = new Float64Array(nb * nm);
    for (let s = 0; s < nb; s++) {
      const o = s * nm, f = aMap[s] * nn;
      copyRun(b.data, bMap[s] * nm, out, o, nm);
      dense.trsm(false, true, false, false, n, m, factor, f, n, out, o, m);
      dense.trsm(false, true, true, false, n, m, factor, f, n, out, o, m);
    }
    return new Tensor(out, [...batch, n, m]);
  },
  jvp: ([tA, tB], [a], x, p) => {
    if (tA === null && tB === null) return null;
    let rhs: Value | null = toShape(tB, x.shape);
    if (tA !== null) {
      const prod = matmul(sym(tA), x);
      rhs = toShape(rhs === null ? neg(prod) : sub(rhs, prod), x.shape);
    }
    return bind(solvePosPrim, [a, rhs!], p);
  },
  vjp: (ct, [a, b], x, p, needs) => {
    const bBar = bind(solvePosPrim, [a, ct], p);
    return [
      needs[0] ? unbroadcast(neg(sym(matmul(bBar, x, { transposeB: true }))), a.shape) : null,
      needs[1] ? unbroadcast(bBar, b.shape) : null,
    ];
  },
});
