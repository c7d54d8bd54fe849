/**
 * The exponential-family maps between moments, natural parameters θ and expectation parameters η, for the full and
 * the diagonal family (MATH.md). Parametrisations are defined relative to moments; these close the triangle.
 * @module
 */
import {
  type Value,
  add,
  cholesky,
  choleskyInverse,
  choleskySolve,
  div,
  mul,
  sqrt,
  square,
  sub,
} from '@natgrad/core';
import { outerBatch } from './matrix.js';
import type {
  DiagonalMoments,
  ExpectationParameters,
  FullMoments,
  GaussianFamily,
  MomentsOf,
  NaturalParameters,
} from './types.js';

/** θ ↦ (μ, Σ): P = −2θ₂ = LpLpᵀ, Σ = P⁻¹ from the factor, μ = P⁻¹θ₁ by two triangular solves. */
export function fullMomentsFromNatural(theta: NaturalParameters): FullMoments {
  const lp = cholesky(mul(theta.theta2, -2));
  return { mu: choleskySolve(lp, theta.theta1), Sigma: choleskyInverse(lp) };
}

/** (μ, Σ) ↦ θ = (Σ⁻¹μ, −½Σ⁻¹) through one Cholesky factor of Σ. */
export function fullNaturalFromMoments(m: FullMoments): NaturalParameters {
  const ls = cholesky(m.Sigma);
  return { theta1: choleskySolve(ls, m.mu), theta2: mul(choleskyInverse(ls), -0.5) };
}

/** η ↦ (μ, Σ) = (η₁, η₂ − η₁η₁ᵀ). */
export function fullMomentsFromExpectation(eta: ExpectationParameters): FullMoments {
  return { mu: eta.eta1, Sigma: sub(eta.eta2, outerBatch(eta.eta1, eta.eta1)) };
}

/** (μ, Σ) ↦ η = (μ, Σ + μμᵀ). */
export function fullExpectationFromMoments(m: FullMoments): ExpectationParameters {
  return { eta1: m.mu, eta2: add(m.Sigma, outerBatch(m.mu, m.mu)) };
}

/** θ ↦ (μ, σ²) = (−θ₁/(2θ₂), −1/(2θ₂)), elementwise. */
export function diagonalMomentsFromNatural(theta: NaturalParameters): DiagonalMoments {
  const sigma2 = div(-0.5, theta.theta2);
  return { mu: mul(theta.theta1, sigma2), sigma2 };
}

/** (μ, σ²) ↦ θ = (μ/σ², −1/(2σ²)). */
export function diagonalNaturalFromMoments(m: DiagonalMoments): NaturalParameters {
  return { theta1: div(m.mu, m.sigma2), theta2: div(-0.5, m.sigma2) };
}

/** η ↦ (μ, σ²) = (η₁, η₂ − η₁²). */
export function diagonalMomentsFromExpectation(eta: ExpectationParameters): DiagonalMoments {
  return { mu: eta.eta1, sigma2: sub(eta.eta2, square(eta.eta1)) };
}

/** (μ, σ²) ↦ η = (μ, σ² + μ²). */
export function diagonalExpectationFromMoments(m: DiagonalMoments): ExpectationParameters {
  return { eta1: m.mu, eta2: add(m.sigma2, square(m.mu)) };
}

/** The family's maps in one table, so generic code can pick them by `family`. */
export interface FamilyMaps<F extends GaussianFamily> {
  momentsFromNatural(theta: NaturalParameters): MomentsOf<F>;
  naturalFromMoments(m: MomentsOf<F>): NaturalParameters;
  momentsFromExpectation(eta: ExpectationParameters): MomentsOf<F>;
  expectationFromMoments(m: MomentsOf<F>): ExpectationParameters;
  /** Square root of the covariance: Cholesky factor (full) or standard deviations (diagonal). */
  scaleFromMoments(m: MomentsOf<F>): Value;
}

/** The full family's maps. */
export const fullMaps: FamilyMaps<'full'> = {
  momentsFromNatural: fullMomentsFromNatural,
  naturalFromMoments: fullNaturalFromMoments,
  momentsFromExpectation: fullMomentsFromExpectation,
  expectationFromMoments: fullExpectationFromMoments,
  scaleFromMoments: (m) => cholesky(m.Sigma),
};

/** The diagonal family's maps (all elementwise). */
export const diagonalMaps: FamilyMaps<'diagonal'> = {
  momentsFromNatural: diagonalMomentsFromNatural,
  naturalFromMoments: diagonalNaturalFromMoments,
  momentsFromExpectation: diagonalMomentsFromExpectation,
  expectationFromMoments: diagonalExpectationFromMoments,
  scaleFromMoments: (m) => sqrt(m.sigma2),
};

/** The maps of a family. */
export function familyMaps<F extends GaussianFamily>(family: F): FamilyMaps<F> {
  return (family === 'full' ? fullMaps : diagonalMaps) as unknown as FamilyMaps<F>;
}
