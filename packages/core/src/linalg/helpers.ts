/**
 * Matrix expressions shared by the derivative rules, written with `lax` (primitives bound directly, no argument
 * checks: rule inputs are valid matrices) so they are differentiable and cost only their kernels.
 * @module
 */
import { bind, primalValue } from '../ad/trace.js';
import * as lax from '../lax.js';
import { reshape } from '../ops/reshape.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { diagPrim } from './diag.js';
import { diagonalPrim } from './diagonal.js';
import { isVectorRhs } from './shapes.js';
import { trilPrim } from './tril.js';

const HALF = Tensor.scalar(0.5);
const MAIN_DIAGONAL = Object.freeze({ k: 0 });

/** `½(X + Xᵀ)` on the last two axes. */
export function sym(x: Value): Value {
  return lax.mul(lax.add(x, lax.matrixTranspose(x)), HALF);
}

/**
 * {@link sym} of a public op's input: `½X + ½Xᵀ` where `X + Xᵀ` could overflow (an entry above 2¹⁰²², whose
 * symmetric part is still finite), else `½(X + Xᵀ)`, which is exact for symmetric X down to subnormals.
 */
export function symmetrised(x: Value): Value {
  const d = primalValue(x).data;
  for (let i = 0; i < d.length; i++) {
    if (Math.abs(d[i]) > 2 ** 1022) return lax.add(lax.mul(x, HALF), lax.mul(lax.matrixTranspose(x), HALF));
  }
  return sym(x);
}

/** `Φ(X) = tril(X) − ½ diag(X)`: the lower triangle with the diagonal halved (MATH.md). Self-adjoint. */
export function phi(x: Value): Value {
  const d = bind(diagPrim, [bind(diagonalPrim, [x], undefined)], undefined);
  return lax.sub(bind(trilPrim, [x], MAIN_DIAGONAL), lax.mul(d, HALF));
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
