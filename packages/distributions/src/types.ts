/**
 * The shapes of things: Gaussians as plain trees of arrays, their moments, natural and expectation parameters, and
 * the {@link Parametrisation} descriptor every map goes through.
 * @module
 */
import type { Value } from '@natgrad/core';

/** `'full'`: any covariance, matrices [..., D, D]. `'diagonal'`: mean-field, every coordinate a vector [..., D]. */
export type GaussianFamily = 'full' | 'diagonal';

/**
 * Shape and constraint of one coordinate (D is the dimension, `...` the batch axes shared by all coordinates):
 * - `'vector'`: [..., D], unconstrained (μ, θ₁, log σ);
 * - `'positive'` / `'negative'`: [..., D] with entries > 0 (σ²) or < 0 (diagonal θ₂);
 * - `'symmetric'`: [..., D, D] symmetric (Σ, Λ, θ₂, η₂); its gradient is symmetrised ½(G + Gᵀ);
 * - `'lower'`: [..., D, D] lower triangular, any diagonal (the off-diagonal part of a log-Cholesky factor);
 * - `'cholesky'`: [..., D, D] lower triangular with a positive diagonal (L with Σ = LLᵀ).
 * For `'lower'` and `'cholesky'` only the D(D+1)/2 entries on and below the diagonal are parameters, so gradients and
 * directions are masked with `tril`.
 */
export type CoordinateKind = 'vector' | 'positive' | 'negative' | 'symmetric' | 'lower' | 'cholesky';

/** A Gaussian (or a batch of them) in some parametrisation: a plain object of arrays, e.g. `{ mu, L }`. */
export type Gaussian<K extends string = string> = { readonly [k in K]: Value };

/** Moments of the full family: mean μ [..., D] and covariance Σ [..., D, D]. */
export interface FullMoments {
  /** Mean μ [..., D]. */
  readonly mu: Value;
  /** Covariance Σ [..., D, D], symmetric positive definite. */
  readonly Sigma: Value;
}

/** Moments of the diagonal family: mean μ [..., D] and variances σ² [..., D] (Σ = diag(σ²)). */
export interface DiagonalMoments {
  /** Mean μ [..., D]. */
  readonly mu: Value;
  /** Variances σ² [..., D], all > 0. */
  readonly sigma2: Value;
}

/** The moments type of a family. */
export type MomentsOf<F extends GaussianFamily> = F extends 'full' ? FullMoments : DiagonalMoments;

/**
 * Natural parameters θ = (Σ⁻¹μ, −½Σ⁻¹) (MATH.md); for the diagonal family θ₂ = −1/(2σ²) is a vector.
 * A gradient with respect to η has this same structure after renaming, since θ and η pair by the Frobenius product.
 */
export interface NaturalParameters {
  /** θ₁ = Σ⁻¹μ [..., D]. */
  readonly theta1: Value;
  /** θ₂ = −½Σ⁻¹ [..., D, D] (diagonal family: −1/(2σ²) [..., D]), negative definite. */
  readonly theta2: Value;
}

/** Expectation parameters η = (μ, Σ + μμᵀ); for the diagonal family η₂ = σ² + μ² is a vector. */
export interface ExpectationParameters {
  /** η₁ = E[x] = μ [..., D]. */
  readonly eta1: Value;
  /** η₂ = E[xxᵀ] = Σ + μμᵀ [..., D, D] (diagonal family: σ² + μ² [..., D]). */
  readonly eta2: Value;
}

/**
 * The maps of a parametrisation, written with core ops so that they differentiate in forward and reverse mode and
 * work on batches (μ [..., D], matrices [..., D, D]). As members of a {@link Parametrisation} they are checked; as
 * members of its `unchecked` record they are the bare maps.
 */
