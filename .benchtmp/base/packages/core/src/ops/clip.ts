/** Clipping to bounds. @module */
import { toValue } from '../convert.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { maximum, minimum } from './arithmetic.js';

/**
 * Limits `x` to `[lo, hi]` elementwise with broadcasting, as `jnp.clip`: `minimum(maximum(x, lo), hi)`, so `hi` wins
 * when `lo > hi`, NaN propagates, and at a bound the derivative is split ½/½ with it (JAX's tie rule). A bound that is
 * `null` or omitted is not applied.
 */
export function clip<
  T extends ArrayInput,
  L extends ArrayInput | null | undefined = never,
  H extends ArrayInput | null | undefined = never,
>(x: T, lo?: L, hi?: H): Result<T | NonNullable<L> | NonNullable<H>> {
  let v: Value = toValue(x, 'clip', 'x');
  if (lo !== null && lo !== undefined) v = maximum(v, toValue(lo, 'clip', 'lo'));
  if (hi !== null && hi !== undefined) v = minimum(v, toValue(hi, 'clip', 'hi'));
  return v as Result<T | NonNullable<L> | NonNullable<H>>;
}
