/** Matrix expressions shared by the derivative rules, written with ops so they are differentiable. @module */
import { add, mul, sub } from '../ops/arithmetic.js';
import { reshape } from '../ops/reshape.js';
import { matrixTranspose } from '../ops/transpose.js';
import type { Value } from '../value.js';
import { diag } from './diag.js';
import { diagonal } from './diagonal.js';
import { isVectorRhs } from './shapes.js';
import { tril } from './tril.js';

/** `½(X + Xᵀ)` on the last two axes. */
export function sym(x: Value): Value {
  return mul(add(x, matrixTranspose(x)), 0.5);
}

/** `Φ(X) = tril(X) − ½ diag(X)`: the lower triangle with the diagonal halved (MATH.md). Self-adjoint. */
export function phi(x: Value): Value {
  return sub(tril(x), mul(diag(diagonal(x)), 0.5));
}

/**
 * Runs a solve whose primitive takes matrix right-hand sides on a right-hand side that may be a (batch of) vector(s)
 * (see {@link isVectorRhs}): a vector is made a one-column matrix and the column axis dropped from the result.
 */
export function withMatrixRhs(a: Value, b: Value, solveMatrix: (b: Value) => Value): Value {
  if (!isVectorRhs(a.shape, b.shape)) return solveMatrix(b);
  const x = solveMatrix(reshape(b, [...b.shape, 1]));
  return reshape(x, x.shape.slice(0, -1));
}
