/**
 * `defineParametrisation`: a parametrisation from its moment maps alone. Every map that is not given is derived by
 * composing with the family's exponential-family maps, so a user-defined parametrisation (say log-Cholesky) gets
 * conversions, validation, sampling and the natural gradient by automatic differentiation for free — and the same
 * checked maps as the built-ins (see `checked-maps.ts`).
 * @module
 */
import { InvalidArgumentError, type Tensor, type Value, tril } from '@natgrad/core';
import { checkFinite } from './arguments.js';
import { checkedMaps } from './checked-maps.js';
import { describeValue } from './describe.js';
import { familyMaps } from './family.js';
import { sym } from './matrix.js';
import { register } from './registry.js';
import { spaces } from './spaces.js';
import { readSpec } from './spec.js';
import { readTree } from './structure.js';
import type {
  CoordinateKind,
  ExpectationParameters,
  Gaussian,
  GaussianFamily,
  MomentsOf,
  NaturalParameters,
  Parametrisation,
  ParametrisationMaps,
} from './types.js';
import { checkGaussian, checkPositiveDefinite, checkSign, checkSymmetric } from './validate.js';

/** What {@link defineParametrisation} needs: names, coordinates and the moment maps; everything else is optional. */
export interface ParametrisationSpec<K extends string, F extends GaussianFamily> {
  /** Name used in error messages and checkpoints, e.g. `"logCholesky"` (1 to 200 characters). */
  readonly name: string;
  /** `'full'` or `'diagonal'`: decides the moments type and which derived maps are used. */
  readonly family: F;
  /**
   * Shape and constraint of each coordinate; its key order is the parametrisation's `keys`. 1 to 16 coordinates,
   * named like identifiers (and not like a member of `Object.prototype`); the diagonal family takes only vector
   * kinds (`'vector'`, `'positive'`, `'negative'`).
   */
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
   * shapes, finiteness, symmetry, triangularity, signs). Default: the moments are valid (finite, Σ symmetric positive
   * definite, or σ² > 0). Throw the package's typed errors; `label` is what the caller calls q (`"q"`, `"p"`,
   * `"prior"`), for messages such as `` `${label}.S` ``.
   */
  constraints?(q: { readonly [k in K]: Tensor }, where: string, label: string): void;
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
 * The descriptor's maps validate their arguments and results like the built-ins' do; `P.unchecked` holds the bare
 * maps (see {@link Parametrisation}). Give a direct `fromNatural` when speed matters: its JVP is the natural gradient.
 * @throws {@link @natgrad/core!InvalidArgumentError} if `spec` is not a plain object of the documented members (an
 * unknown member, a missing or non-function map, a bad name, family, coordinate name or kind).
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
  const s = readSpec(spec);
  const { name, family } = s;
  const coordinates = s.coordinates as { readonly [k in K]: CoordinateKind };
  const keys = Object.freeze(Object.keys(coordinates)) as readonly K[];
  const maps = familyMaps(family);
  const toMoments = spec.toMoments;
  const fromMoments = spec.fromMoments;
  const unchecked: ParametrisationMaps<K, F> = {
    toMoments,
    fromMoments,
    fromNatural: s.fromNatural ?? ((theta) => fromMoments(maps.momentsFromNatural(theta) as MomentsOf<F>)),
    toNatural: s.toNatural ?? ((q) => maps.naturalFromMoments(toMoments(q))),
    fromExpectation: s.fromExpectation ?? ((eta) => fromMoments(maps.momentsFromExpectation(eta) as MomentsOf<F>)),
    toExpectation: s.toExpectation ?? ((q) => maps.expectationFromMoments(toMoments(q))),
    toScale: s.toScale ?? ((q) => maps.scaleFromMoments(toMoments(q))),
    project: s.project ?? ((g) => projectByKind(coordinates, g)),
  };
  if (s.closedFormNaturalGradient) unchecked.closedFormNaturalGradient = s.closedFormNaturalGradient;
  if (s.closedFormNaturalGradientFromEuclidean) {
    unchecked.closedFormNaturalGradientFromEuclidean = s.closedFormNaturalGradientFromEuclidean;
  }
  Object.freeze(unchecked);
  const constraints =
    s.constraints ??
    ((q: { readonly [k in K]: Tensor }, where: string, label: string) => checkMoments(family, unchecked.toMoments(q), where, label));
  const check = (where: string, q: unknown, values: boolean, label = 'q') => {
    if (!values) return readTree(where, q, coordinates, label);
    const c = checkGaussian(where, q, coordinates, label);
    constraints(c.values as { readonly [k in K]: Tensor }, where, label);
    return c;
  };
  const descriptor: Parametrisation<K, F> = {
    name,
    family,
    keys,
    coordinates,
    unchecked,
    ...checkedMaps(name, family, coordinates, unchecked, check),
    validate(q, where = name) {
      if (typeof where !== 'string') {
        throw new InvalidArgumentError(`${name}.validate: where must be a string, got ${describeValue(where)}`);
      }
      check(where, q, true);
    },
  };
  Object.freeze(descriptor);
  register(descriptor, { check });
  return descriptor;
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

/** Default constraint: the moments (as the spec's `toMoments` computes them) describe a proper Gaussian. */
function checkMoments<F extends GaussianFamily>(family: F, moments: MomentsOf<F>, where: string, label: string): void {
  const m = readTree(where, moments, spaces[family].moments.coordinates, `the moments of ${label}`).values;
  checkFinite(`${where}: the mean μ`, m.mu);
  if (family === 'full') {
    checkSymmetric(where, 'the covariance Σ', m.Sigma);
    checkPositiveDefinite(where, 'the covariance Σ', m.Sigma);
  } else {
    checkFinite(`${where}: the variance σ²`, m.sigma2);
    checkSign(where, 'the variance σ²', m.sigma2, 1);
  }
}
