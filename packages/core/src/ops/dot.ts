/** Inner and outer products built on the elementwise ops and matmul. @module */
import { toValue } from '../convert.js';
import { ShapeError } from '../errors.js';
import { matmulValues } from '../primitives/matmul.js';
import type { ArrayInput, Result } from '../value.js';
import { mul } from './arithmetic.js';
import { reshape } from './reshape.js';
import { sum } from './reductions.js';

/**
 * NumPy-style `dot`: the inner product of two vectors (a scalar), a product with a scalar operand, and otherwise
 * `matmul` (matrix–vector, matrix–matrix; for rank > 2 batched like matmul, not NumPy's tensor contraction).
 * @throws {ShapeError} when the contracted lengths differ
 */
export function dot<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  const a = toValue(x, 'dot', 'x'), b = toValue(y, 'dot', 'y');
  if (a.shape.length === 0 || b.shape.length === 0) return mul(a, b) as Result<A | B>;
  if (a.shape.length === 1 && b.shape.length === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new ShapeError(`dot: vectors of lengths ${a.shape[0]} and ${b.shape[0]} cannot be multiplied`);
    }
    return sum(mul(a, b)) as Result<A | B>;
  }
  return matmulValues(a, b, 'dot') as Result<A | B>;
}

/**
 * Outer product `out[i, j] = x[i] · y[j]` (`jnp.outer`); operands of higher rank are flattened first, as NumPy does.
 */
export function outer<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  const a = toValue(x, 'outer', 'x'), b = toValue(y, 'outer', 'y');
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size])) as Result<A | B>;
}
