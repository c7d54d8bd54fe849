/** Axis permutations and reversals. @module */
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { describeValue, formatList } from '../describe.js';
import { InvalidArgumentError } from '../errors.js';
import * as lax from '../lax.js';
import { flipPrim } from '../primitives/flip.js';
import { normalizeAxes } from '../shape.js';
import type { ArrayInput, Result } from '../value.js';

/** Permutes axes (`jnp.transpose`): output axis i is input axis `axes[i]`; without `axes`, reverses them. */
export function transpose<T extends ArrayInput>(x: T, axes?: readonly number[]): Result<T> {
  const v = toValue(x, 'transpose', 'x');
  const nd = v.shape.length;
  if (axes === undefined) return lax.transpose(v, Array.from({ length: nd }, (_, i) => nd - 1 - i)) as Result<T>;
  if (!Array.isArray(axes)) {
    throw new InvalidArgumentError(`transpose: axes must be an array of integers, got ${describeValue(axes)}`);
  }
  const perm = axes.map((a: unknown) => (typeof a === 'number' && a < 0 ? a + nd : a));
  const seen = new Set(perm);
  if (perm.length !== nd || seen.size !== nd || perm.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= nd)) {
    throw new InvalidArgumentError(`transpose: ${formatList(axes)} is not a permutation of ${nd} axes`);
  }
  return lax.transpose(v, Object.freeze(perm as number[])) as Result<T>;
}

/** Swaps the last two axes (`x.mT` in NumPy): a batch of matrix transposes. */
export function matrixTranspose<T extends ArrayInput>(x: T): Result<T> {
  const v = toValue(x, 'matrixTranspose', 'x');
  const nd = v.shape.length;
  if (nd < 2) throw new InvalidArgumentError(`matrixTranspose: needs rank ≥ 2, got rank ${nd}`);
  return lax.matrixTranspose(v) as Result<T>;
}

/**
 * Reverses the order of the elements along `axis` (an axis, a list, or all when omitted or null), as `jnp.flip`.
 * @example flip([[1, 2], [3, 4]], 1) // [[2, 1], [4, 3]]
 */
export function flip<T extends ArrayInput>(x: T, axis?: number | readonly number[] | null): Result<T> {
  const v = toValue(x, 'flip', 'x');
  const axes = normalizeAxes(axis, v.shape.length, 'flip').filter((a) => v.shape[a] > 1);
  return (axes.length === 0 ? v : bind(flipPrim, [v], { axes })) as Result<T>;
}
