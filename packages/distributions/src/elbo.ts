/**
 * Monte-Carlo ELBO with reparameterised samples and the closed-form entropy.
 * @module
 */
import { InvalidArgumentError, ShapeError, type Value, add, asValue, mean, random, type ArrayInput } from '@natgrad/core';
import { checkParametrisation, validateGaussian } from './checks.js';
import { entropyUnchecked } from './density.js';
import { reparameteriseUnchecked } from './sample.js';
import type { Gaussian, Parametrisation } from './types.js';

/**
 * A log target density (unnormalised log posterior, log p(y, f)): maps a batch of points [n, ...batch, D] — for an
 * unbatched q simply [n, D], one point per row — to their log densities [n, ...batch]. Written with core ops so the
 * ELBO can be differentiated through it.
 */
export type LogTarget = (x: Value) => ArrayInput;

/** Options of {@link monteCarloElbo}. */
export interface MonteCarloElboOptions {
  /** Number of samples n ≥ 1. */
  samples: number;
  /** Random key for ε ~ N(0, I); the same key gives the same estimate (common random numbers across q). */
  key: random.Key;
}

/**
 * ELBO(q) ≈ (1/n) Σₛ logTarget(μ + Lεₛ) + H[q]: the Monte-Carlo expectation of the log target under reparameterised
 * samples plus the closed-form entropy ½D(1 + log 2π) + log det L. With logTarget = log p(y, f) the estimate is
 * unbiased for log Z − KL(q ‖ posterior), so it reaches log Z at the exact posterior. Differentiable with respect
 * to q (the noise is fixed by the key). Shape [...batch].
 * @throws {ShapeError} if logTarget does not return [n, ...batch]; {@link InvalidArgumentError} for bad options.
 * @example
 * const elbo = monteCarloElbo((x) => logJoint(x), meanCholesky, q, { samples: 64, key: random.key(0) });
 */
export function monteCarloElbo<K extends string>(
  logTarget: LogTarget,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  options: MonteCarloElboOptions,
): Value {
  const where = 'monteCarloElbo';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const n = options?.samples;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${where}: samples must be a positive integer, got ${n}`);
  const eps = random.normal(options.key, [n, ...c.batch, c.dim]);
  return monteCarloElboFromNoise(logTarget, P, q, eps, where);
}

/** @internal The estimate for given noise `eps` [n, ...batch, D], without validation of q. */
export function monteCarloElboFromNoise<K extends string>(
  logTarget: LogTarget,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  eps: Value,
  where: string,
): Value {
  const x = reparameteriseUnchecked(P, q, eps);
  const lt = asValue(logTarget(x));
  const expected = eps.shape.slice(0, -1);
  if (lt.shape.length !== expected.length || lt.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(
      `${where}: logTarget must map points [${eps.shape.join(', ')}] to log densities [${expected.join(', ')}], ` +
        `got [${lt.shape.join(', ')}]`,
    );
  }
  return add(mean(lt, 0), entropyUnchecked(P, q));
}
