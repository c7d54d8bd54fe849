/** Clipping to bounds. @module */
import { toValue } from '../convert.js';
import { broadcastShapes } from '../shape.js';
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
  const l = lo === null || lo === undefined ? null : toValue(lo, 'clip', 'lo');
  const h = hi === null || hi === undefined ? null : toValue(hi, 'clip', 'hi');
  // Shapes checked here, so that a mismatch names clip rather than the maximum/minimum it is built from.
  let shape = v.shape;
  if (l !== null) shape = broadcastShapes(shape, l.shape, 'clip');
  if (h !== null) broadcastShapes(shape, h.shape, 'clip');
  if (l !== null) v = maximum(v, l);
  if (h !== null) v = minimum(v, h);
  return v as Result<T | NonNullable<L> | NonNullable<H>>;
}
