/**
 * Closed-form KL divergence between Gaussians in any two parametrisations.
 * @module
 */
import {
  ShapeError,
  type Value,
  add,
  broadcastShapes,
  diag,
  div,
  expandDims,
  log,
  mul,
  square,
  sub,
  sum,
  triangularSolve,
} from '@natgrad/core';
import { checkNoNaN, checkSize } from './arguments.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { solveTriangularMatrix, sumLogDiagonal } from './matrix.js';
import type { Gaussian, Parametrisation } from './types.js';
import { INTERMEDIATE } from './checked-maps.js';
import { computing } from './context.js';

/**
 * KL(q ‖ p) = ½[tr(Σp⁻¹Σq) + (μp − μq)ᵀΣp⁻¹(μp − μq) − D + log det Σp − log det Σq] in nats, for q in the
 * parametrisation `Pq` and p in `Pp` (any mix of full and diagonal families). Batch axes of q and p broadcast; the
 * result has the broadcast batch shape. Computed from Cholesky factors (tr = ‖Lp⁻¹Lq‖²_F), never from inverses;
 * differentiable in both arguments.
 * +∞ is a possible result (p too narrow for float64 relative to q); NaN is not.
 * @throws {ShapeError} if the dimensions differ or the batch axes do not broadcast; validation errors of q and p;
 * {@link @natgrad/core!InvalidArgumentError} if a descriptor is not one or the broadcast batch of D × D matrices is
 * larger than {@link MAX_ARRAY_SIZE}.
 * @example kl(meanCholesky, q, meanCovariance, prior) // the KL term of an ELBO
 */
export function kl<A extends string, B extends string>(
  Pq: Parametrisation<A>,
  q: Gaussian<A>,
  Pp: Parametrisation<B>,
  p: Gaussian<B>,
): Value {
  const where = 'kl';
  checkParametrisation(Pq, where, 'Pq');
  checkParametrisation(Pp, where, 'Pp');
  const cq = validateGaussian(Pq, q, where, true, 'q');
  const cp = validateGaussian(Pp, p, where, true, 'p');
  if (cq.dim !== cp.dim) throw new ShapeError(`${where}: q has dimension ${cq.dim} but p has ${cp.dim}`);
  const batch = broadcastShapes(cq.batch, cp.batch, `${where}: batch axes of q and p`);
  checkSize(where, 'the broadcast batch of matrices', [...batch, cq.dim, cq.dim]);
  const out = computing(where, INTERMEDIATE, () => klUnchecked(Pq, q, Pp, p));
  checkNoNaN(where, 'the divergence', out);
  return out;
}

/** @internal {@link kl} without checks. */
export function klUnchecked<A extends string, B extends string>(
  Pq: Parametrisation<A>,
  q: Gaussian<A>,
  Pp: Parametrisation<B>,
  p: Gaussian<B>,
): Value {
  const muQ = Pq.unchecked.toMoments(q).mu, muP = Pp.unchecked.toMoments(p).mu;
  const sq = Pq.unchecked.toScale(q), sp = Pp.unchecked.toScale(p);
  const d = muQ.shape[muQ.shape.length - 1];
  const diff = sub(muP, muQ);
  let trace: Value, maha: Value, logDetRatio: Value;
  if (Pq.family === 'diagonal' && Pp.family === 'diagonal') {
    trace = sum(square(div(sq, sp)), -1);
    maha = sum(square(div(diff, sp)), -1);
    logDetRatio = mul(sum(sub(log(sp), log(sq)), -1), 2);
  } else {
    // A diagonal scale σ is the Cholesky factor diag(σ) of its covariance.
    const lq = Pq.family === 'full' ? sq : diag(sq);
    const lp = Pp.family === 'full' ? sp : diag(sp);
    trace = sum(square(solveTriangularMatrix(lp, lq)), [-2, -1]);
    maha = sum(square(triangularSolve(lp, expandDims(diff, -1))), [-2, -1]);
    logDetRatio = mul(sub(sumLogDiagonal(lp), sumLogDiagonal(lq)), 2);
  }
  return mul(add(add(trace, maha), sub(logDetRatio, d)), 0.5);
}
