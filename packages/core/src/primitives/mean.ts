import { asValue } from '../convert.js';
import { normalizeAxes } from '../shape.js';
import type { ArrayInput, Result } from '../value.js';
import { div } from './div.js';
import { sum } from './sum.js';

/**
 * Arithmetic mean over `axis` (an axis, a list, or all when omitted), as `jnp.mean`: the sum divided by the number
 * of reduced elements (NaN for an empty reduction, as NumPy).
 * @param keepdims keep reduced axes with extent 1
 */
export function mean<T extends ArrayInput>(x: T, axis?: number | readonly number[], keepdims = false): Result<T> {
  const v = asValue(x);
  const axes = normalizeAxes(axis, v.shape.length, 'mean');
  let count = 1;
  for (const a of axes) count *= v.shape[a];
  return div(sum(v, axes, keepdims), count) as Result<T>;
}
