import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { neg } from '../ops/arithmetic.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { copyRun } from './kernels/batch.js';
import { squareOrder } from './shapes.js';
import { withFiniteResult } from './checks.js';

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
      copyRun(a.data, t * nn, lu, 0, nn);
      const bad = dense.getrf(n, n, lu, 0, n, perm);
      if (bad >= 0) throw new SingularMatrixError(bad, t, 'inv');
      dense.getrs(false, n, n, lu, 0, n, perm, eye, 0, n, out, t * nn, n);
    }
    return new Tensor(out, a.shape);
  },
  // d(A⁻¹) = −A⁻¹ dA A⁻¹
  jvp: ([t], _, x) => neg(matmul(x, matmul(t!, x))),
  // Ā = −A⁻ᵀ Ḡ A⁻ᵀ
  vjp: (ct, _, x) => [neg(matmul(x, matmul(ct, x, { transposeB: true }), { transposeA: true }))],
});

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedInv = withFiniteResult(invPrim, 'inv');

/**
 * Inverse of each square matrix of `a` ([..., n, n]), by LU with partial pivoting. Prefer {@link solve} (or
 * {@link choleskySolve} for SPD matrices) when the inverse only multiplies something.
 * @throws {SingularMatrixError} naming the zero pivot; {@link NonFiniteError} on NaN/∞ input or a result that
 * overflows float64; {@link ShapeError} if not square.
 */
export function inv<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'inv', 'a');
  squareOrder(v.shape, 'inv');
  return bind(checkedInv, [v], undefined) as Result<T>;
}
