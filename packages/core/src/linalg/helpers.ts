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
import { isVectorRhs } from './shapes.js';
import { phiPrim } from './phi.js';
import { symmetrizePrim } from './symmetrize.js';
import { trilPrim } from './tril.js';
import { triuPrim } from './triu.js';

const HALF = Tensor.scalar(0.5);
const MAIN_DIAGONAL = Object.freeze({ k: 0 });
const BELOW = Object.freeze({ k: -1 });
const ABOVE = Object.freeze({ k: 1 });
const LOWER_TRIANGLE = Object.freeze({ lower: true });
const UPPER_TRIANGLE = Object.freeze({ lower: false });

/** `½(X + Xᵀ)` on the last two axes. */
export function sym(x: Value): Value {
  return bind(symmetrizePrim, [x], undefined);
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
  return bind(phiPrim, [x], LOWER_TRIANGLE);
}

/** `Ψ(X) = triu(X) − ½ diag(X)`: the upper triangle with the diagonal halved, the mirror image of {@link phi}. */
export function psi(x: Value): Value {
  return bind(phiPrim, [x], UPPER_TRIANGLE);
}

/**
 * The part of each matrix a triangular kernel reads: the `lower` (or upper) triangle, without the diagonal when
 * `strict` (a unit diagonal is not read). Self-adjoint, so it masks tangents and cotangents alike.
 */
export function triangle(x: Value, lower: boolean, strict: boolean): Value {
  const k = strict ? (lower ? BELOW : ABOVE) : MAIN_DIAGONAL;
  return bind(lower ? trilPrim : triuPrim, [x], k);
}

/**
 * Runs a solve whose primitive takes matrix right-hand sides on a right-hand side that may be a (batch of) vector(s)
 * (see {@link isVectorRhs}): a vector is made a one-column matrix (a one-row matrix for a solve from the right,
 * `asRow`) and that axis dropped from the result.
 */
export function withMatrixRhs(a: Value, b: Value, solveMatrix: (b: Value) => Value, asRow = false): Value {
  if (!isVectorRhs(a.shape, b.shape)) return solveMatrix(b);
  const nd = b.shape.length;
  const shape = asRow ? [...b.shape.slice(0, -1), 1, b.shape[nd - 1]] : [...b.shape, 1];
  const x = solveMatrix(reshape(b, shape));
  const xs = x.shape.slice();
  xs.splice(asRow ? xs.length - 2 : xs.length - 1, 1);
  return reshape(x, xs);
}
