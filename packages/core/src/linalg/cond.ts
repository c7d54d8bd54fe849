import { primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, SingularMatrixError, assertFinite } from '../errors.js';
import { div, isNaN, mul, reshape, slice, stack, where } from '../ops/index.js';
import type { IndexSpec } from '../ops/indexing.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { inv } from './inv.js';
import { type NormOrd, checkOrd, isMatrixOrd, matrixNormLast } from './norm.js';
import { describe } from './options.js';
import { batchCount } from './packed.js';
import { matrixRank, squareOrder } from './shapes.js';
import { svdvals } from './svd.js';

/**
 * Condition number of each matrix of `x` ([..., m, n] → [...]), as `jnp.linalg.cond`: for `p` omitted, 2 or −2,
 * the ratio of the largest to the smallest singular value (−2: its inverse), from {@link svdvals}, for any m×n;
 * for the other matrix norms of {@link norm} (`'fro'`, `'nuc'`, ±1, ±∞), ‖A‖·‖A⁻¹‖ for square A.
 *
 * A singular matrix has condition number ∞ (a zero smallest singular value, or an exactly singular LU for the
 * other norms), computed per matrix of a batch; it is a constant (no derivative). Elsewhere the derivative is that
 * of the ratio through the singular-value rule, or of ‖A‖·‖A⁻¹‖ through the norm and `inv` rules.
 * @throws {ShapeError} on rank < 2, or a non-square matrix for p ∉ {2, −2}; {@link NonFiniteError};
 * {@link InvalidArgumentError} for an order that is not a matrix norm; {@link ConvergenceError}.
 */
export function cond<T extends ArrayInput>(x: T, p?: NormOrd | null): Result<T> {
  const v = asValue(x);
  const ord = checkOrd(p, 'cond') ?? 2;
  if (!isMatrixOrd(ord)) {
    throw new InvalidArgumentError(`cond: p must be a matrix norm order ('fro', 'nuc', ±1, ±2, ±Infinity), got ${describe(p)}`);
  }
  matrixRank(v.shape, 'cond');
  assertFinite(primalValue(v).data, 'cond');
  if (ord === 2 || ord === -2) return bySingularValues(v, ord) as Result<T>;
  squareOrder(v.shape, 'cond');
  try {
    return mul(matrixNormLast(v, ord), matrixNormLast(inv(v), ord)) as Result<T>;
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
  }
  // some matrix of the batch is singular: one at a time, ∞ for the singular ones
  const batch = v.shape.slice(0, -2);
  const parts: Value[] = [];
  const flat = reshape(v, [batchCount(v.shape), ...v.shape.slice(-2)]);
  for (let b = 0; b < flat.shape[0]; b++) {
    const a = slice(flat, b);
    try {
      parts.push(mul(matrixNormLast(a, ord), matrixNormLast(inv(a), ord)));
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
      parts.push(Tensor.scalar(Infinity));
    }
  }
  return reshape(stack(parts), batch) as Result<T>;
}

/** s₀/s_last (2) or s_last/s₀ (−2); 0/0 (a zero matrix) counts as singular: ∞. */
function bySingularValues(v: Value, ord: 2 | -2): Value {
  const s = svdvals(v);
  const k = s.shape[s.shape.length - 1];
  if (k === 0) throw new InvalidArgumentError(`cond: the condition number of an empty matrix is undefined`);
  const pick = (i: number) => {
    const index: IndexSpec[] = s.shape.map(() => null);
    index[s.ndim - 1] = i;
    return slice(s, ...index);
  };
  const r = ord === 2 ? div(pick(0), pick(k - 1)) : div(pick(k - 1), pick(0));
  return where(isNaN(primalValue(r)), Infinity, r);
}
