/**
 * The three coordinate systems every parametrisation is defined against — moments (μ, Σ) or (μ, σ²), natural
 * parameters θ and expectation parameters η — as checkable spaces: their coordinates and the constraint that makes a
 * point of them a proper Gaussian (MATH.md). The checked maps validate their inputs here; `natural`, `expectation`,
 * `meanCovariance` and the diagonal descriptors use the same constraints for their own coordinates.
 * @module
 */
import { type Tensor, mul, square, sub } from '@natgrad/core';
import { outerBatch } from './matrix.js';
import { type CheckedGaussian } from './structure.js';
import type { CoordinateKind, GaussianFamily } from './types.js';
import { checkGaussian, checkPositiveDefinite, checkSign } from './validate.js';

/** A coordinate system of a family: its coordinates and the constraint on their concrete values. */
export interface Space {
  /** Shape and constraint of each coordinate (structure, finiteness and kinds are checked from these). */
  readonly coordinates: Readonly<Record<string, CoordinateKind>>;
  /** The remaining constraint, on concrete values that passed the kind checks; `label` names the tree. */
  constraints(x: Readonly<Record<string, Tensor>>, where: string, label: string): void;
}

const none = (): void => {};

/** The moments, natural and expectation spaces of both families. */
export const spaces: { readonly [F in GaussianFamily]: { readonly moments: Space; readonly natural: Space; readonly expectation: Space } } = {
  full: {
    moments: {
      coordinates: { mu: 'vector', Sigma: 'symmetric' },
      constraints: (m, where, label) => checkPositiveDefinite(where, `${label}.Sigma`, m.Sigma),
    },
    natural: {
      coordinates: { theta1: 'vector', theta2: 'symmetric' },
      constraints: (t, where, label) =>
        checkPositiveDefinite(where, `${label}.theta2 (−2θ₂ = Σ⁻¹ must be positive definite)`, mul(t.theta2, -2) as Tensor),
    },
    expectation: {
      coordinates: { eta1: 'vector', eta2: 'symmetric' },
      constraints: (e, where, label) =>
        checkPositiveDefinite(
          where,
          `${label}.eta2 − ${label}.eta1 ${label}.eta1ᵀ (the covariance)`,
          sub(e.eta2, outerBatch(e.eta1, e.eta1)) as Tensor,
        ),
    },
  },
  diagonal: {
    moments: { coordinates: { mu: 'vector', sigma2: 'positive' }, constraints: none },
    natural: { coordinates: { theta1: 'vector', theta2: 'negative' }, constraints: none },
    expectation: {
      coordinates: { eta1: 'vector', eta2: 'vector' },
      constraints: (e, where, label) =>
        checkSign(where, `${label}.eta2 − ${label}.eta1² (the variance)`, sub(e.eta2, square(e.eta1)) as Tensor, 1),
    },
  },
};

/** Validates `x` as a point of `space` (structure, finiteness, kinds, constraint); `label` names it in messages. */
export function checkIn(space: Space, where: string, x: unknown, label: string): CheckedGaussian {
  const c = checkGaussian(where, x, space.coordinates, label);
  space.constraints(c.values, where, label);
  return c;
}
