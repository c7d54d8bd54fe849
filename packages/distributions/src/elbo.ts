/**
 * Monte-Carlo ELBO with reparameterised samples and the closed-form entropy.
 * @module
 */
import { NonFiniteError, ShapeError, type Value, add, mean, primalValue, random, type ArrayInput } from '@natgrad/core';
import { MAX_ARRAY_SIZE, checkFunction, checkInteger, checkKey, checkNoNaN, checkSize, toValue } from './arguments.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import { entropyUnchecked } from './density.js';
import { readOptions } from './options.js';
import { reparameteriseUnchecked } from './sample.js';
import type { Gaussian, Parametrisation } from './types.js';
import { INTERMEDIATE } from './checked-maps.js';
import { computing } from './context.js';

/**
 * A log target density (unnormalised log posterior, log p(y, f)): maps a batch of points [n, ...batch, D] — for an
 * unbatched q simply [n, D], one point per row — to their log densities [n, ...batch]. Written with core ops so the
 * ELBO can be differentiated through it. −∞ (a point outside the support) is allowed; NaN is an error.
 */
export type LogTarget = (x: Value) => ArrayInput;

/** Options of {@link monteCarloElbo}. */
export interface MonteCarloElboOptions {
  /** Number of samples n ≥ 1 (n·batch·D at most {@link MAX_ARRAY_SIZE}). */
  samples: number;
  /** Random key for ε ~ N(0, I); the same key gives the same estimate (common random numbers across q). */
  key: random.Key;
}

/** The number of samples and the noise shape, checked before anything is drawn. */
export function checkSamples(where: string, label: string, samples: unknown, tail: readonly number[]): number[] {
  const n = checkInteger(where, label, samples, 1, MAX_ARRAY_SIZE);
  const shape = [n, ...tail];
  checkSize(where, 'the noise ε', shape);
  return shape;
}

/**
 * ELBO(q) ≈ (1/n) Σₛ logTarget(μ + Lεₛ) + H[q]: the Monte-Carlo expectation of the log target under reparameterised
 * samples plus the closed-form entropy ½D(1 + log 2π) + log det L. With logTarget = log p(y, f) the estimate is
 * unbiased for log Z − KL(q ‖ posterior), so it reaches log Z at the exact posterior. Differentiable with respect
 * to q (the noise is fixed by the key). Shape [...batch].
 * @throws {ShapeError} if logTarget does not return [n, ...batch]; {@link @natgrad/core!NonFiniteError} if it
 * returns NaN; {@link @natgrad/core!InvalidArgumentError} for a logTarget that is not a function, options that are
 * not `{ samples, key }` (samples an integer ≥ 1, key a `random.Key`), or too many samples; q's validation errors.
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
  checkFunction(where, 'logTarget', logTarget);
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const o = readOptions(where, options, ['samples', 'key']);
  const shape = checkSamples(where, 'options.samples', o.samples, [...c.batch, c.dim]);
  const key = checkKey(where, 'options.key', o.key);
  const elbo = monteCarloElboFromNoise(logTarget, P, q, random.normal(key, shape), where);
  checkNoNaN(where, 'the ELBO', elbo);
  return elbo;
}

/**
 * @internal The estimate for given noise `eps` [n, ...batch, D], without validation of q; logTarget's output is
 * checked (shape, no NaN) since it is the caller's code.
 */
export function monteCarloElboFromNoise<K extends string>(
  logTarget: LogTarget,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  eps: Value,
  where: string,
): Value {
  const x = computing(where, INTERMEDIATE, () => reparameteriseUnchecked(P, q, eps));
  const lt = toValue(where, 'the value logTarget returned', logTarget(x));
  const expected = eps.shape.slice(0, -1);
  if (lt.shape.length !== expected.length || lt.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(
      `${where}: logTarget must map points [${eps.shape.join(', ')}] to log densities [${expected.join(', ')}], ` +
        `got [${lt.shape.join(', ')}]`,
    );
  }
  const d = primalValue(lt).data;
  const perSample = d.length / expected[0];
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== d[i]) throw new NonFiniteError(`${where}: logTarget returned NaN for sample ${Math.floor(i / perSample)}`, i, d[i]);
  }
  return computing(where, INTERMEDIATE, () => add(mean(lt, 0), entropyUnchecked(P, q)));
}
