import { toValue } from '../convert.js';
import type { ArrayInput, Result } from '../value.js';
import { withMatrixRhs } from './helpers.js';
import { solveShapes } from './shapes.js';
import { triangularSolve } from './triangular-solve.js';

/**
 * Solves `(L Lᵀ) X = B` given the lower Cholesky factor `l` ([..., n, n]; only its lower triangle is read) by two
 * triangular solves. `B` is [..., n, m] or a vector [..., n] as in {@link triangularSolve}; batch axes broadcast.
 * @throws {SingularMatrixError} on a zero diagonal entry; {@link NonFiniteError}; {@link ShapeError}.
 */
export function choleskySolve<A extends ArrayInput, B extends ArrayInput>(l: A, b: B): Result<A | B> {
  const lv = toValue(l, 'choleskySolve', 'l'), bv = toValue(b, 'choleskySolve', 'b');
  return withMatrixRhs(lv, bv, (bm) => {
    solveShapes(lv.shape, bm.shape, 'choleskySolve');
    return triangularSolve(lv, triangularSolve(lv, bm), { transpose: true });
  }) as Result<A | B>;
}
