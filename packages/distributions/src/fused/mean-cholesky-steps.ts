/**
 * The closed-form natural gradients of (μ, L) (MATH.md), each coordinate one fused primitive:
 * from ∂L/∂η = (g₁, G₂): dμ = L(Lᵀ(g₁ + 2G₂μ)), dL = L Φ(2LᵀG₂L); from ∂L/∂ξ = (gμ, GL): natgrad_μ = L Lᵀ gμ,
 * natgrad_L = L Φ(Lᵀ GL). The η₂ part is read through its symmetric part and GL through its lower triangle, so
 * unsymmetrised and unprojected gradients give the same results as symmetrised and projected ones.
 * @module
 */
import { type Value, bind } from '@natgrad/core';
import type { ExpectationParameters } from '../types.js';
import { FROM_ETA, FROM_EUCLIDEAN, choleskyStepPrim } from './cholesky-step.js';
import { meanStepPrim } from './mean-step.js';

type MeanCholesky = { readonly mu: Value; readonly L: Value };

/** The natural gradient in (μ, L) from ∂L/∂η: one fused primitive per coordinate. */
export function meanCholeskyStep(q: MeanCholesky, g: ExpectationParameters): { mu: Value; L: Value } {
  return { mu: bind(meanStepPrim, [q.L, g.eta1, g.eta2, q.mu], FROM_ETA), L: bind(choleskyStepPrim, [q.L, g.eta2], FROM_ETA) };
}

/** The natural gradient in (μ, L) from the Euclidean gradient (gμ, GL) = (∂L/∂μ, ∂L/∂L). */
export function meanCholeskyStepFromEuclidean(q: MeanCholesky, g: MeanCholesky): { mu: Value; L: Value } {
  return { mu: bind(meanStepPrim, [q.L, g.mu], FROM_EUCLIDEAN), L: bind(choleskyStepPrim, [q.L, g.L], FROM_EUCLIDEAN) };
}
