/**
 * Pulling a Euclidean gradient ∂L/∂ξ back to expectation coordinates, ∂L/∂η = (∂ξ/∂η)ᵀ ∂L/∂ξ (MATH.md).
 * @module
 */
import { type Value, add, mul, stopGradient, sub, treeMap, valueAndGrad, vjp } from '@natgrad/core';
import { INTERMEDIATE, gradientResult } from './checked-maps.js';
import { checkDirection, checkParametrisation, pairCoordinates, validateGaussian } from './checks.js';
import { mv, sym } from './matrix.js';
import { booleanOption, readOptions } from './options.js';
import type {
  DiagonalMoments,
  ExpectationParameters,
  FullMoments,
  Gaussian,
  GaussianFamily,
  MomentsOf,
  Parametrisation,
} from './types.js';
import { computing } from './context.js';

/**
 * ∂L/∂η from ∂L/∂(μ, Σ): with Σ = η₂ − η₁η₁ᵀ, ∂L/∂η₂ = G_Σ and ∂L/∂η₁ = g_μ − 2G_Σμ (G_Σ symmetrised).
 * Diagonal family: ∂L/∂η₂ = g_σ², ∂L/∂η₁ = g_μ − 2g_σ²μ.
 */
export function expectationGradientFromMoments<F extends GaussianFamily>(
  family: F,
  m: MomentsOf<F>,
  gm: MomentsOf<F>,
): ExpectationParameters {
  if (family === 'full') {
    const g = gm as FullMoments;
    const gs = sym(g.Sigma);
    return { eta1: sub(g.mu, mul(mv(gs, m.mu), 2)), eta2: gs };
  }
  const g = gm as DiagonalMoments;
  return { eta1: sub(g.mu, mul(mul(g.sigma2, m.mu), 2)), eta2: g.sigma2 };
}

/**
 * @internal The pull-back without argument checks. The VJP of η ↦ ξ is taken as the VJP of (μ, Σ) ↦ ξ at the
 * moments of q followed by the closed-form step (μ, Σ) → η: the same linear map as the VJP of `fromExpectation`, but
 * never evaluated at Σ = η₂ − η₁η₁ᵀ recomputed from η, which cancels catastrophically when |μ|² ≫ ‖Σ‖.
 */
export function pullBack<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, gXi: Gaussian<K>): ExpectationParameters {
  const m = P.unchecked.toMoments(q);
  const [, pullback] = vjp((mm: MomentsOf<GaussianFamily>) => P.unchecked.fromMoments(mm), [m]);
  const [gm] = pullback(P.unchecked.project(gXi)) as [MomentsOf<GaussianFamily>];
  return expectationGradientFromMoments(P.family, m, gm);
}

/**
 * ∂L/∂η from a Euclidean gradient ∂L/∂ξ of a Gaussian q in the parametrisation P: the vector–Jacobian product of
 * η ↦ ξ at η(q) applied to `P.project(dLdXi)`, with the η₂ part symmetric. In natural coordinates this *is* the
 * natural gradient (natgrad_θ = ∂L/∂η); in others, push it forward with {@link naturalGradient}.
 * Options: `validate` (default true) checks the values of q and dLdXi and that the result is finite; structure and
 * shapes are checked either way.
 * @throws {ShapeError} if `dLdXi` does not have q's keys and shapes; validation errors of q (see `P.validate`);
 * {@link @natgrad/core!NonFiniteError} for a non-finite dLdXi or result; {@link @natgrad/core!InvalidArgumentError}
 * for bad options.
 * @example
 * const gEta = expectationGradient(meanCholesky, q, { mu: gMu, L: gL });
 * const thetaNext = { theta1: theta.theta1 - lr * gEta.eta1, ... }  // a natural-parameter step
 */
export function expectationGradient<K extends string>(
  P: Parametrisation<K>,
  q: Gaussian<K>,
  dLdXi: Gaussian<K>,
  options: { validate?: boolean } = {},
): ExpectationParameters {
  const where = 'expectationGradient';
  checkParametrisation(P, where);
  const o = readOptions(where, options, ['validate']);
  const validate = booleanOption(where, 'options.validate', o.validate, true);
  const c = validateGaussian(P, q, where, validate);
  checkDirection(where, 'dLdXi', dLdXi, P.coordinates, c, validate);
  const out = computing(where, INTERMEDIATE, () => pullBack(P, q, dLdXi));
  return validate ? gradientResult(where, 'the result', out, pairCoordinates(P.family, ['eta1', 'eta2']), c) : out;
}

/**
 * @internal The loss and ∂loss/∂η in one reverse pass through (μ, Σ) ↦ ξ. The loss sees exactly q: its argument is
 * `q + (ξ(m) − stopGradient(ξ(m)))`, whose value is q bit for bit while its derivative flows through ξ(m), so the
 * reported loss equals `lossFn(q)` and no round-trip rounding enters it. `lossFn` may return `[loss, aux]`; aux is
 * returned undifferentiated (as `valueAndGrad`'s `hasAux`).
 */
export function lossAndExpectationGradient<K extends string, A = undefined>(
  lossFn: (q: Gaussian<K>) => Value | readonly [Value, A],
  P: Parametrisation<K>,
  q: Gaussian<K>,
  where: string,
): [Value, ExpectationParameters, A] {
  // The library's maps run under `computing` (their failures name the caller); lossFn, the caller's code, does not.
  const m = computing(where, INTERMEDIATE, () => P.unchecked.toMoments(q));
  const [[loss, aux], gm] = valueAndGrad(
    (mm: MomentsOf<GaussianFamily>) => {
      const xi = computing(where, INTERMEDIATE, () => P.unchecked.fromMoments(mm));
      const exact = treeMap((qi: Value, xj: Value) => add(qi, sub(xj, stopGradient(xj))), q, xi) as Gaussian<K>;
      const r = lossFn(exact);
      return Array.isArray(r) ? r : [r, undefined];
    },
    { hasAux: true },
  )(m);
  return [loss as Value, expectationGradientFromMoments(P.family, m, gm as MomentsOf<GaussianFamily>), aux as A];
}
