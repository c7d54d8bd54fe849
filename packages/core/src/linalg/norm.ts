import { primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, assertFinite } from '../errors.js';
import {
  abs, div, max, min, mul, notEqual, pow, reshape, slice, sqrt, square, sum, transpose, where,
} from '../ops/index.js';
import type { IndexSpec } from '../ops/indexing.js';
import { type Shape, formatShape, normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { describe } from './options.js';
import { svdvals } from './svd.js';

/**
 * The order of {@link norm}: for vectors any number p (the p-norm (Σ|xᵢ|ᵖ)^(1/p); `Infinity`/`-Infinity` for
 * max/min |xᵢ|; 0 for the count of nonzeros); for matrices `'fro'`, `'nuc'`, 1, −1, 2, −2, `Infinity`, `-Infinity`.
 */
export type NormOrd = number | 'fro' | 'nuc';

/** The matrix orders of {@link norm} and {@link cond}. */
const MATRIX_ORDS: readonly NormOrd[] = ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity];

/** @internal `ord`, checked: null/undefined, a number that is not NaN, or 'fro'/'nuc'. */
export function checkOrd(ord: unknown, where: string): NormOrd | null {
  if (ord === undefined || ord === null) return null;
  if ((typeof ord === 'number' && !Number.isNaN(ord)) || ord === 'fro' || ord === 'nuc') return ord;
  throw new InvalidArgumentError(`${where}: ord must be a number, 'fro' or 'nuc', got ${describe(ord)}`);
}

/** The normalised axes of {@link norm}: null (all), [a] (vector) or [r, c] (matrix, distinct). */
function checkAxis(axis: unknown, ndim: number): number[] | null {
  if (axis === undefined || axis === null) return null;
  const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? (axis as unknown[]) : null;
  if (list === null || list.length < 1 || list.length > 2 || list.some((a) => typeof a !== 'number')) {
    throw new InvalidArgumentError(`norm: axis must be an integer or a list of one or two integers, got ${describe(axis)}`);
  }
  const axes = (list as number[]).map((a) => normalizeAxis(a, ndim, 'norm'));
  if (axes.length === 2 && axes[0] === axes[1]) throw new InvalidArgumentError(`norm: repeated axis in [${list.join(', ')}]`);
  return axes;
}

/**
 * Vector and matrix norms (`jnp.linalg.norm`), differentiable.
 *
 * - `axis` omitted: with `ord` omitted, the 2-norm of all entries (Frobenius for matrices, any rank); with `ord`
 *   given, `x` must be a vector (vector norm) or a matrix (matrix norm).
 * - `axis` an integer (or `[a]`): vector norms along that axis. `axis` `[r, c]`: matrix norms of the matrices
 *   spanned by rows r and columns c. `keepdims` keeps the reduced axes with extent 1.
 * - Vector orders: 2 (default), 1, `Infinity` (max |xᵢ|), `-Infinity` (min |xᵢ|), 0 (number of nonzeros), any
 *   other p: (Σ|xᵢ|ᵖ)^(1/p). Matrix orders: `'fro'` (default), `'nuc'` (sum of singular values), 2 and −2 (largest
 *   and smallest singular value), 1 and −1 (max/min column sum of |aᵢⱼ|), `Infinity`/`-Infinity` (max/min row sum).
 * - 2-norms and p-norms scale by max|xᵢ| first (a constant for the derivative, which is exact), so they neither
 *   overflow nor underflow where the norm itself is representable (JAX's overflow at |x| ≈ 1e154 does not happen).
 * - Non-finite entries follow IEEE arithmetic, as in `sum` (∞ gives ∞, NaN gives NaN), except for the orders that
 *   need singular values (2, −2, `'nuc'`), which reject them with {@link NonFiniteError}.
 *
 * Derivatives where a norm is not differentiable (a defined subgradient, never NaN): at x = 0, the 2-, Frobenius-
 * and p-norms (p > 0) have derivative 0 (JAX gives NaN for the 2-norm); |·| contributes sign(0) = 0 to ord 1, ∞,
 * −∞ and to p-norms at zero entries; ties for max/min share the derivative equally (as `max`); ord 0 is piecewise
 * constant (derivative 0); p < 0 has derivative 0 where an entry is 0 (the norm is 0 there). Orders 2, −2 and
 * `'nuc'` differentiate through {@link svdvals} (at repeated or zero singular values, one element of the
 * subdifferential).
 * @throws {InvalidArgumentError} for a bad `ord` (e.g. `'fro'` for a vector, 3 for a matrix), `axis` or
 * `keepdims`, or a matrix norm needing singular values or a max of an empty matrix; {@link ConvergenceError}.
 */
export function norm<T extends ArrayInput>(
  x: T, ord?: NormOrd | null, axis?: number | readonly number[] | null, keepdims = false,
): Result<T> {
  const v = asValue(x);
  const o = checkOrd(ord, 'norm');
  if (typeof keepdims !== 'boolean') throw new InvalidArgumentError(`norm: keepdims must be a boolean, got ${describe(keepdims)}`);
  let axes = checkAxis(axis, v.ndim);
  if (axes === null) {
    if (o === null) return twoNorm(v, v.shape.map((_, i) => i), keepdims) as Result<T>;
    if (v.ndim !== 1 && v.ndim !== 2) {
      throw new InvalidArgumentError(
        `norm: with ord ${String(o)} and no axis, x must be a vector or a matrix, got shape ${formatShape(v.shape)}`,
      );
    }
    axes = v.shape.map((_, i) => i);
  }
  return (axes.length === 1 ? vectorNorm(v, o ?? 2, axes[0], keepdims) : matrixNorm(v, o ?? 'fro', axes[0], axes[1], keepdims)) as Result<T>;
}

