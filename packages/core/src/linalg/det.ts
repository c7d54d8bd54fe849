import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { sizeOfRange } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { adjugate } from './adjugate.js';
import { diagonalProduct, permutationSign } from './kernels/determinant.js';
import { copyRun } from './kernels/batch.js';
import { squareOrder } from './shapes.js';

/**
 * det A of each square matrix from its LU factors, `det(P)·Π Uᵢᵢ` (exactly 0 when a pivot is). Derivatives through
 * the cofactor matrix C = adj(A)ᵀ, which {@link adjugate} computes without dividing by det A: d det = ⟨C, dA⟩,
 * Ā = ḡ·C, exact at singular matrices and differentiable again.
 */
export const detPrim: Primitive = definePrimitive({
  name: 'det',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'det');
    assertFinite(a.data, 'det', a.shape);
    const nd = a.shape.length, nn = n * n;
    const nb = sizeOfRange(a.shape, 0, nd - 2);
    const out = new Float64Array(nb);
    const lu = new Float64Array(nn), perm = new Int32Array(n), seen = new Uint8Array(n);
    for (let t = 0; t < nb; t++) {
      copyRun(a.data, t * nn, lu, 0, nn);
      dense.getrf(n, n, lu, 0, n, perm);
      // + 0 turns a −0 (a zero pivot times a negative sign) into 0
      out[t] = permutationSign(perm, 0, n, seen) * diagonalProduct(lu, 0, n) + 0;
    }
    return new Tensor(out, a.shape.slice(0, -2));
  },
  jvp: ([t], [a]) => {
    const nd = a.shape.length;
    return lax.sum(lax.mul(cofactors(a), t!), [nd - 2, nd - 1]);
  },
  vjp: (ct, [a]) => [lax.mul(lax.reshape(ct, Object.freeze([...ct.shape, 1, 1])), cofactors(a))],
});

/** The cofactor matrices adj(A)ᵀ = ∂ det A / ∂A. */
function cofactors(a: Value): Value {
  return lax.matrixTranspose(adjugate(a));
}

/**
 * Determinant of each square matrix of `a` ([..., n, n] → [...]; 1 for 0×0), `jnp.linalg.det`, by LU with partial
 * pivoting. Prefer {@link slogdet} when the determinant may overflow or underflow (it is computed without spurious
 * intermediate overflow, but its value can exceed float64: ±∞ then).
 *
 * **At a singular A**: the value is exactly 0 when the factorisation meets an exactly zero pivot (and a tiny
 * number for a matrix singular only up to round-off). The derivatives are the cofactor matrix C = adj(A)ᵀ:
 * JVP ⟨C, dA⟩, VJP ḡ·C — computed from a rank-revealing (complete-pivoting) factorisation and a Schur complement,
 * never as det(A)·A⁻ᵀ, so they are exact and finite at every matrix: the rank-one C at rank n − 1, zero at lower
 * rank; and the rule differentiates again, so second and higher derivatives are exact too (at rank n − 2 the Hessian
 * is nonzero although the gradient vanishes). JAX's rule (`_cofactor_solve`) instead assumes the zero pivot of its
 * partial-pivoting LU is the last one, and returns a zero gradient when it is not (e.g. at [[0, 1], [0, 0]]).
 * @throws {NonFiniteError} on NaN/∞ input; {@link ShapeError} if not square.
 */
export function det<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'det', 'a');
  squareOrder(v.shape, 'det');
  return bind(detPrim, [v], undefined) as Result<T>;
}
