import { primalValue } from '../ad/trace.js';
import { checkInteger } from '../args.js';
import { toValue } from '../convert.js';
import { NonFiniteError, SingularMatrixError, assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { matmul } from '../primitives/matmul.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { inv } from './inv.js';
import { squareOrder } from './shapes.js';

/** What a non-finite result of finite input means, for the message. */
const OVERFLOW = 'overflows float64 although the input is finite (rescale the input)';

/**
 * The integer power `Aᵏ` of each square matrix of `a` ([..., n, n]), as `jnp.linalg.matrix_power`: by repeated
 * squaring (⌊log₂|k|⌋ squarings and one product per set bit of |k|); `A⁰ = I` for every A; a negative k inverts A
 * first (LU with partial pivoting) and raises the inverse to |k|. Differentiable in `a` to every order: the derivative
 * is that of the products (d(Aᵏ) = Σ_{i<k} Aⁱ dA A^{k−1−i}, evaluated through the squarings, and
 * d(A⁻¹) = −A⁻¹ dA A⁻¹ for negative powers); the power of A⁰ is constant.
 * @throws {InvalidArgumentError} when `k` is not an integer (in the safe range); {@link SingularMatrixError} for a
 * negative power of a singular matrix; {@link NonFiniteError} on NaN/∞ input and when the power overflows float64; {@link ShapeError} if not square.
 */
export function matrixPower<T extends ArrayInput>(a: T, k: number): Result<T> {
  const v = toValue(a, 'matrixPower', 'a');
  const n = squareOrder(v.shape, 'matrixPower');
  checkInteger(k, 'matrixPower', 'k');
  assertFinite(primalValue(v).data, 'matrixPower', v.shape);
  if (k === 0) return lax.broadcastTo(Tensor.eye(n), v.shape) as Result<T>;
  let base: Value = v;
  if (k < 0) {
    try {
      base = inv(v);
    } catch (e) {
      if (e instanceof SingularMatrixError) throw new SingularMatrixError(e.pivot, e.batchIndex, `matrixPower (a negative power)`);
      if (e instanceof NonFiniteError) throw new NonFiniteError(`matrixPower: the inverse (a negative power) ${OVERFLOW}`, e.index, e.value, v.shape);
      throw e;
    }
  }
  let rest = Math.abs(k), out: Value | null = null;
  for (;;) {
    if (rest % 2 === 1) out = out === null ? base : matmul(out, base);
    rest = Math.floor(rest / 2);
    if (rest === 0) break;
    base = matmul(base, base);
  }
  // the overflow policy of the public linear algebra: finite input, non-finite result → a typed error, not ∞/NaN
  const d = primalValue(out as Value).data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] - d[i] !== 0) throw new NonFiniteError(`matrixPower: the power ${OVERFLOW}`, i, d[i], v.shape);
  }
  return out as Result<T>;
}
