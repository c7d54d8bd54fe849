/**
 * Log-density and entropy of Gaussians in any parametrisation.
 * @module
 */
import {
  type ArrayInput,
  ShapeError,
  type Value,
  add,
  broadcastShapes,
  div,
  expandDims,
  log,
  matrixTranspose,
  mul,
  reshape,
  square,
  sub,
  sum,
  triangularSolve,
} from '@natgrad/core';
import { checkArray, checkNoNaN, checkSize } from './arguments.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { sumLogDiagonal } from './matrix.js';
import type { Gaussian, Parametrisation } from './types.js';
import { INTERMEDIATE } from './checked-maps.js';
import { computing } from './context.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Σᵢ log of the scale's diagonal: ½ log det Σ, shape [...batch]. */
export function halfLogDet<K extends string>(P: Parametrisation<K>, scale: Value): Value {
  return P.family === 'full' ? sumLogDiagonal(scale) : sum(log(scale), -1);
}

/** @internal Squared Mahalanobis distances ‖L⁻¹(x − μ)‖² for diff = x − μ of shape [...S, D]. */
function mahalanobis(full: boolean, scale: Value, diff: Value): Value {
  if (!full) return sum(square(div(diff, scale)), -1);
  const nb = scale.shape.length - 2;
  const d = scale.shape[nb + 1];
  if (nb === 0) {
    // All points against one factor: one triangular solve with the points as columns.
    const lead = diff.shape.slice(0, -1);
    const z = triangularSolve(scale, matrixTranspose(reshape(diff, [-1, d])));
    return reshape(sum(square(z), 0), lead);
  }
  return sum(square(triangularSolve(scale, expandDims(diff, -1))), [-2, -1]);
}

/**
 * Log-density log q(x) = −½(D log 2π + log det Σ + (x − μ)ᵀΣ⁻¹(x − μ)) of points `x` [..., D], which broadcast against
 * q's batch axes (e.g. samples [n, ...batch, D] give [n, ...batch]). Differentiable in q and in x. −∞ is a possible
 * result (a point too far out for float64); NaN is not (it is a {@link @natgrad/core!NonFiniteError}).
 * @throws {ShapeError} if the last axis of x is not D or x does not broadcast;
 * {@link @natgrad/core!NonFiniteError} on NaN or ∞ in x; {@link @natgrad/core!InvalidArgumentError} if x is not an
 * array or the broadcast is larger than {@link MAX_ARRAY_SIZE}; q's validation errors.
 */
export function logpdf<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, x: ArrayInput): Value {
  const where = 'logpdf';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const xv = checkArray(where, 'x', x);
  if (xv.shape.length < 1 || xv.shape[xv.shape.length - 1] !== c.dim) {
    throw new ShapeError(`${where}: x must have shape [..., ${c.dim}], got [${xv.shape.join(', ')}]`);
  }
  const batch = broadcastShapes(xv.shape.slice(0, -1), c.batch, `${where}: x batch axes against q's`);
  checkSize(where, 'x − μ broadcast against q', [...batch, c.dim]);
  const out = computing(where, INTERMEDIATE, () => logpdfUnchecked(P, q, xv));
  checkNoNaN(where, 'the log-density', out);
  return out;
}

/** @internal {@link logpdf} without checks. */
export function logpdfUnchecked<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, x: Value): Value {
  const mu = P.unchecked.toMoments(q).mu;
  const scale = P.unchecked.toScale(q);
  const quad = mahalanobis(P.family === 'full', scale, sub(x, mu));
  const d = mu.shape[mu.shape.length - 1];
  return sub(mul(add(quad, d * LOG_2PI), -0.5), halfLogDet(P, scale));
}

/**
 * Differential entropy H[q] = ½D(1 + log 2π) + ½ log det Σ (nats), shape [...batch]. Differentiable in q.
 * @throws q's validation errors; {@link @natgrad/core!InvalidArgumentError} if P is not a descriptor.
 */
export function entropy<K extends string>(P: Parametrisation<K>, q: Gaussian<K>): Value {
  const where = 'entropy';
  checkParametrisation(P, where);
  validateGaussian(P, q, where);
  const out = computing(where, INTERMEDIATE, () => entropyUnchecked(P, q));
  checkNoNaN(where, 'the entropy', out);
  return out;
}

/** @internal {@link entropy} without checks. */
export function entropyUnchecked<K extends string>(P: Parametrisation<K>, q: Gaussian<K>): Value {
  const scale = P.unchecked.toScale(q);
  const d = scale.shape[scale.shape.length - 1];
  return add(halfLogDet(P, scale), 0.5 * d * (1 + LOG_2PI));
}

