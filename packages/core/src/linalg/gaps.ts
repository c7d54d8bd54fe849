/**
 * The reciprocal gaps 1/(λⱼ − λᵢ) of the eigenvector and singular-vector derivative rules, with degenerate pairs
 * masked out. @module
 */
import { primalValue } from '../ad/trace.js';
import { div, expandDims, sub, where } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';

const EPS = 2 ** -52;

/**
 * Two eigenvalues (or singular values) of one matrix closer than this many `n·ε·max|λ|` are taken as equal, i.e.
 * as split only by round-off: a backward-stable solver returns the members of an exactly repeated eigenvalue
 * within a few n·ε·‖A‖ of each other (measured splits stay below 4·n·ε·‖A‖ in the tests).
 */
export const DEGENERACY_FACTOR = 16;

/**
 * 1 where the values i and j of the same vector of `x` ([..., n]) are degenerate (|xᵢ − xⱼ| ≤ DEGENERACY_FACTOR · n ·
 * ε · max|x|, the diagonal included), 0 elsewhere: a constant [..., n, n] computed from the primal values.
 */
export function degeneratePairs(x: Value): Tensor {
  const v = primalValue(x);
  const n = v.shape[v.shape.length - 1];
  const nb = n === 0 ? 0 : v.data.length / n;
  const out = new Float64Array(nb * n * n);
  for (let b = 0; b < nb; b++) {
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(v.data[b * n + i]));
    const tol = DEGENERACY_FACTOR * n * EPS * big;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        out[(b * n + i) * n + j] = Math.abs(v.data[b * n + i] - v.data[b * n + j]) <= tol ? 1 : 0;
      }
    }
  }
  return new Tensor(out, [...v.shape, n]);
}

/** `xⱼ − xᵢ` at [..., i, j] for a batch of vectors `x` ([..., n]). */
export function pairwiseDifferences(x: Value): Value {
  return sub(expandDims(x, -2), expandDims(x, -1));
}

/**
 * `1/d` where `mask` is 0 and exactly 0 where it is 1, written so that neither branch produces a NaN or infinite
 * derivative (the masked denominator is replaced by 1 before dividing: JAX's double-`where`).
 */
export function maskedReciprocal(d: Value, mask: Tensor): Value {
  return where(mask, 0, div(1, where(mask, 1, d)));
}
