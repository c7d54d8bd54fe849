/** Reductions over axes: sum, prod, mean, max, min, logsumexp. @module */
import { checkBoolean } from '../args.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import * as lax from '../lax.js';
import { maxPrim, minPrim } from '../primitives/extremum.js';
import { logsumexpPrim } from '../primitives/logsumexp.js';
import { prodPrim } from '../primitives/prod.js';
import { type Shape, formatShape, keepAxes, normalizeAxes } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';

/** Axes of a reduction: one axis, a list, or all of them (`undefined` or `null`), as `axis` in `jnp.sum`. */
export type Axes = number | readonly number[] | null | undefined;

function keepdimsShape(v: Value, axes: readonly number[], keepdims: unknown, where: string): Shape | null {
  return checkBoolean(keepdims, where, 'keepdims') ? keepAxes(v.shape, axes) : null;
}

/**
 * Sum of elements over `axis` (an axis, a list, or all when omitted or null), as `jnp.sum`.
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad or repeated axis or a non-boolean `keepdims`
 */
export function sum<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  const v = toValue(x, 'sum', 'x');
  const axes = normalizeAxes(axis, v.shape.length, 'sum');
  const kept = keepdimsShape(v, axes, keepdims, 'sum');
  const s = lax.sum(v, axes);
  return (kept === null ? s : lax.reshape(s, kept)) as Result<T>;
}

/**
 * Product of elements over `axis` (an axis, a list, or all when omitted or null), as `jnp.prod`; 1 for an empty
 * reduction. Derivatives are exact where the input has zeros (∂/∂xᵢ ∏ x = ∏_{j≠i} xⱼ, computed through a pairwise
 * product tree, never as y/xᵢ), to every order, as JAX's.
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad or repeated axis or a non-boolean `keepdims`
 */
export function prod<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  const v = toValue(x, 'prod', 'x');
  const axes = normalizeAxes(axis, v.shape.length, 'prod');
  const kept = keepdimsShape(v, axes, keepdims, 'prod');
  const p = axes.length === 0 ? v : bind(prodPrim, [v], { axes });
  return (kept === null ? p : lax.reshape(p, kept)) as Result<T>;
}

/**
 * Arithmetic mean over `axis` (an axis, a list, or all when omitted or null), as `jnp.mean`: the sum divided by the
 * number of reduced elements (NaN for an empty reduction, as NumPy).
 * @param keepdims keep reduced axes with extent 1
 */
export function mean<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  const v = toValue(x, 'mean', 'x');
  const axes = normalizeAxes(axis, v.shape.length, 'mean');
  const kept = keepdimsShape(v, axes, keepdims, 'mean');
  let count = 1;
  for (const a of axes) count *= v.shape[a];
  const s = lax.div(lax.sum(v, axes), Tensor.scalar(count));
  return (kept === null ? s : lax.reshape(s, kept)) as Result<T>;
}

/** Normalises the axes of a max/min reduction and rejects empty reductions (they have no identity). */
function chooserAxes(v: Value, axis: unknown, where: string): readonly number[] {
  const axes = normalizeAxes(axis, v.shape.length, where);
  for (const a of axes) {
    if (v.shape[a] === 0) {
      throw new InvalidArgumentError(
        `${where}: cannot reduce over axis ${a} of extent 0 of ${formatShape(v.shape)} (no identity)`,
      );
    }
  }
  return axes;
}

function chooser(prim: typeof maxPrim, x: ArrayInput, axis: Axes, keepdims: unknown, where: string): Value {
  const v = toValue(x, where, 'x');
  const axes = chooserAxes(v, axis, where);
  const kept = keepdimsShape(v, axes, keepdims, where);
  const m = axes.length === 0 ? v : bind(prim, [v], { axes });
  return kept === null ? m : lax.reshape(m, kept);
}

/**
 * Maximum over `axis` (an axis, a list, or all when omitted or null), as `jnp.max`; NaN propagates. Where several
 * elements tie for the maximum, the derivative is shared equally among them (as JAX).
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad axis or a reduction over an axis of extent 0
 */
export function max<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  return chooser(maxPrim, x, axis, keepdims, 'max') as Result<T>;
}

/**
 * Minimum over `axis` (an axis, a list, or all when omitted or null), as `jnp.min`; NaN propagates. Where several
 * elements tie for the minimum, the derivative is shared equally among them (as JAX).
 * @param keepdims keep reduced axes with extent 1
 * @throws {InvalidArgumentError} for a bad axis or a reduction over an axis of extent 0
 */
export function min<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  return chooser(minPrim, x, axis, keepdims, 'min') as Result<T>;
}

/**
 * `log(sum(exp(x)))` over `axis` (an axis, a list, or all when omitted or null), as `jax.nn.logsumexp`: shifted by
 * the maximum, so finite for inputs like ±1000; -Infinity over an empty or all -Infinity slice. Derivative: the
 * softmax `exp(x - out)`, reusing the output (relative accuracy ≈ |out|·ε, as PyTorch's).
 * @param keepdims keep reduced axes with extent 1
 */
export function logsumexp<T extends ArrayInput>(x: T, axis?: Axes, keepdims = false): Result<T> {
  const v = toValue(x, 'logsumexp', 'x');
  const axes = normalizeAxes(axis, v.shape.length, 'logsumexp');
  const kept = keepdimsShape(v, axes, keepdims, 'logsumexp');
  const s = axes.length === 0 ? v : bind(logsumexpPrim, [v], { axes });
  return (kept === null ? s : lax.reshape(s, kept)) as Result<T>;
}
