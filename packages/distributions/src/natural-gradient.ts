/**
 * The natural gradient in any parametrisation, in one pass: the JVP of θ ↦ ξ at θ(q) with tangent ∂L/∂η
 * (MATH.md). No Fisher matrix and no Jacobian is ever formed.
 * @module
 */
import { InvalidArgumentError, jvp } from '@natgrad/core';
import { INTERMEDIATE, gradientResult } from './checked-maps.js';
import {
  type NaturalGradientOptions,
  checkDirection,
  checkParametrisation,
  inKeyOrder,
  naturalGradientOptions,
  pairCoordinates,
  validateGaussian,
} from './checks.js';
import { pullBack } from './expectation-gradient.js';
import { sym } from './matrix.js';
import type { ExpectationParameters, Gaussian, NaturalParameters, Parametrisation } from './types.js';
import { computing } from './context.js';

/**
 * @internal The push-forward without argument checks: symmetrises the η₂ part (an unsymmetrised direction gives
 * wrong answers, MATH.md), then uses the closed form or one dual-number pass through `P.fromNatural`.
 */
export function pushForward<K extends string>(
  P: Parametrisation<K>,
  q: Gaussian<K>,
  dLdEta: ExpectationParameters,
  method: 'auto' | 'ad' | 'closed-form',
  where: string,
): Gaussian<K> {
  const g: ExpectationParameters = { eta1: dLdEta.eta1, eta2: P.family === 'full' ? sym(dLdEta.eta2) : dLdEta.eta2 };
  const maps = P.unchecked;
  if (method === 'closed-form' && maps.closedFormNaturalGradient === undefined) {
    throw new InvalidArgumentError(`${where}: ${P.name} has no closed-form natural gradient (use method 'ad' or 'auto')`);
  }
  if (method !== 'ad' && maps.closedFormNaturalGradient !== undefined) {
    return inKeyOrder(P.keys, maps.closedFormNaturalGradient(q, g));
  }
  const theta = maps.toNatural(q);
  const tangent: NaturalParameters = { theta1: g.eta1, theta2: g.eta2 };
  const [, out] = jvp((th: NaturalParameters) => maps.fromNatural(th), [theta], [tangent]);
  return inKeyOrder(P.keys, out);
}

/**
 * The natural gradient of L in the parametrisation P at q, from the gradient in expectation coordinates
 * ∂L/∂η = `{ eta1, eta2 }` (η₂ part symmetrised here; for the diagonal family both are vectors [..., D]).
 *
 * It is `(∂ξ/∂θ)·∂L/∂η`: one forward-mode pass through `P.fromNatural` at θ(q) on dual numbers whose tangent is
 * ∂L/∂η — never a Fisher matrix, never a Jacobian — or the parametrisation's closed form (`method: 'auto'`, the
 * default, prefers it). The result has q's keys and shapes, and the sign of the objective: pass the gradient of a
 * loss to get a descent direction (q − γ·result), of an ELBO for an ascent direction.
 * @throws {ShapeError} if `dLdEta` is not `{ eta1, eta2 }` of q's batch and dimension; q's validation errors;
 * {@link @natgrad/core!NonFiniteError} if `dLdEta` or the result is not finite (a result that overflows means q is
 * not numerically usable: see {@link checkUsable}); {@link InvalidArgumentError} for `'closed-form'` without one
 * and for options that are not {@link NaturalGradientOptions}.
 * @example
 * const ng = naturalGradient(meanCholesky, q, { eta1: g1, eta2: G2 }); // { mu, L }, L lower triangular
 */
export function naturalGradient<K extends string>(
  P: Parametrisation<K>,
  q: Gaussian<K>,
  dLdEta: ExpectationParameters,
  options: NaturalGradientOptions = {},
): Gaussian<K> {
  const where = 'naturalGradient';
  checkParametrisation(P, where);
  const [method, validate] = naturalGradientOptions(where, options);
  const c = validateGaussian(P, q, where, validate);
  checkDirection(where, 'dLdEta', dLdEta, pairCoordinates(P.family, ['eta1', 'eta2']), c, validate);
  const out = computing(where, INTERMEDIATE, () => pushForward(P, q, dLdEta, method, where));
  return validate ? gradientResult(where, 'the natural gradient', out, P.coordinates, c) : out;
}

/**
 * The natural gradient in P at q from a Euclidean gradient ∂L/∂ξ (same keys and shapes as q, e.g. from `grad`).
 *
 * The gradient is projected onto the tangent space (`P.project`: symmetrised for symmetric matrices, lower triangle
 * for L), pulled back to ∂L/∂η by one reverse-mode pass (see {@link expectationGradient}), then pushed forward as in
 * {@link naturalGradient}. With `method: 'auto'` a parametrisation's direct closed form F_ξ⁻¹ ∂L/∂ξ is used when it
 * has one (e.g. (μ, L): natgrad_μ = Σ g_μ, natgrad_L = L Φ(Lᵀ G_L)).
 * @throws {ShapeError} if `dLdXi` does not match q; q's validation errors; {@link @natgrad/core!NonFiniteError} for a
 * non-finite `dLdXi` or result; {@link InvalidArgumentError} as {@link naturalGradient}.
 * @example
 * const [loss, g] = valueAndGrad(negElbo)(q);
 * const ng = naturalGradientFromEuclidean(meanCholesky, q, g);
 * const next = { mu: ops.sub(q.mu, ops.mul(0.1, ng.mu)), L: ops.sub(q.L, ops.mul(0.1, ng.L)) };
 */
export function naturalGradientFromEuclidean<K extends string>(
  P: Parametrisation<K>,
  q: Gaussian<K>,
  dLdXi: Gaussian<K>,
  options: NaturalGradientOptions = {},
): Gaussian<K> {
  const where = 'naturalGradientFromEuclidean';
  checkParametrisation(P, where);
  const [method, validate] = naturalGradientOptions(where, options);
  const c = validateGaussian(P, q, where, validate);
  checkDirection(where, 'dLdXi', dLdXi, P.coordinates, c, validate);
  const maps = P.unchecked;
  const out = computing(where, INTERMEDIATE, () =>
    method !== 'ad' && maps.closedFormNaturalGradientFromEuclidean !== undefined
      ? inKeyOrder(P.keys, maps.closedFormNaturalGradientFromEuclidean(q, maps.project(dLdXi)))
      : pushForward(P, q, pullBack(P, q, dLdXi), method, where),
  );
  return validate ? gradientResult(where, 'the natural gradient', out, P.coordinates, c) : out;
}
