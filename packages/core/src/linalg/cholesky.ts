import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { NotPositiveDefiniteError } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { matrixTranspose } from '../ops/transpose.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { phi, sym } from './helpers.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { squareOrder } from './shapes.js';
import { triangularSolve } from './triangular-solve.js';
import { withFiniteResult } from './checks.js';

/**
 * Lower Cholesky factor of a batch of symmetric positive-definite matrices, reading only their lower triangles.
 * Derivatives treat `A` as symmetric: a tangent `Ȧ` acts through `½(Ȧ + Ȧᵀ)` and cotangents are symmetric.
 */
export const choleskyPrim = definePrimitive({
  name: 'cholesky',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'cholesky');
    // every matrix is checked before any is factored; potrf reads A's lower triangle and writes L's, leaving the
    // (zero) strict upper triangle of the output alone
    assertFiniteMatrices(a.data, n, 'lower', 'cholesky', a.shape);
    const out = new Float64Array(a.data.length);
    const nn = n * n;
    const nb = nn === 0 ? 0 : out.length / nn;
    for (let t = 0; t < nb; t++) {
      const o = t * nn;
      const bad = dense.potrf(n, a.data, o, n, out, o, n);
      if (bad >= 0) throw new NotPositiveDefiniteError(bad, out[o + bad * n + bad], t, 'cholesky');
    }
    return new Tensor(out, a.shape);
  },
  // dL = L Φ(L⁻¹ S L⁻ᵀ), S = ½(Ȧ + Ȧᵀ). L⁻¹ S L⁻ᵀ = L⁻¹ (L⁻¹ S)ᵀ because S is symmetric.
  jvp: ([t], _, l) => {
    const y = triangularSolve(l, sym(t!));
    return matmul(l, phi(triangularSolve(l, matrixTranspose(y))));
  },
  // Adjoint of the JVP (Φ is self-adjoint): Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), with P L⁻¹ = (L⁻ᵀ Pᵀ)ᵀ.
  vjp: (ct, _, l) => {
    const p = triangularSolve(l, phi(matmul(l, ct, { transposeA: true })), { transpose: true });
    return [sym(triangularSolve(l, matrixTranspose(p), { transpose: true }))];
  },
});

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedCholesky = withFiniteResult(choleskyPrim, 'cholesky');

/**
 * Cholesky factor: the lower-triangular `L` with positive diagonal and `A = L Lᵀ`, for each matrix of `a`
 * ([..., n, n]). Only the lower triangle of `a` is read (as LAPACK `potrf` and JAX); derivatives treat `a` as
 * symmetric (the tangent used is `½(Ȧ + Ȧᵀ)`, gradients are symmetric).
 * @throws {NotPositiveDefiniteError} naming the first pivot that is ≤ 0 or NaN and the matrix's batch index;
 * {@link NonFiniteError} on NaN/∞ in the lower triangle, or a result that overflows float64; {@link ShapeError} if
 * not square.
 */
export function cholesky<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'cholesky', 'a');
  squareOrder(v.shape, 'cholesky');
  return bind(checkedCholesky, [v], undefined) as Result<T>;
}
