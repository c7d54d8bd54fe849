/**
 * `NaturalGradient(inner, …)`: natural-gradient steps for Gaussian blocks of the parameter tree, with the maths
 * delegated to @natgrad/distributions, the step size (or any other rule) to `inner`, the coordinates to a transform
 * object (`naturalCoordinates`, `nativeCoordinates`), and the guarantee that every emitted block is a usable Gaussian
 * to the generic `backtrack` wrapper.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';
import { type AnyRule, type BacktrackState, type Rule, type RuleConstructor, backtrack, checkOptions, checkRule, defineTreeRule, integer } from '@natgrad/optim';
import { usableGaussian } from './constraint.js';
import { type Coordinates, isCoordinates, nativeCoordinates, naturalCoordinates } from './coordinates.js';
import { innerTemplate, naturalStep } from './natural-step.js';
import { parametrisationByName, parametrisationNames } from './parametrisations.js';

/** Options of {@link NaturalGradient}. */
export interface NaturalGradientOptions {
  /**
   * Where the step is taken: `naturalCoordinates(P)` (default, with P = `meanCholesky`: θ' = θ − step(∂L/∂η), then
   * q' = ξ(θ') — one step of size 1 is exact for conjugate models), `naturalCoordinates(P, { riemannian: true })`, or
   * `nativeCoordinates(P)` (q' = q − step(natgrad_ξ)). P is the parametrisation the blocks are stored in.
   */
  readonly coordinates?: Coordinates;
  /** Halvings tried when a candidate is not a usable Gaussian (default 10); after that the step is rejected. */
  readonly maxHalvings?: number;
  /**
   * Rejected steps in a row that a block may have before `update` throws `TooManyRejectedStepsError` (default 10): a
   * block whose every step is rejected is stuck, and a run must not go on silently.
   */
  readonly maxConsecutiveRejections?: number;
}

/**
 * State of {@link NaturalGradient}: backtracking counters (by block path) and the inner rule's state (in natural
 * coordinates keyed by `…theta1` / `…theta2` paths).
 */
export type NaturalGradientState = BacktrackState;

const OPTIONS = ['coordinates', 'maxHalvings', 'maxConsecutiveRejections'];

/** The coordinates a description names. */
function coordinatesOf(options: Readonly<Record<string, unknown>>): Coordinates {
  const name = options.parametrisation;
  const P = typeof name === 'string' ? parametrisationByName(name) : undefined;
  if (P === undefined) {
    throw new InvalidArgumentError(`NaturalGradient: unknown parametrisation ${JSON.stringify(name)} (known: ${parametrisationNames().join(', ')}; see registerParametrisation)`);
  }
  if (typeof options.riemannian !== 'boolean') throw new InvalidArgumentError(`NaturalGradient: riemannian must be a boolean, got ${typeof options.riemannian}`);
  if (options.coordinates === 'natural') return naturalCoordinates(P, { riemannian: options.riemannian });
  if (options.coordinates !== 'native') throw new InvalidArgumentError(`NaturalGradient: coordinates must be 'natural' or 'native', got ${JSON.stringify(options.coordinates)}`);
  if (options.riemannian) throw new InvalidArgumentError('NaturalGradient: riemannian requires natural coordinates');
  return nativeCoordinates(P);
}

/**
 * `NaturalGradient(inner, { coordinates = naturalCoordinates(meanCholesky), maxHalvings = 10,
 * maxConsecutiveRejections = 10 })`: a rule for a Gaussian block `q` (e.g. `{ mu, L }`) or a tree of such blocks. It
 * turns the Euclidean gradient of each block into its natural gradient in `coordinates` and hands that to `inner` as
 * the gradient, e.g. `NaturalGradient(Descent(1))` (one exact step on a conjugate model) or
 * `NaturalGradient(IncreasingRate(1, 0.5))` (a warm-up reaching half the full step after ln 2 / 0.5 ≈ 1.4 updates).
 *
 * Every emitted block is usable: `backtrack` validates the parameters `param − step` (computed with the same
 * arithmetic as `update`) with `checkUsable` — the parametrisation's validation, a Cholesky of the covariance and of
 * the precision with a margin, finite natural and expectation parameters. A step that fails is halved (in the inner
 * coordinates: θ − 2⁻ʰ·step) up to `maxHalvings` times, each halving reported by a `'backtrack'` event and counted in
 * the state; if none works the block keeps its value and a `'step-rejected'` event is emitted. The inner rule's state
 * advances as it computed it. A block that is only partly present — part of it frozen, or without a gradient this
 * step — is not stepped. Combine with `partition` for "natural steps for q, Adam for the hyperparameters"; in a
 * `chain` it must come last (its step is validated as it is).
 *
 * A checkpoint names the parametrisation: a user-defined one must be registered (`registerParametrisation`) in the
 * process that loads it.
 * @throws {HyperparameterError} for a bad `maxHalvings` or `maxConsecutiveRejections`; {@link InvalidArgumentError}
 * for an `inner` that is not a rule, an unknown option, or coordinates that are not a `Coordinates` object;
 * `ShapeError` (at setup) for a parameter outside any block or a block whose shapes are not one Gaussian's (μ [D]
 * with L [D, D]); `TooManyRejectedStepsError` (from `update`) for a stuck block
 */
export const NaturalGradient: RuleConstructor<[inner: AnyRule, options?: NaturalGradientOptions], NaturalGradientState> = /* @__PURE__ */ defineTreeRule({
  name: 'NaturalGradient',
  hyperparams: { maxHalvings: integer(0), maxConsecutiveRejections: integer(0) },
  options: { parametrisation: meanCholesky.name, coordinates: 'natural', riemannian: false },
  children: 1,
  args: (inner: AnyRule, options: NaturalGradientOptions = {}) => {
    checkRule('NaturalGradient: inner', inner);
    checkOptions('NaturalGradient', options, OPTIONS);
    const c = options.coordinates ?? naturalCoordinates();
    if (!isCoordinates(c)) throw new InvalidArgumentError('NaturalGradient: coordinates must be naturalCoordinates(P) or nativeCoordinates(P)');
    return {
      hyperparams: { maxHalvings: options.maxHalvings ?? 10, maxConsecutiveRejections: options.maxConsecutiveRejections ?? 10 },
      options: { parametrisation: c.parametrisation.name, coordinates: c.kind, riemannian: c.riemannian },
      children: [inner],
      extras: c,
    };
  },
  create: (values) => {
    const inner = checkRule('NaturalGradient: inner', values.children[0]);
    const coords = isCoordinates(values.extras) ? values.extras : coordinatesOf(values.options);
    const b = backtrack(naturalStep(inner, coords), usableGaussian(coords.parametrisation), {
      maxHalvings: values.hyperparams.maxHalvings as number,
      maxConsecutiveRejections: values.hyperparams.maxConsecutiveRejections as number,
    });
    return {
      handlesNonFinite: inner.handlesNonFinite,
      terminal: true,
      init: b.init,
      apply: b.apply,
      checkState: b.checkState,
      bind(this: Rule<BacktrackState>, param) {
        const bound = inner.bind ? inner.bind(innerTemplate(param, coords)) : inner;
        return bound === inner ? this : (NaturalGradient.definition.create({ ...values, children: [bound] }) as Rule<BacktrackState>);
      },
    };
  },
});