export interface ParametrisationMaps<K extends string = string, F extends GaussianFamily = GaussianFamily> {
  /** (μ, Σ), or (μ, σ²) for the diagonal family. */
  toMoments(q: Gaussian<K>): MomentsOf<F>;
  /** Inverse of `toMoments`: the coordinates of the Gaussian with these moments. */
  fromMoments(m: MomentsOf<F>): Gaussian<K>;
  /** θ ↦ ξ. Its JVP at θ(q) applied to ∂L/∂η is the natural gradient in ξ (MATH.md), so it is written for speed. */
  fromNatural(theta: NaturalParameters): Gaussian<K>;
  /** ξ ↦ θ = (Σ⁻¹μ, −½Σ⁻¹), the inverse of `fromNatural`. */
  toNatural(q: Gaussian<K>): NaturalParameters;
  /** η ↦ ξ. Its VJP pulls a Euclidean gradient ∂L/∂ξ back to ∂L/∂η. */
  fromExpectation(eta: ExpectationParameters): Gaussian<K>;
  /** ξ ↦ η = (μ, Σ + μμᵀ), the inverse of `fromExpectation`. */
  toExpectation(q: Gaussian<K>): ExpectationParameters;
  /** A square root of the covariance: the lower Cholesky factor L [..., D, D] (full), or σ [..., D] (diagonal). */
  toScale(q: Gaussian<K>): Value;
  /**
   * Maps a raw gradient or direction onto the tangent space: ½(G + Gᵀ) for symmetric coordinates, `tril` for
   * triangular ones, identity otherwise. Linear and idempotent.
   */
  project(g: Gaussian<K>): Gaussian<K>;
  /** Natural gradient in ξ from a (symmetrised) ∂L/∂η, in closed form (the JVP of θ ↦ ξ written out). */
  closedFormNaturalGradient?(q: Gaussian<K>, dLdEta: ExpectationParameters): Gaussian<K>;
  /** Natural gradient in ξ from a (projected) Euclidean gradient ∂L/∂ξ, in closed form (F_ξ⁻¹ ∂L/∂ξ written out). */
  closedFormNaturalGradientFromEuclidean?(q: Gaussian<K>, dLdXi: Gaussian<K>): Gaussian<K>;
}

/**
 * A parametrisation of the Gaussian: a frozen descriptor of pure maps (see {@link ParametrisationMaps}). Build your
 * own with {@link defineParametrisation}; the built-ins are {@link meanCovariance}, {@link meanCholesky},
 * {@link meanLogCholesky}, {@link natural}, {@link expectation}, {@link meanPrecision}, {@link diagonal},
 * {@link diagonalNatural}, {@link diagonalExpectation} and {@link diagonalLogScale}.
 *
 * **Checked maps.** Every map called on the descriptor (`P.toMoments(q)`, `P.fromNatural(theta)`, …) validates its
 * argument first — structure, finiteness and constraints, on primal values, so inside `grad`/`jvp` too — and checks
 * that its result is finite; failures are typed errors naming the map (`"meanCholesky.toMoments"`), the argument and
 * the entry. The same maps without any check are in `P.unchecked`: the fast path for code that has validated its
 * input once (an optimiser's inner loop, a map inside a function you differentiate many times). They do no argument
 * checks at all: invalid input gives unspecified results (NaN, or an untyped error).
 */
export interface Parametrisation<K extends string = string, F extends GaussianFamily = GaussianFamily>
  extends ParametrisationMaps<K, F> {
  /** Name used in error messages and checkpoints, e.g. `"meanCholesky"`. */
  readonly name: string;
  /** Which family it covers: `'full'` (any covariance) or `'diagonal'` (mean-field). */
  readonly family: F;
  /** The coordinates of a Gaussian in this parametrisation, e.g. `['mu', 'L']`. */
  readonly keys: readonly K[];
  /** Shape and constraint of each coordinate (a frozen null-prototype record in the order of `keys`). */
  readonly coordinates: { readonly [k in K]: CoordinateKind };
  /**
   * The same maps without argument or result checks (frozen). Only for inputs known to be valid, e.g. just checked
   * with `validate`; see {@link Parametrisation}.
   */
  readonly unchecked: ParametrisationMaps<K, F>;
  /**
   * Checks structure and constraints on concrete values (tracers are unwrapped with `primalValue`): q must be a plain
   * object (null prototype allowed) with exactly the keys as own data properties. This is the mathematical validity
   * of q; whether float64 can compute with it is {@link checkUsable}.
   * @param where prefix of error messages (default: the parametrisation's name).
   * @throws {ShapeError} missing/unknown keys or inconsistent shapes; {@link @natgrad/core!NonFiniteError};
   * {@link NotSymmetricError}; {@link InvalidParameterError}; {@link @natgrad/core!NotPositiveDefiniteError};
   * {@link @natgrad/core!InvalidArgumentError} for a non-tensor coordinate or a non-string `where`.
   */
  validate(q: Gaussian<K>, where?: string): void;
}

/** Any parametrisation (used where the key set does not matter). */
export type AnyParametrisation = Parametrisation<any, GaussianFamily>;

/** The Gaussian type of a parametrisation, e.g. `GaussianOf<typeof meanCholesky>` is `{ mu, L }`. */
export type GaussianOf<P> = P extends Parametrisation<infer K, GaussianFamily> ? Gaussian<K> : never;
