/**
 * The reciprocal gaps 1/(λⱼ − λᵢ) of the eigenvector and singular-vector derivative rules, with degenerate pairs
 * masked out. @module
 */
import { primalValue } from '../ad/trace.js';
import { div, expandDims, sub, where } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { NotDifferentiableError } from './errors.js';

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

/**
 * For every value j of every vector of `values` ([..., k]): the index of another value it is degenerate with (the
 * first, by `pairs` from {@link degeneratePairs}), −2 if it is flagged by `zero` (a singular value whose vectors
 * need 1/sⱼ), or −1 if its vectors have a derivative.
 */
export function degenerateColumns(pairs: Tensor, zero: Tensor | null): Int32Array {
  const k = pairs.shape[pairs.shape.length - 1];
  const out = new Int32Array(k === 0 ? 0 : pairs.data.length / k).fill(-1);
  for (let q = 0; q < out.length; q++) {
    const b = Math.floor(q / k), j = q - b * k;
    for (let i = 0; i < k; i++) {
      if (i !== j && pairs.data[(b * k + i) * k + j] !== 0) {
        out[q] = i;
        break;
      }
    }
    if (out[q] === -1 && zero !== null && zero.data[q] !== 0) out[q] = -2;
  }
  return out;
}

function reject(columns: Int32Array, q: number, k: number, values: Value, where: string, what: string): never {
  const b = Math.floor(q / k), j = q - b * k, partner = columns[q];
  const v = primalValue(values).data;
  if (partner === -2) {
    throw new NotDifferentiableError(where, b, [j], `${what} ${j} is zero (${v[q]}), and its vectors in a non-square factor are not determined`);
  }
  const [i, l] = partner < j ? [partner, j] : [j, partner];
  throw new NotDifferentiableError(
    where, b, [i, l],
    `${what}s ${i} and ${l} are equal to round-off (${v[b * k + i]}, ${v[b * k + l]}), so their vectors have no derivative`,
  );
}

/** Forward mode: a tangent of the vectors exists only if no value is flagged (any flagged one would be used). */
export function rejectDegenerate(columns: Int32Array, values: Value, where: string, what: string): void {
  const k = values.shape[values.shape.length - 1];
  for (let q = 0; q < columns.length; q++) if (columns[q] !== -1) reject(columns, q, k, values, where, what);
}

/**
 * Reverse mode: the vectors of a flagged value must not carry a cotangent — every column j of each cotangent in
 * `bars` ([..., r, k]) that belongs to a flagged value must be exactly zero (it is when only the values, or only
 * vectors of distinct values, are used).
 */
export function rejectUsedDegenerate(columns: Int32Array, values: Value, bars: readonly Value[], where: string, what: string): void {
  const k = values.shape[values.shape.length - 1];
  for (let q = 0; q < columns.length; q++) {
    if (columns[q] === -1) continue;
    const b = Math.floor(q / k), j = q - b * k;
    for (const bar of bars) {
      const d = primalValue(bar).data, r = bar.shape[bar.shape.length - 2];
      for (let i = 0; i < r; i++) if (d[(b * r + i) * k + j] !== 0) reject(columns, q, k, values, where, what);
    }
  }
}
