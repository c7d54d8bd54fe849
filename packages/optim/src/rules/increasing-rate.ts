/** IncreasingRate: a per-parameter step size that rises from 0 towards α (natural-gradient warm-up). @module */
import { defineRule } from '../define-rule.js';
import { COUNTER } from '../domain.js';
import { nonNegative } from '../validate.js';
import { scaled } from './descent.js';

/** IncreasingRate state: the number of updates this parameter has had. */
export type IncreasingRateState = {
  /** Updates of this parameter so far (the t of the next step's rate α(1 − e^(−γt))). */
  readonly t: number;
};

/**
 * `IncreasingRate(alpha = 1, gamma = 1e-8)`: at the t-th update of a parameter (t = 0, 1, …) the step is
 * g · α(1 − e^(−γt)), so the first step is 0 and the rate tends to α (MATH.md: α = 0.1, γ = 0.1 gives 0.009516 at
 * t = 1). Computed as −α·expm1(−γt): with a small γ, 1 − e^(−γt) would lose digits to cancellation.
 *
 * How long the warm-up takes: the rate reaches half of α at t = ln 2 / γ and 95 % at t = ln 20 / γ ≈ 3/γ. So
 * `IncreasingRate(1, 0.5)` is at half the full natural step after ≈ 1.4 updates and near it after 6, while the
 * default γ = 1e-8 (kept from the seed code) needs ≈ 7·10⁷ updates to reach half: the rate is ≈ α·γ·t, almost no
 * step at all. Choose γ ≈ 3 / (the number of warm-up updates you want), e.g. γ = 0.1 for about 30.
 * @throws {HyperparameterError} unless α ≥ 0 and γ ≥ 0
 */
export const IncreasingRate = defineRule({
  name: 'IncreasingRate',
  hyperparams: (alpha = 1, gamma = 1e-8) => ({ alpha, gamma }),
  check: { alpha: nonNegative, gamma: nonNegative },
  domain: { t: COUNTER },
  init: (): IncreasingRateState => ({ t: 0 }),
  apply: (s, _p, g, h) => [{ t: s.t + 1 }, scaled(g, -h.alpha * Math.expm1(-h.gamma * s.t))],
});
