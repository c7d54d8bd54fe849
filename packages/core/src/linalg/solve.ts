import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { toShape, unbroadcast } from '../lax.js';
import { neg, sub } from '../ops/arithmetic.js';
import { matrixTranspose } from '../ops/transpose.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { withMatrixRhs } from './helpers.js';
import { batchIndexMap, copyRun } from './kernels/batch.js';
import { solveShapes } from './shapes.js';
import { withFiniteResult } from './checks.js';

/** `X = A⁻¹ B` for square `A` [..., n, n] and `B` [..., n, m] by LU with partial pivoting; batch axes broadcast. */
export const solvePrim: Primitive = definePrimitive({
  name: 'solve',
  impl: ([a, b]) => {
    const { n, m, batch, aBatch, bBatch } = solveShapes(a.shape, b.shape, 'solve');
    assertFinite(a.data, 'solve (matrix)', a.shape);
    assertFinite(b.data, 'solve (right-hand side)', b.shape);
    const nb = sizeOf(batch), nn = n * n;
    const aMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
    const out = new Float64Array(nb * n * m);
    const lu = new Float64Array(nn), perm = new Int32Array(n);
    let factored = -1; // batch index of the matrix whose factors are in `lu` (reused while A is broadcast)
    for (let s = 0; s < nb; s++) {
      const ia = aMap[s];
      if (ia !== factored) {
        copyRun(a.data, ia * nn, lu, 0, nn);
        const bad = dense.getrf(n, lu, 0, n, perm);
        if (bad >= 0) throw new SingularMatrixError(bad, ia, 'solve');
        factored = ia;
      }
      dense.getrs(n, m, lu, 0, n, perm, b.data, bMap[s] * n * m, m, out, s * n * m, m);
    }
    return new Tensor(out, [...batch, n, m]);
  },
  // dX = A⁻¹ (dB − dA X)
  jvp: ([tA, tB], [a], x) => {
    if (tA === null && tB === null) return null;
    let rhs: Value | null = toShape(tB, x.shape);
    if (tA !== null) rhs = toShape(rhs === null ? neg(matmul(tA, x)) : sub(rhs, matmul(tA, x)), x.shape);
    return bind(solvePrim, [a, rhs!], undefined);
  },
  // B̄ = A⁻ᵀ X̄, Ā = −B̄ Xᵀ
  vjp: (ct, [a, b], x, _, needs) => {
    const bBar = bind(solvePrim, [matrixTranspose(a), ct], undefined);
    return [
      needs[0] ? unbroadcast(neg(matmul(bBar, x, { transposeB: true })), a.shape) : null,
      needs[1] ? unbroadcast(bBar, b.shape) : null,
    ];
  },
});

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedSolve = withFiniteResult(solvePrim, 'solve');

/**
 * Solves `A X = B` for square `A` ([..., n, n]) by LU factorisation with partial pivoting. `B` is [..., n, m], or a
 * vector [..., n] (rank 1 or one below `A`; then `X` is a vector too). Batch axes broadcast like matmul; a matrix
 * shared by a batch of right-hand sides is factored once.
 * @throws {SingularMatrixError} naming the pivot that is exactly zero; {@link NonFiniteError} on NaN/∞ input or a
 * result that overflows float64;
 * {@link ShapeError} on non-square `A` or mismatched rows.
 */
export function solve<A extends ArrayInput, B extends ArrayInput>(a: A, b: B): Result<A | B> {
  const av = toValue(a, 'solve', 'a'), bv = toValue(b, 'solve', 'b');
  return withMatrixRhs(av, bv, (bm) => {
    solveShapes(av.shape, bm.shape, 'solve');
    return bind(checkedSolve, [av, bm], undefined);
  }) as Result<A | B>;
}
