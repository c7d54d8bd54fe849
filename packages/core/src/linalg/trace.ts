import { toValue } from '../convert.js';
import { sum } from '../ops/reductions.js';
import type { ArrayInput, Result } from '../value.js';
import { diagonal } from './diagonal.js';
import { squareOrder } from './shapes.js';

/** Trace of each square matrix: `a` of shape [..., n, n] gives [...] (sum of the main diagonal). */
export function trace<T extends ArrayInput>(a: T): Result<T> {
  const v = toValue(a, 'trace', 'a');
  squareOrder(v.shape, 'trace');
  return sum(diagonal(v), -1) as Result<T>;
}
