import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { add, neg } from '../ops/arithmetic.js';
import { matrixTranspose } from '../ops/transpose.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { squareOrder } from './shapes.js';
import { triangularSolve } from './triangular-solve.js';
import { tril } from './tril.js';
import { withFiniteResult } from './checks.js';

/** `Y = (L Lᵀ)⁻¹` from lower-triangular factors (only the lower triangle of `L` is read). */
export const choleskyInversePrim: Primitive = definePrimitive({
  name: 'choleskyInverse',
  impl: ([l]) => {
    const n = squareOrder(l.shape, 'choleskyInverse');
    assertFiniteMatrices(l.data, n, 'lower', 'choleskyInverse', l.shape);
    const nn = n * n;
    const nb = nn === 0 ? 0 : l.data.length / nn;
    const out = new Float64Array(l.data.length);
    for (let t = 0; t < nb; t++) {
      const bad = dense.potri(n, l.data, t * nn, n, out, t * nn, n);
      if (bad >= 0) throw new SingularMatrixError(bad, t, 'choleskyInverse');
    }
    return new Tensor(out, l.shape);
  },
  // dY = −Y (dL Lᵀ + L dLᵀ) Y = −(Z + Zᵀ) with Z = Y dL L⁻¹ (since Lᵀ Y = L⁻¹), Zᵀ = L⁻ᵀ (dLᵀ Y).
  jvp: ([t], [l], y) => {
    const zt = triangularSolve(l, matmul(tril(t!), y, { transposeA: true }), { transpose: true });
    return neg(add(zt, matrixTranspose(zt)));
  },
  // ⟨Ȳ, dY⟩ = −⟨Y (Ȳ + Ȳᵀ) L⁻ᵀ, dL⟩, so L̄ = −tril(Y (Ȳ + Ȳᵀ) L⁻ᵀ): one solve from the right.
  vjp: (ct, [l], y) => {
    const w = triangularSolve(l, matmul(y, add(ct, matrixTranspose(ct))), { left: false, transpose: true });
    return [neg(tril(w))];
  },
});

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedCholeskyInverse = withFiniteResult(choleskyInversePrim, 'choleskyInverse');

/**
 * `(L Lᵀ)⁻¹` from a lower Cholesky factor `l` ([..., n, n]; only its lower triangle is read): the inverse of the
 * matrix `L` factors, exactly symmetric, in n³/3 multiply-adds (invert `L`, then `L⁻ᵀ L⁻¹`).
 * @throws {SingularMatrixError} on a zero diagonal entry; {@link NonFiniteError} on NaN/∞ input or a result that
 * overflows float64 (entries of `l` near 1e-300); {@link ShapeError} if not square.
 */
export function choleskyInverse<T extends ArrayInput>(l: T): Result<T> {
  const v = toValue(l, 'choleskyInverse', 'l');
  squareOrder(v.shape, 'choleskyInverse');
  return bind(checkedCholeskyInverse, [v], undefined) as Result<T>;
}
