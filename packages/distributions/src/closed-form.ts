/**
 * Pieces of the closed-form natural gradients shared by several parametrisations (MATH.md). Inputs: a (symmetrised)
 * gradient ∂L/∂η = (g₁, G₂), or for the natural coordinates a Euclidean ∂L/∂θ.
 * @module
 */
import {
  type Value,
  add,
  matmul,
  mul,
  square,
  sub,
} from '@natgrad/core';
import { mv, outerBatch, sym } from './matrix.js';
import type { ExpectationParameters } from './types.js';

/** dμ = Σ(g₁ + 2G₂μ): the natural-gradient step of the mean, the same in every parametrisation that has μ. */
export function fullMeanStep(sigma: Value, mu: Value, g: ExpectationParameters): Value {
  return mv(sigma, add(g.eta1, mul(mv(g.eta2, mu), 2)));
}

/** dΣ = 2ΣG₂Σ, symmetrised so rounding cannot make it asymmetric. */
export function fullCovarianceStep(sigma: Value, g2: Value): Value {
  return mul(sym(matmul(sigma, matmul(g2, sigma))), 2);
}

/** Diagonal family: dμ = σ²(g₁ + 2g₂μ). */
export function diagonalMeanStep(sigma2: Value, mu: Value, g: ExpectationParameters): Value {
  return mul(sigma2, add(g.eta1, mul(mul(g.eta2, mu), 2)));
}

/** Diagonal family: dσ² = 2σ⁴g₂. */
export function diagonalVarianceStep(sigma2: Value, g2: Value): Value {
  return mul(mul(square(sigma2), g2), 2);
}

/**
 * ∂L/∂η from a Euclidean gradient (a, B) = (∂L/∂θ₁, ∂L/∂θ₂) in natural coordinates: the VJP of η ↦ θ written out.
 * With P = Σ⁻¹ = −2θ₂: C = sym(−P a θ₁ᵀ) + ½ P B P, then ∂L/∂η₂ = C and ∂L/∂η₁ = P a − 2Cμ.
 */
export function fullExpectationGradientFromNatural(
  p: Value,
  theta1: Value,
  mu: Value,
  a: Value,
  b: Value,
): ExpectationParameters {
  const pa = mv(p, a);
  const c = add(sym(mul(outerBatch(pa, theta1), -1)), mul(sym(matmul(p, matmul(b, p))), 0.5));
  return { eta1: sub(pa, mul(mv(c, mu), 2)), eta2: c };
}

/** The diagonal analogue of {@link fullExpectationGradientFromNatural}, elementwise with λ = 1/σ². */
export function diagonalExpectationGradientFromNatural(
  lambda: Value,
  theta1: Value,
  mu: Value,
  a: Value,
  b: Value,
): ExpectationParameters {
  const c = add(mul(mul(lambda, mul(a, theta1)), -1), mul(mul(square(lambda), b), 0.5));
  return { eta1: sub(mul(lambda, a), mul(mul(c, mu), 2)), eta2: c };
}
