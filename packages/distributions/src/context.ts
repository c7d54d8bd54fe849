/**
 * Running a computation whose typed failures (a Cholesky of a matrix that is not numerically positive definite, a
 * singular solve, an overflow caught by a linear-algebra op) should name the caller and what it was computing,
 * not the core op deep inside.
 * @module
 */
import { NonFiniteError, NotPositiveDefiniteError, SingularMatrixError } from '@natgrad/core';

/** Runs `f`; core's linear-algebra errors are re-raised (same class and fields) as `${where}: computing ${what}`. */
export function computing<T>(where: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const at = `${where}: computing ${what}`;
    if (e instanceof NotPositiveDefiniteError) throw new NotPositiveDefiniteError(e.pivot, e.pivotValue, e.batchIndex, at);
    if (e instanceof NonFiniteError) throw new NonFiniteError(at, e.index, e.value);
    if (e instanceof SingularMatrixError) throw new SingularMatrixError(e.pivot, e.batchIndex, at);
    throw e;
  }
}