/** max |x| over `axes` (kept as extent-1 axes) of the primal, with zeros replaced by 1: the constant scale. */
function scaleOf(x: Value, axes: readonly number[]): Tensor {
  if (x.size === 0) return Tensor.ones(keptShape(x.shape, axes));
  const m = max(abs(primalValue(x)), axes, true) as Tensor;
  // ±∞ or NaN entries: no scaling, so the norm is ∞ or NaN as IEEE arithmetic gives it
  return Tensor.from(m.data.map((d) => (d > 0 && d < Infinity ? d : 1)), [...m.shape]);
}

/** `√s` with derivative 0 where s = 0 (the double-`where` keeps the unused branch finite); NaN stays NaN. */
function safeSqrt(s: Value): Value {
  const nonzero = notEqual(primalValue(s), 0);
  return where(nonzero, sqrt(where(nonzero, s, 1)), 0);
}

function reduced(y: Value, shape: Shape, axes: readonly number[], keepdims: boolean): Value {
  return keepdims ? y : reshape(y, shape.filter((_, i) => !axes.includes(i)));
}

/** The 2-norm over `axes`, scaled: m·√Σ(x/m)². */
function twoNorm(x: Value, axes: readonly number[], keepdims: boolean): Value {
  const m = scaleOf(x, axes);
  return reduced(mul(m, safeSqrt(sum(square(div(x, m)), axes, true))), x.shape, axes, keepdims);
}

function vectorNorm(x: Value, ord: NormOrd, axis: number, keepdims: boolean): Value {
  if (typeof ord !== 'number') throw new InvalidArgumentError(`norm: ord '${ord}' is a matrix norm; vector norms take a number`);
  if (ord === 2) return twoNorm(x, [axis], keepdims);
  if (ord === 1) return sum(abs(x), axis, keepdims);
  if (ord === Infinity) return max(abs(x), axis, keepdims);
  if (ord === -Infinity) return min(abs(x), axis, keepdims);
  if (ord === 0) return sum(notEqual(x, 0), axis, keepdims);
  return pNorm(x, ord, axis, keepdims);
}

/** (Σ|xᵢ|ᵖ)^(1/p) as m·(Σ(|xᵢ|/m)ᵖ)^(1/p), with the zero cases of the TSDoc of {@link norm}. */
function pNorm(x: Value, p: number, axis: number, keepdims: boolean): Value {
  const m = scaleOf(x, [axis]);
  const y = div(abs(x), m);
  const nonzero = notEqual(primalValue(y), 0); // NaN counts as nonzero, so it propagates
  const safeY = where(nonzero, y, 1);
  if (p > 0) {
    const s = sum(where(nonzero, pow(safeY, p), 0), axis, true);
    const nonzeroSum = notEqual(primalValue(s), 0);
    return reduced(mul(m, where(nonzeroSum, pow(where(nonzeroSum, s, 1), 1 / p), 0)), x.shape, [axis], keepdims);
  }
  // p < 0: a zero entry makes Σ|xᵢ|ᵖ infinite and the norm 0
  const anyZero = max(where(nonzero, 0, 1), axis, true);
  const s = sum(pow(safeY, p), axis, true);
  return reduced(where(anyZero, 0, mul(m, pow(s, 1 / p))), x.shape, [axis], keepdims);
}

function matrixNorm(x: Value, ord: NormOrd, r: number, c: number, keepdims: boolean): Value {
  if (!MATRIX_ORDS.includes(ord)) {
    throw new InvalidArgumentError(`norm: invalid matrix norm order ${describe(ord)} (use 'fro', 'nuc', ±1, ±2, ±Infinity)`);
  }
  const kept = keptShape(x.shape, [r, c]);
  const out = (y: Value) => (keepdims ? reshape(y, kept) : y);
  if (ord === 'fro') return twoNorm(x, [r, c], keepdims);
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // column sums (over rows r) for ±1, row sums (over columns c) for ±∞; then the extremum over the other axis
    const [summed, other] = ord === 1 || ord === -1 ? [r, c] : [c, r];
    const sums = sum(abs(x), summed, true);
    const ext = ord === 1 || ord === Infinity ? max(sums, other, true) : min(sums, other, true);
    return reduced(ext, x.shape, [r, c], keepdims);
  }
  // singular values of the matrices moved to the last two axes (the SVD needs finite input)
  assertFinite(primalValue(x).data, `norm (ord ${String(ord)})`);
  const rest = x.shape.map((_, i) => i).filter((i) => i !== r && i !== c);
  const s = svdvals(transpose(x, [...rest, r, c]));
  const k = s.shape[s.shape.length - 1];
  if (ord === 'nuc') return out(sum(s, -1));
  if (k === 0) throw new InvalidArgumentError(`norm: ord ${ord} of an empty matrix (shape ${formatShape(x.shape)}) is undefined`);
  const index: IndexSpec[] = s.shape.map(() => null);
  index[s.ndim - 1] = ord === 2 ? 0 : k - 1;
  return out(slice(s, ...index));
}

/** @internal The matrix norm of the last two axes (cond's numerator and denominator). */
export function matrixNormLast(x: Value, ord: NormOrd): Value {
  return matrixNorm(x, ord, x.ndim - 2, x.ndim - 1, false);
}

/** @internal Whether `ord` is a matrix order. */
export function isMatrixOrd(ord: NormOrd): boolean {
  return MATRIX_ORDS.includes(ord);
}

/** `shape` with the reduced `axes` kept as extent 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
