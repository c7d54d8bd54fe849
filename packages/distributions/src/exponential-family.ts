/**
 * The exponential-family maps between moments, natural and expectation parameters of both families, as public
 * checked functions: each validates its argument as a point of its space (MATH.md constraints included) and checks
 * that the result is finite. The bare maps (`family.ts`) are what the parametrisations compose.
 * @module
 */
import { checkedFamilyMap } from './checked-family-map.js';
import * as bare from './family.js';

/** θ ↦ (μ, Σ) by one Cholesky factor of −2θ₂ (checked: θ₂ symmetric with −2θ₂ positive definite). */
export const fullMomentsFromNatural = checkedFamilyMap('fullMomentsFromNatural', 'full', 'natural', 'theta', 'moments', bare.fullMomentsFromNatural);

/** (μ, Σ) ↦ θ = (Σ⁻¹μ, −½Σ⁻¹) through one Cholesky factor of Σ (checked: Σ symmetric positive definite). */
export const fullNaturalFromMoments = checkedFamilyMap('fullNaturalFromMoments', 'full', 'moments', 'm', 'natural', bare.fullNaturalFromMoments);

/** η ↦ (μ, Σ) = (η₁, η₂ − η₁η₁ᵀ) (checked: η₂ − η₁η₁ᵀ positive definite). */
export const fullMomentsFromExpectation = checkedFamilyMap(
  'fullMomentsFromExpectation',
  'full',
  'expectation',
  'eta',
  'moments',
  bare.fullMomentsFromExpectation,
);

/** (μ, Σ) ↦ η = (μ, Σ + μμᵀ) (checked: Σ symmetric positive definite). */
export const fullExpectationFromMoments = checkedFamilyMap(
  'fullExpectationFromMoments',
  'full',
  'moments',
  'm',
  'expectation',
  bare.fullExpectationFromMoments,
);

/** θ ↦ (μ, σ²) = (−θ₁/(2θ₂), −1/(2θ₂)), elementwise (checked: θ₂ < 0). */
export const diagonalMomentsFromNatural = checkedFamilyMap(
  'diagonalMomentsFromNatural',
  'diagonal',
  'natural',
  'theta',
  'moments',
  bare.diagonalMomentsFromNatural,
);

/** (μ, σ²) ↦ θ = (μ/σ², −1/(2σ²)) (checked: σ² > 0). */
export const diagonalNaturalFromMoments = checkedFamilyMap(
  'diagonalNaturalFromMoments',
  'diagonal',
  'moments',
  'm',
  'natural',
  bare.diagonalNaturalFromMoments,
);

/** η ↦ (μ, σ²) = (η₁, η₂ − η₁²) (checked: η₂ − η₁² > 0). */
export const diagonalMomentsFromExpectation = checkedFamilyMap(
  'diagonalMomentsFromExpectation',
  'diagonal',
  'expectation',
  'eta',
  'moments',
  bare.diagonalMomentsFromExpectation,
);

/** (μ, σ²) ↦ η = (μ, σ² + μ²) (checked: σ² > 0). */
export const diagonalExpectationFromMoments = checkedFamilyMap(
  'diagonalExpectationFromMoments',
  'diagonal',
  'moments',
  'm',
  'expectation',
  bare.diagonalExpectationFromMoments,
);
