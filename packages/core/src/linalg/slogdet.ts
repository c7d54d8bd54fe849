import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { sizeOfRange } from '../shape.js';
import { Tensor, tensorOf } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { block, join } from './blocks.js';
import { inv } from './inv.js';
import { copyRun } from './kernels/batch.js';
import { logAbsDiagonal, permutationSign } from './kernels/determinant.js';
import { squareOrder } from './shapes.js';

/**
 * `(sign, log|det A|)` of each square matrix packed as [..., 2], from one LU factorisation. The sign has derivative
 * zero; d log|det A| = tr(A⁻¹ dA), Ā = ḡ·A⁻ᵀ (undefined at a singular A, where the log is −∞).
 */
export const slogdetPrim: Primitive = definePrimitive({
  name: 'slogdet',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'slogdet');
    assertFinite(a.data, 'slogdet', a.shape);
    const nd = a.shape.length, nn = n * n;
    const nb = sizeOfRange(a.shape, 0, nd - 2);
    const out = new Float64Array(2 * nb);
    const lu = new Float64Array(nn), perm = new Int32Array(n), seen = new Uint8Array(n);
    for (let t = 0; t < nb; t++) {
      copyRun(a.data, t * nn, lu, 0, nn);
      dense.getrf(n, n, lu, 0, n, perm);
      const [sign, log] = logAbsDiagonal(lu, 0, n);
      out[2 * t] = sign === 0 ? 0 : sign * permutationSign(perm, 0, n, seen);
      out[2 * t + 1] = log;
    }
    return new Tensor(out, [...a.shape.slice(0, -2), 2]);
  },
  jvp: ([t], [a], out) => {
    nonsingular(a, out);
    const nd = a.shape.length;
    const d = lax.sum(lax.mul(lax.matrixTranspose(inv(a)), t!), [nd - 2, nd - 1]);
    const col = lax.reshape(d, Object.freeze([...d.shape, 1]));
    return join(Tensor.zeros(col.shape), col, -1);
  },
  vjp: (ct, [a], out) => {
    nonsingular(a, out);
    const g = block(lax.reshape(ct, Object.freeze([...ct.shape, 1])), 1, 2, 0, 1);
    return [lax.mul(g, lax.matrixTranspose(inv(a)))];
  },
});

/** log|det| has no derivative at a singular matrix (it is −∞ there): the error names slogdet, the pivot and matrix. */
function nonsingular(a: Value, out: Value): void {
  const signs = primalValue(out).data;
  for (let t = 0; 2 * t < signs.length; t++) {
    if (signs[2 * t] !== 0) continue;
    const x = primalValue(a), n = x.shape[x.shape.length - 1];
    const lu = x.data.slice(t * n * n, (t + 1) * n * n);
    const pivot = dense.getrf(n, n, lu, 0, n, new Int32Array(n));
    throw new SingularMatrixError(pivot, t, 'slogdet (derivative of logabsdet)');
  }
}

/** The result of {@link slogdet}, named as `jnp.linalg.slogdet`'s. */
export interface SlogdetResult<T> {
  /** The sign of det A: +1, −1, or 0 for a singular matrix ([...]; constant, no derivative). */
  readonly sign: Tensor;
  /** log |det A| ([...]; −∞ for a singular matrix). */
  readonly logabsdet: T;
}

/**
 * Sign and natural log of the absolute determinant of each square matrix of `a` ([..., n, n] → [...]), by one LU
 * factorisation (`jnp.linalg.slogdet`): det A = sign · exp(logabsdet), without overflow or underflow. A singular
 * matrix (an exactly zero pivot) gives sign 0 and logabsdet −∞, as NumPy and JAX. Derivative of logabsdet:
 * tr(A⁻¹ dA), gradient A⁻ᵀ; at a singular matrix it does not exist and differentiating raises
 * {@link SingularMatrixError} (JAX returns ±∞/NaN). The sign is piecewise constant (derivative zero).
 * @throws {NonFiniteError} on NaN/∞ input; {@link ShapeError} if not square.
 */
export function slogdet<T extends ArrayInput>(a: T): SlogdetResult<Result<T>> {
  const v = toValue(a, 'slogdet', 'a');
  squareOrder(v.shape, 'slogdet');
  const packed = bind(slogdetPrim, [v], undefined);
  const batch = Object.freeze(v.shape.slice(0, -2));
  const p = primalValue(packed).data;
  const sign = new Float64Array(p.length / 2);
  for (let t = 0; t < sign.length; t++) sign[t] = p[2 * t];
  const col = block(lax.reshape(packed, Object.freeze([...batch, 2, 1])), 1, 2, 0, 1);
  return Object.freeze({
    sign: tensorOf(sign, batch),
    logabsdet: lax.reshape(col, batch) as Result<T>,
  });
}
