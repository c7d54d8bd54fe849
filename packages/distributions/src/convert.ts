/**
 * Conversion of a Gaussian between parametrisations.
 * @module
 */
import { InvalidArgumentError, diag } from '@natgrad/core';
import { checkSize } from './arguments.js';
import { INTERMEDIATE, result } from './checked-maps.js';
import { checkParametrisation, inKeyOrder, validateGaussian } from './checks.js';
import type { DiagonalMoments, FullMoments, Gaussian, Parametrisation } from './types.js';
import { diagonalExpectation } from './parametrisations/diagonal-expectation.js';
import { diagonalNatural } from './parametrisations/diagonal-natural.js';
import { expectation } from './parametrisations/expectation.js';
import { natural } from './parametrisations/natural.js';
import { computing } from './context.js';

const isNatural = (P: Parametrisation<string>): boolean => (P as unknown) === natural || (P as unknown) === diagonalNatural;
const isExpectation = (P: Parametrisation<string>): boolean =>
  (P as unknown) === expectation || (P as unknown) === diagonalExpectation;

/**
 * Converts q from the parametrisation `from` to `to` (both families equal, or diagonal → full, which embeds
 * Σ = diag(σ²)). q is validated first. Routes through θ or η directly when either end is natural or expectation
 * coordinates (e.g. natural → meanCholesky uses `meanCholesky.fromNatural`), otherwise through the moments.
 * Differentiable: q may hold tracers. The result is checked to be finite (a valid q can still overflow in another
 * parametrisation, e.g. the natural parameters of a nearly singular covariance: see {@link checkUsable}).
 * @throws {InvalidArgumentError} for full → diagonal (it would drop the correlations) or a `from`/`to` that is not a
 * descriptor; q's validation errors; {@link @natgrad/core!NonFiniteError} if the result overflows.
 * @example
 * const qTheta = convert({ mu, L }, meanCholesky, natural); // { theta1, theta2 }
 */
export function convert<A extends string, B extends string>(
  q: Gaussian<A>,
  from: Parametrisation<A>,
  to: Parametrisation<B>,
): Gaussian<B> {
  const where = 'convert';
  checkParametrisation(from, where, 'from');
  checkParametrisation(to, where, 'to');
  const c = validateGaussian(from, q, `${where} (from ${from.name})`);
  if ((from as unknown) === to) return q as unknown as Gaussian<B>;
  const a = from.unchecked, b = to.unchecked;
  if (from.family === 'diagonal' && to.family === 'full') {
    checkSize(where, 'the covariance diag(σ²)', [...c.batch, c.dim, c.dim]);
    const out = computing(where, INTERMEDIATE, () => {
      const m = a.toMoments(q) as DiagonalMoments;
      return b.fromMoments({ mu: m.mu, Sigma: diag(m.sigma2) } as never);
    });
    return result(where, inKeyOrder(to.keys, out), to.coordinates, c);
  }
  if (from.family !== to.family) {
    throw new InvalidArgumentError(
      `${where}: cannot convert from the full-covariance ${from.name} to the diagonal ${to.name} (it would drop the ` +
        'correlations); take the diagonal of the covariance explicitly if that is intended',
    );
  }
  const out = computing(where, INTERMEDIATE, (): Gaussian<B> => {
    if (isNatural(from)) return b.fromNatural(q as never);
    if (isNatural(to)) return a.toNatural(q) as unknown as Gaussian<B>;
    if (isExpectation(from)) return b.fromExpectation(q as never);
    if (isExpectation(to)) return a.toExpectation(q) as unknown as Gaussian<B>;
    return b.fromMoments(a.toMoments(q) as FullMoments & DiagonalMoments);
  });
  return result(where, inKeyOrder(to.keys, out), to.coordinates, c);
}
