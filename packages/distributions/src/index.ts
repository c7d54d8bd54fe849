/**
 * `@natgrad/distributions`: Gaussians in any parametrisation — conversions, validation, sampling, densities, KL,
 * ELBO estimators, Gauss–Hermite quadrature — and the natural gradient in the parametrisation you use, by one
 * forward-mode pass, without forming a Fisher matrix or a Jacobian.
 *
 * Conventions (MATH.md): θ = (Σ⁻¹μ, −½Σ⁻¹), η = (μ, Σ + μμᵀ), natgrad_θ = ∂L/∂η, natgrad_ξ = (∂ξ/∂θ)·∂L/∂η.
 * Gaussians are plain objects of arrays (μ [..., D], matrices [..., D, D]); leading axes are batches of
 * independent Gaussians.
 * @packageDocumentation
 * @module \@natgrad/distributions
 */
export type {
  AnyParametrisation,
  CoordinateKind,
  DiagonalMoments,
  ExpectationParameters,
  FullMoments,
  Gaussian,
  GaussianFamily,
  GaussianOf,
  MomentsOf,
  NaturalParameters,
  Parametrisation,
  ParametrisationMaps,
} from './types.js';
export { InvalidParameterError, NotSymmetricError } from './errors.js';
export { SYMMETRY_TOLERANCE } from './validate.js';
export { MAX_ARRAY_SIZE } from './arguments.js';
export { checkUsable } from './usable.js';
export { defineParametrisation, type ParametrisationSpec } from './define.js';
export * from './parametrisations/index.js';
export {
  fullMomentsFromNatural,
  fullNaturalFromMoments,
  fullMomentsFromExpectation,
  fullExpectationFromMoments,
  diagonalMomentsFromNatural,
  diagonalNaturalFromMoments,
  diagonalMomentsFromExpectation,
  diagonalExpectationFromMoments,
} from './exponential-family.js';
export { convert } from './convert.js';
export type { NaturalGradientMethod, NaturalGradientOptions } from './checks.js';
export { naturalGradient, naturalGradientFromEuclidean } from './natural-gradient.js';
export { expectationGradient } from './expectation-gradient.js';
export { lossAndNaturalGradient, type LossAndNaturalGradient } from './loss-and-natural-gradient.js';
export {
  elboNaturalGradient,
  type ElboNaturalGradient,
  type ElboNaturalGradientOptions,
} from './elbo-natural-gradient.js';
export { sample, reparameterise } from './sample.js';
export { logpdf, entropy } from './density.js';
export { kl } from './kl.js';
export { monteCarloElbo, type LogTarget, type MonteCarloElboOptions } from './elbo.js';
export { minibatchElbo, minibatchScale, type MinibatchElboOptions } from './minibatch.js';
export { gaussHermite, GAUSS_HERMITE_MAX_POINTS, type GaussHermiteRule } from './gauss-hermite.js';
export {
  expectedLogLikelihood,
  gaussHermiteExpectation,
  type GaussHermiteExpectationOptions,
  type ExpectedLogLikelihoodOptions,
  type LogLikelihood,
} from './expected-log-likelihood.js';
export {
  bernoulliLogLikelihood,
  gaussianLogLikelihood,
  expectedGaussianLogLikelihood,
  conjugatePosterior,
  type ConjugatePosterior,
} from './likelihoods.js';
