/**
 * The whole natural-gradient VI computation for a Gaussian in (μ, L) as one call: Monte-Carlo ELBO, its gradient in
 * expectation coordinates, and its natural gradient.
 * @module
 */
import { type Value, neg, random, sum } from '@natgrad/core';
import { checkFunction, checkKey } from './arguments.js';
import { INTERMEDIATE, gradientResult } from './checked-maps.js';
import { computing } from './context.js';
import { type NaturalGradientMethod, checkMethod, pairCoordinates, validateGaussian } from './checks.js';
import { type LogTarget, checkSamples, monteCarloElboFromNoise } from './elbo.js';
import { lossAndExpectationGradient } from './expectation-gradient.js';
import { pushForward } from './natural-gradient.js';
import { booleanOption, readOptions } from './options.js';
import { meanCholesky } from './parametrisations/mean-cholesky.js';
import type { ExpectationParameters, Gaussian } from './types.js';

/** Arguments of {@link elboNaturalGradient}. */
export interface ElboNaturalGradientOptions {
  /** Log target density (e.g. log p(y, f)): points [n, ...batch, D] → [n, ...batch]; see {@link LogTarget}. */
  logTarget: LogTarget;
  /** The Gaussian in {@link meanCholesky} coordinates: μ [..., D], L [..., D, D] lower with positive diagonal. */
  q: Gaussian<'mu' | 'L'>;
  /** Monte-Carlo samples n ≥ 1 (n·batch·D at most {@link MAX_ARRAY_SIZE}). */
  samples: number;
  /** Random key for the noise; a fixed key makes the result deterministic. */
  key: random.Key;
  /**
   * How to push ∂loss/∂η forward: `'auto'` (default) and `'closed-form'` take the fused closed form of (μ, L), faster
   * than the JVP at every D measured; `'ad'` one dual-number JVP of θ ↦ (μ, L). Both agree to rounding (≈ 1e-13).
   */
  method?: NaturalGradientMethod;
  /** Validate q's values and check that the gradients are finite (default true; structure is checked always). */
  validate?: boolean;
}

/** Result of {@link elboNaturalGradient}. */
export interface ElboNaturalGradient {
  /** Monte-Carlo ELBO, [...batch] (a scalar for a single Gaussian). */
  readonly elbo: Value;
  /** −Σ elbo over the batch (= −elbo for a single Gaussian): the scalar that is differentiated. */
  readonly loss: Value;
  /** ∂loss/∂η = `{ eta1, eta2 }`, η₂ part symmetric (also the natural gradient in θ). */
  readonly gradEta: ExpectationParameters;
  /** Natural gradient of the loss in (μ, L): `{ mu, L }`, L lower triangular; q − γ·it is a natural-gradient step. */
  readonly naturalGradient: Gaussian<'mu' | 'L'>;
}

const MEMBERS = ['logTarget', 'q', 'samples', 'key', 'method', 'validate'];

/**
 * Natural-gradient VI for q = N(μ, LLᵀ) in one call:
 * 1. ELBO = (1/n) Σₛ logTarget(μ + Lεₛ) + ½D(1 + log 2π) + Σᵢ log Lᵢᵢ, with εₛ ~ N(0, I) drawn from `key` — the
 *    constants make it equal log Z at the exact posterior when logTarget = log p(y, f);
 * 2. ∂loss/∂η by one reverse pass through η ↦ (μ, L) (loss = −ELBO);
 * 3. the natural gradient in (μ, L) from ∂loss/∂η: by default the fused closed form dμ = L(Lᵀ(g₁ + 2G₂μ)),
 *    dL = L Φ(2LᵀG₂L) (`method: 'auto'`); with `method: 'ad'` one dual-number JVP of θ ↦ (μ, L) at θ(q).
 * No Fisher matrix and no Jacobian is formed. As `samples` grows the result approaches the exact natural gradient
 * of −ELBO; with a fixed key it is deterministic.
 * @throws {@link @natgrad/core!InvalidArgumentError} for options that are not as documented (unknown members, a
 * logTarget that is not a function, samples not an integer ≥ 1, a key that is not a `random.Key`, a bad method or a
 * non-boolean validate); q's validation errors; {@link @natgrad/core!NonFiniteError} if logTarget returns NaN or a
 * gradient is not finite.
 * @example
 * const { elbo, naturalGradient } = elboNaturalGradient({ logTarget, q: { mu, L }, samples: 256, key: random.key(0) });
 * const next = { mu: ops.sub(mu, ops.mul(0.5, naturalGradient.mu)), L: ops.sub(L, ops.mul(0.5, naturalGradient.L)) };
 */
export function elboNaturalGradient(options: ElboNaturalGradientOptions): ElboNaturalGradient {
  const where = 'elboNaturalGradient';
  const o = readOptions(where, options, MEMBERS);
  const logTarget = o.logTarget as LogTarget;
  checkFunction(where, 'options.logTarget', logTarget);
  const method = checkMethod(o.method, where);
  const validate = booleanOption(where, 'options.validate', o.validate, true);
  const q = o.q as Gaussian<'mu' | 'L'>;
  const c = validateGaussian(meanCholesky, q, where, validate);
  const shape = checkSamples(where, 'options.samples', o.samples, [...c.batch, c.dim]);
  const eps = random.normal(checkKey(where, 'options.key', o.key), shape);
  const lossFn = (qq: Gaussian<'mu' | 'L'>): [Value, Value] => {
    const elbo = monteCarloElboFromNoise(logTarget, meanCholesky, qq, eps, where);
    return [neg(sum(elbo)), elbo];
  };
  const [loss, gradEta, elbo] = lossAndExpectationGradient(lossFn, meanCholesky, q, where);
  const naturalGradient = computing(where, INTERMEDIATE, () => pushForward(meanCholesky, q, gradEta, method, where));
  if (validate) {
    gradientResult(where, 'gradEta', gradEta, pairCoordinates('full', ['eta1', 'eta2']), c);
    gradientResult(where, 'naturalGradient', naturalGradient, meanCholesky.coordinates, c);
  }
  return { elbo, loss, gradEta, naturalGradient };
}
