/**
 * `defineParametrisation`: a parametrisation from its moment maps alone. Every map that is not given is derived by
 * composing with the family's exponential-family maps, so a user-defined parametrisation (say log-Cholesky) gets
 * conversions, validation, sampling and the natural gradient by automatic differentiation for free.
 * @module
 */
import { type Tensor, type Value, tril } from '@natgrad/core';
import { familyMaps } from './family.js';
import { sym } from './matrix.js';
import { checkGaussian, checkPositiveDefinite, checkSign, checkSymmetric } from './validate.js';
import type {
  CoordinateKind,
  ExpectationParameters,
  Gaussian,
  GaussianFamily,
  MomentsOf,
  NaturalParameters,
  Parametrisation,
} from './types.js';

/** What {@link defineParametrisation} needs: names, coordinates and the moment maps; everything else is optional. */
export interface ParametrisationSpec<K extends string, F extends GaussianFamily> {
  /** Name used in error messages and checkpoints, e.g. `"logCholesky"`. */
  readonly name: string;
  /** `'full'` or `'diagonal'`: decides the moments type and which derived maps are used. */
  readonly family: F;
  /** Shape and constraint of each coordinate; its key order is the parametrisation's `keys`. */
  readonly coordinates: { readonly [k in K]: CoordinateKind };
  /** Required: ξ ↦ (μ, Σ) (or (μ, σ²)), written with core ops so that it differentiates. */
  toMoments(q: Gaussian<K>): MomentsOf<F>;
  /** Required: the inverse map, moments ↦ ξ, written with core ops. */
  fromMoments(m: MomentsOf<F>): Gaussian<K>;
  /** θ ↦ ξ; default: through the moments. Give it directly when speed matters: its JVP is the natural gradient. */
  fromNatural?(theta: NaturalParameters): Gaussian<K>;
  /** ξ ↦ θ; default: through the moments. */
  toNatural?(q: Gaussian<K>): NaturalParameters;
  /** η ↦ ξ (its VJP pulls ∂L/∂ξ back to ∂L/∂η); default: through the moments. */
  fromExpectation?(eta: ExpectationParameters): Gaussian<K>;
  /** ξ ↦ η; default: through the moments. */
  toExpectation?(q: Gaussian<K>): ExpectationParameters;
  /** The Cholesky factor L (full) or σ (diagonal); default: computed from the moments. */
  toScale?(q: Gaussian<K>): Value;
  /**
   * Constraint checks on concrete coordinates, run by `validate` after the structural checks of `coordinates` (keys,
   * shapes, finiteness, symmetry, triangularity, signs). Default: the moments are valid (Σ symmetric positive
   * definite, or σ² > 0). Throw the package's typed errors.
   */
  constraints?(q: { readonly [k in K]: Tensor }, where: string): void;
  /** Tangent-space projection of a gradient; default: by coordinate kind (symmetrise symmetric, `tril` triangular). */
  project?(g: Gaussian<K>): Gaussian<K>;
  /** Optional closed-form natural gradient from ∂L/∂η, used by `method: 'auto' | 'closed-form'`. */
  closedFormNaturalGradient?(q: Gaussian<K>, dLdEta: ExpectationParameters): Gaussian<K>;
  /** Optional closed-form natural gradient from a projected ∂L/∂ξ (F_ξ⁻¹ ∂L/∂ξ written out). */
  closedFormNaturalGradientFromEuclidean?(q: Gaussian<K>, dLdXi: Gaussian<K>): Gaussian<K>;
}

