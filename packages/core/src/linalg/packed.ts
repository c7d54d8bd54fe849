/**
 * Decompositions with several outputs (eigh, qr, svd) are single primitives whose output packs the factors as row
 * blocks of one array; these helpers cut the blocks out again with differentiable slices, so a rule sees ordinary
 * values and the cotangent of an unused factor arrives as zeros. @module
 */
import { reshape, slice } from '../ops/index.js';
import type { IndexSpec } from '../ops/indexing.js';
import type { Value } from '../value.js';

/** Rows `start .. stop − 1` of every matrix of `x` ([..., r, c] → [..., stop − start, c]). */
export function rows(x: Value, start: number, stop: number): Value {
  const index: IndexSpec[] = x.shape.map(() => null);
  index[x.shape.length - 2] = [start, stop];
  return slice(x, ...index);
}

/** Row `i` of every matrix of `x` as a vector ([..., r, c] → [..., c]). */
export function row(x: Value, i: number): Value {
  const r = rows(x, i, i + 1);
  return reshape(r, [...x.shape.slice(0, -2), x.shape[x.shape.length - 1]]);
}

/** Number of matrices in a batch of shape [..., r, c]. */
export function batchCount(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length - 2; i++) n *= shape[i];
  return n;
}

/** Columns `start .. stop − 1` of every matrix of `x` ([..., r, c] → [..., r, stop − start]). */
export function cols(x: Value, start: number, stop: number): Value {
  const index: IndexSpec[] = x.shape.map(() => null);
  index[x.shape.length - 1] = [start, stop];
  return slice(x, ...index);
}
