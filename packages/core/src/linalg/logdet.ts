import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import { mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reductions.js';
import { reshape } from '../ops/reshape.js';
import { matrixTranspose } from '../ops/transpose.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { inv } from './inv.js';
import { copyRun } from './kernels/batch.js';
import { squareOrder } from './shapes.js';

/** `log |det A|` of each square matrix, from its LU factors. */
export const logdetPrim: Primitive = definePrimitive({
  name: 'logdet',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'logdet');
    assertFinite(a.data, 'logdet', a.shape);
    const nn = n * n;
    const nb = sizeOf(a.shape.slice(0, -2));
    const out = new Float64Array(nb);
    const lu = new Float64Array(nn), perm = new Int32Array(n);
    for (let t = 0; t < nb; t++) {
      copyRun(a.data, t * nn, lu, 0, nn);
      out[t] = dense.getrf(n, n, lu, 0, n, perm) >= 0 ? -Infinity : logAbsDiagonal(lu, n);
    }
    return new Tensor(out, a.shape.slice(0, -2));
  },
  // d log|det A| = tr(A⁻¹ dA) = Σᵢⱼ (A⁻ᵀ)ᵢⱼ dAᵢⱼ
  jvp: ([t], [a]) => sum(mul(matrixTranspose(inv(a)), t!), [-2, -1]),
  // Ā = ḡ A⁻ᵀ
  vjp: (ct, [a]) => [mul(reshape(ct, [...ct.shape, 1, 1]), matrixTranspose(inv(a)))],
});

/** `log |det A|` from LU factors: Σ log |U_ii| (the permutation only changes the sign). */
function logAbsDiagonal(lu: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(lu[i * n + i]));
  return s;
}

/**
 * `log |det A|` of each square matrix of `a` ([..., n, n] → [...]), via LU with partial pivoting (the sign of the
 * determinant is discarded). An exactly singular matrix gives `-Infinity` (its derivative then throws
 * {@link SingularMatrixError}). For SPD matrices `2 Σ log diag(cholesky(A))` is cheaper and keeps the sign known.
 * @throws {NonFiniteError} on NaN/∞ input; {@link ShapeError} if not square.
 */
export function logdet<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'logdet', 'a');
  squareOrder(v.shape, 'logdet');
  return bind(logdetPrim, [v], undefined) as Result<T>;
}