/**
 * Builds a {@link Parametrisation} descriptor. Only `toMoments` and `fromMoments` are required: missing maps go
 * through the moments (e.g. `fromNatural = fromMoments ∘ momentsFromNatural`), and since every map is written with
 * core ops, the natural gradient by automatic differentiation works in the new coordinates unchanged.
 *
 * Give a direct `fromNatural` when speed matters: its JVP is the natural gradient.
 * @example A log-Cholesky parametrisation, Σ = LLᵀ with L = tril(A, −1) + diag(exp(logDiag)):
 * const logCholesky = defineParametrisation({
 *   name: 'logCholesky', family: 'full',
 *   coordinates: { mu: 'vector', logDiag: 'vector', offDiag: 'lower' },
 *   toMoments: ({ mu, logDiag, offDiag }) => {
 *     const L = ops.add(ops.tril(offDiag, -1), ops.diag(ops.exp(logDiag)));
 *     return { mu, Sigma: ops.matmul(L, ops.matrixTranspose(L)) };
 *   },
 *   fromMoments: ({ mu, Sigma }) => {
 *     const L = ops.cholesky(Sigma);
 *     return { mu, logDiag: ops.log(ops.diagonal(L)), offDiag: ops.tril(L, -1) };
 *   },
 * });
 */
export function defineParametrisation<K extends string, F extends GaussianFamily>(
  spec: ParametrisationSpec<K, F>,
): Parametrisation<K, F> {
  const maps = familyMaps(spec.family);
  const keys = Object.freeze(Object.keys(spec.coordinates)) as readonly K[];
  const coordinates = Object.freeze({ ...spec.coordinates });
  const { toMoments, fromMoments } = spec;
  const constraints = spec.constraints ?? ((q: Gaussian<K>, where: string) => checkMoments(spec.family, toMoments(q), where));
  const descriptor: Parametrisation<K, F> = {
    name: spec.name,
    family: spec.family,
    keys,
    coordinates,
    toMoments,
    fromMoments,
    fromNatural: spec.fromNatural ?? ((theta) => fromMoments(maps.momentsFromNatural(theta))),
    toNatural: spec.toNatural ?? ((q) => maps.naturalFromMoments(toMoments(q))),
    fromExpectation: spec.fromExpectation ?? ((eta) => fromMoments(maps.momentsFromExpectation(eta))),
    toExpectation: spec.toExpectation ?? ((q) => maps.expectationFromMoments(toMoments(q))),
    toScale: spec.toScale ?? ((q) => maps.scaleFromMoments(toMoments(q))),
    validate(q, where = spec.name) {
      const checked = checkGaussian(where, q, coordinates);
      constraints(checked.values as { readonly [k in K]: Tensor }, where);
    },
    project: spec.project ?? ((g) => projectByKind(coordinates, g)),
  };
  if (spec.closedFormNaturalGradient) descriptor.closedFormNaturalGradient = spec.closedFormNaturalGradient;
  if (spec.closedFormNaturalGradientFromEuclidean) {
    descriptor.closedFormNaturalGradientFromEuclidean = spec.closedFormNaturalGradientFromEuclidean;
  }
  return Object.freeze(descriptor);
}

/** The default projection: symmetrise symmetric coordinates, mask triangular ones, keep the rest. */
export function projectByKind<K extends string>(coordinates: { readonly [k in K]: CoordinateKind }, g: Gaussian<K>): Gaussian<K> {
  const out = {} as Record<K, Value>;
  for (const k of Object.keys(coordinates) as K[]) {
    const kind = coordinates[k];
    out[k] = kind === 'symmetric' ? sym(g[k]) : kind === 'lower' || kind === 'cholesky' ? tril(g[k]) : g[k];
  }
  return out;
}

/** Default constraint: the moments describe a proper Gaussian. */
function checkMoments<F extends GaussianFamily>(family: F, m: MomentsOf<F>, where: string): void {
  if (family === 'full') {
    const sigma = (m as MomentsOf<'full'>).Sigma as Tensor;
    checkSymmetric(where, 'the covariance Σ', sigma);
    checkPositiveDefinite(where, 'the covariance Σ', sigma);
  } else {
    checkSign(where, 'the variance σ²', (m as MomentsOf<'diagonal'>).sigma2 as Tensor, 1);
  }
}
