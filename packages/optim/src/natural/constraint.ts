/** The constraint NaturalGradient backtracks on: every Gaussian block it emits is usable. @module */
import { NatgradError } from '@natgrad/core';
import { type AnyParametrisation, type Gaussian, checkUsable } from '@natgrad/distributions';
import type { Constraint, Params } from '@natgrad/optim';
import { blocksOf } from './blocks.js';
import { checkParametrisation } from './coordinates.js';

/**
 * "A usable Gaussian in `P`", per block: the parametrisation's validation passes, the covariance and the precision
 * factorise in float64 with a margin, the natural and expectation parameters are finite (`checkUsable` of
 * @natgrad/distributions). Structural validity is not enough: (μ, L) with diag(L) = [1e-200, 1] is valid, yet LLᵀ
 * underflows to a singular matrix and θ overflows, so nothing downstream — a density, a KL, the next natural step —
 * could use it. The units are the Gaussian blocks of the tree.
 * @throws {InvalidArgumentError} for something that is not a parametrisation
 */
export function usableGaussian(P: AnyParametrisation): Constraint {
  checkParametrisation('usableGaussian: P', P);
  const keys = P.keys as readonly string[];
  return Object.freeze({
    name: `usableGaussian(${P.name})`,
    units: (params: Params) => [...blocksOf(params, keys).keys()],
    valid(block: Params): boolean {
      try {
        checkUsable(P, block as Gaussian, 'NaturalGradient');
        return true;
      } catch (e) {
        if (e instanceof NatgradError) return false;
        throw e;
      }
    },
  });
}
