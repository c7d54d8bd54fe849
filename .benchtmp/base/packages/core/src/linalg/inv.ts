import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { neg } from '../ops/arithmetic.js';
import { matrixTranspose } from '../ops/transpose.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { luFactor, luSolve } from './kernels/lu.js';
import { squareOrder } from './shapes.js';

/** Inverse of each square matrix by LU with partial pivoting. */
export const invPrim: Primitive = definePrimitive({
  name: 'inv',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'inv');
    assertFinite(a.data, 'inv', a.shape);
    const nn = n * n;
    const nb = nn === 0 ? 0 : a.data.length / nn;
    const out = new Float64Array(a.data.length);
    const lu = new Float64Array(nn), perm = new Int32Array(n), eye = new Float64Array(nn);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    for (let t = 0; t < nb; t++) {
      lu.set(a.data.subarray(t * nn, (t + 1) * nn));
      const bad = luFactor(lu, perm, n);
      if (bad >= 0) throw new SingularMatrixError(bad, t, 'inv');
      luSolve(lu, perm, eye, 0, out, t * nn, n, n);
    }
    return new Tensor(out, a.shape);
  },
  // d(A⁻¹) = −A⁻¹ dA A⁻¹
  jvp: ([t], _, x) => neg(matmul(x, matmul(t!, x))),
  // Ā = −A⁻ᵀ Ḡ A⁻ᵀ
  vjp: (ct, _, x) => {
    const xt = matrixTranspose(x);
    return [neg(matmul(xt, matmul(ct, xt)))];
  },
});

/**
 * Inverse of each square matrix of `a` ([..., n, n]), by LU with partial pivoting. Prefer {@link solve} (or
 * {@link choleskySolve} for SPD matrices) when the inverse only multiplies something.
 * @throws {SingularMatrixError} naming the zero pivot; {@link NonFiniteError}; {@link ShapeError} if not square.
 */
export function inv<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'inv', 'a');
  squareOrder(v.shape, 'inv');
  return bind(invPrim, [v], undefined) as Result<T>;
}
