/**
 * A scalar loss of q, its gradient in expectation coordinates and its natural gradient, in one call.
 * @module
 */
import { type Value } from '@natgrad/core';
import { type NaturalGradientOptions, checkMethod, checkParametrisation, validateGaussian } from './checks.js';
import { lossAndExpectationGradient } from './expectation-gradient.js';
import { pushForward } from './natural-gradient.js';
import type { ExpectationParameters, Gaussian, Parametrisation } from './types.js';

/** Result of {@link lossAndNaturalGradient}. */
export interface LossAndNaturalGradient<K extends string> {
  /** `lossFn(q)`, bit for bit. */
  readonly loss: Value;
  /** ∂loss/∂η = `{ eta1, eta2 }`, η₂ part symmetric: also the natural gradient in natural coordinates θ. */
  readonly gradEta: ExpectationParameters;
  /** The natural gradient of the loss in P (keys and shapes of q): q − γ·naturalGradient descends. */
  readonly naturalGradient: Gaussian<K>;
}

/**
 * Evaluates a scalar loss of a Gaussian q (written with core ops) and returns it with ∂loss/∂η (one reverse pass)
 * and the natural gradient in q's own parametrisation (one forward pass through θ ↦ ξ, or a closed form).
 *
 * This is what an optimiser's natural-gradient step needs: `q − γ·naturalGradient` (native coordinates), or
 * `θ(q) − γ·gradEta` (natural coordinates).
 * @example
 * const { loss, naturalGradient } = lossAndNaturalGradient((q) => ops.neg(elbo(q)), meanCholesky, q);
 */
export function lossAndNaturalGradient<K extends string>(
  lossFn: (q: Gaussian<K>) => Value,
  P: Parametrisation<K>,
  q: Gaussian<K>,
  options: NaturalGradientOptions = {},
): LossAndNaturalGradient<K> {
  const where = 'lossAndNaturalGradient';
  checkParametrisation(P, where);
  const method = checkMethod(options.method, where);
  if (options.validate !== false) validateGaussian(P, q, where);
  const [loss, gradEta] = lossAndExpectationGradient(lossFn, P, q);
  return { loss, gradEta, naturalGradient: pushForward(P, q, gradEta, method, where) };
}
