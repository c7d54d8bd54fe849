/**
 * A scalar loss of q, its gradient in expectation coordinates and its natural gradient, in one call.
 * @module
 */
import { ArrayValue, InvalidArgumentError, NonFiniteError, ShapeError, type Value, primalValue } from '@natgrad/core';
import { checkFunction } from './arguments.js';
import { INTERMEDIATE, gradientResult } from './checked-maps.js';
import { computing } from './context.js';
import {
  type NaturalGradientOptions,
  checkParametrisation,
  naturalGradientOptions,
  pairCoordinates,
  validateGaussian,
} from './checks.js';
import { describeValue } from './describe.js';
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
 * With `validate` (the default) a NaN loss and non-finite gradients are errors instead of results.
 * @throws {@link @natgrad/core!InvalidArgumentError} if lossFn is not a function or does not return a value, or for
 * bad options; {@link ShapeError} if it does not return a scalar; {@link @natgrad/core!NonFiniteError} for a NaN loss
 * or a non-finite gradient; q's validation errors.
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
  checkFunction(where, 'lossFn', lossFn);
  checkParametrisation(P, where);
  const [method, validate] = naturalGradientOptions(where, options);
  const c = validateGaussian(P, q, where, validate);
  const scalarLoss = (qq: Gaussian<K>): Value => {
    const r: unknown = lossFn(qq);
    if (!(r instanceof ArrayValue)) throw new InvalidArgumentError(`${where}: lossFn must return a value (a scalar tensor), got ${describeValue(r)}`);
    if (r.shape.length !== 0) throw new ShapeError(`${where}: lossFn must return a scalar (shape []), got shape [${r.shape.join(', ')}]`);
    return r as Value;
  };
  const [loss, gradEta] = lossAndExpectationGradient(scalarLoss, P, q, where);
  const naturalGradient = computing(where, INTERMEDIATE, () => pushForward(P, q, gradEta, method, where));
  if (validate) {
    const l = primalValue(loss).data[0];
    if (l !== l) throw new NonFiniteError(`${where}: lossFn(q) is NaN`, 0, l);
    gradientResult(where, 'gradEta', gradEta, pairCoordinates(P.family, ['eta1', 'eta2']), c);
    gradientResult(where, 'naturalGradient', naturalGradient, P.coordinates, c);
  }
  return { loss, gradEta, naturalGradient };
}
