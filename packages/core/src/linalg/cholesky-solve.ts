import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import type { ArrayInput, Result } from '../value.js';
import { checkFiniteOperand, checkLowerFactor, withFiniteResult } from './checks.js';
import { withMatrixRhs } from './helpers.js';
import { solveShapes } from './shapes.js';
import { triangularSolveParams, triangularSolvePrim } from './triangular-solve.js';

const FORWARD = triangularSolveParams(true, true, false, false);
const BACKWARD = triangularSolveParams(true, true, true, false);
/** The two solves, their results checked for overflow (docs/ARCHITECTURE.md, Errors) under this op's name. */
const INTERMEDIATE = 'the intermediate L⁻¹B overflows float64 (rescale the input)';
const forwardSolve = withFiniteResult(triangularSolvePrim, 'choleskySolve', INTERMEDIATE);
const backwardSolve = withFiniteResult(triangularSolvePrim, 'choleskySolve');

/**
 * Solves `(L Lᵀ) X = B` given the lower Cholesky factor `l` ([..., n, n]; only its lower triangle is read) by two
 * triangular solves. `B` is [..., n, m] or a vector [..., n] as in {@link triangularSolve}; batch axes broadcast.
 * Its arguments are checked here, so errors name `choleskySolve` rather than the solves it is made of.
 * @throws {SingularMatrixError} on a zero diagonal entry; {@link NonFiniteError} on NaN/∞ input, or when the
 * solution (or the intermediate `L⁻¹B`) overflows float64; {@link ShapeError}.
 */
export function choleskySolve<A extends ArrayInput, B extends ArrayInput>(l: A, b: B): Result<A | B> {
  const where = 'choleskySolve';
  const lv = toValue(l, where, 'l'), bv = toValue(b, where, 'b');
  return withMatrixRhs(lv, bv, (bm) => {
    const { n } = solveShapes(lv.shape, bm.shape, where);
    checkLowerFactor(lv, n, where, 'l');
    checkFiniteOperand(bm, where, 'b');
    return bind(backwardSolve, [lv, bind(forwardSolve, [lv, bm], FORWARD)], BACKWARD);
  }) as Result<A | B>;
}
