/** NumPy basic indexing (`slice`) and integer-array gathers (`take`). @module */
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError } from '../errors.js';
import * as lax from '../lax.js';
import { MAX_SIZE } from '../limits.js';
import { slicePrim, sliceParams } from '../primitives/slice.js';
import { type TakeParams, takePrim } from '../primitives/take.js';
import { formatShape, normalizeAxis, removeAxes, sizeOf, sizeOfRange, withExtent } from '../shape.js';
import type { ArrayInput, Result } from '../value.js';

/**
 * One axis of a basic index: a number picks one position and drops the axis (negative counts from the end);
 * `null` keeps the whole axis; `[start, stop, step]` (each optional or null) is a Python slice `start:stop:step`.
 */
export type IndexSpec = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];

function bound(i: unknown, ax: number, what: string): number | null {
  if (i === null || i === undefined) return null;
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw new InvalidArgumentError(`slice: ${what} on axis ${ax} must be an integer or null, got ${describeValue(i)}`);
  }
  return i;
}

/** `[start, stop, step]` of a range spec, resolved against an axis of extent n as Python does. */
function resolveRange(spec: readonly unknown[], n: number, ax: number): [number, number, number] {
  if (spec.length > 3) throw new InvalidArgumentError(`slice: a range on axis ${ax} has at most 3 entries [start, stop, step]`);
  const step = bound(spec[2], ax, 'step') ?? 1;
  if (step === 0) throw new InvalidArgumentError(`slice: step on axis ${ax} must not be zero`);
  const clamp = (i: number, lo: number, hi: number) => Math.min(Math.max(i, lo), hi);
  const at = (i: number | null, dflt: number, lo: number, hi: number) => (i === null ? dflt : clamp(i < 0 ? i + n : i, lo, hi));
  const start = bound(spec[0], ax, 'start'), stop = bound(spec[1], ax, 'stop');
  if (step > 0) return [at(start, 0, 0, n), at(stop, n, 0, n), step];
  return [at(start, n - 1, -1, n - 1), at(stop, -1, -1, n - 1), step];
}

/**
 * NumPy basic indexing, one {@link IndexSpec} per leading axis (missing trailing axes are kept whole). Any steps,
 * negative ones included, are one strided copy.
 * @example slice(x, [1, null])   // x[1:]
 * @example slice(x, [0, -1])     // x[:-1]
 * @example slice(A, 2)           // A[2]   (drops the axis)
 * @example slice(A, null, [0, null, 2]) // A[:, ::2]
 * @throws {InvalidArgumentError} for too many specs, an index out of range, non-integer bounds or a zero step
 */
export function slice<T extends ArrayInput>(x: T, ...index: IndexSpec[]): Result<T> {
  const v = toValue(x, 'slice', 'x');
  const inShape = v.shape;
  const nd = inShape.length;
  if (index.length > nd) {
    throw new InvalidArgumentError(`slice: ${index.length} indices for a tensor of shape ${formatShape(inShape)}`);
  }
  const starts: number[] = [], steps: number[] = [], shape: number[] = [], kept: number[] = [];
  let trivial = true;
  for (let ax = 0; ax < nd; ax++) {
    const n = inShape[ax];
    const spec: unknown = ax < index.length ? index[ax] : null;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < -n || spec >= n) {
        throw new InvalidArgumentError(`slice: index ${spec} out of range for axis ${ax} of extent ${n}`);
      }
      starts.push(spec < 0 ? spec + n : spec);
      steps.push(1);
      shape.push(1);
      trivial = false;
      continue;
    }
    if (spec !== null && spec !== undefined && !Array.isArray(spec)) {
      throw new InvalidArgumentError(`slice: index ${ax} must be a number, null or [start, stop, step], got ${describeValue(spec)}`);
    }
    const [start, stop, step] = resolveRange(spec ?? [], n, ax);
    const len = Math.max(0, Math.ceil((stop - start) / step));
    starts.push(start);
    steps.push(step);
    shape.push(len);
    kept.push(len);
    if (start !== 0 || step !== 1 || len !== n) trivial = false;
  }
  if (trivial) return v as Result<T>;
  const out = bind(slicePrim, [v], sliceParams(inShape, starts, steps, Object.freeze(shape)));
  return (kept.length === nd ? out : lax.reshape(out, Object.freeze(kept))) as Result<T>;
}

/**
 * Gathers along `axis` (`jnp.take` with integer indices): `take(x, [2, 0], 1)` is `x[:, [2, 0]]`. Indices may repeat
 * and count from the end when negative; a single number index drops the axis. The VJP scatter-adds, so repeated
 * indices accumulate their gradients.
 * @throws {InvalidArgumentError} for a bad axis or an index that is not an integer in `[-extent, extent)`
 */
export function take<T extends ArrayInput>(x: T, indices: number | readonly number[] | Int32Array, axis = 0): Result<T> {
  const v = toValue(x, 'take', 'x');
  const nd = v.shape.length;
  if (nd === 0) throw new InvalidArgumentError('take: cannot index a scalar (rank 0)');
  const ax = normalizeAxis(axis, nd, 'take');
  const single = typeof indices === 'number';
  if (!single && !Array.isArray(indices) && !(indices instanceof Int32Array)) {
    throw new InvalidArgumentError(
      `take: indices must be a number, an array of integers or an Int32Array, got ${describeValue(indices)}`,
    );
  }
  const list: ArrayLike<unknown> = single ? [indices] : indices;
  const extent = v.shape[ax];
  const rest = sizeOf(v.shape) / Math.max(1, extent);
  if (list.length * rest > MAX_SIZE) throw new InvalidArgumentError(`take: ${list.length} indices give a result above MAX_SIZE`);
  const idx = new Int32Array(list.length);
  for (let j = 0; j < list.length; j++) {
    const i = list[j];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < -extent || i >= extent) {
      throw new InvalidArgumentError(`take: index ${describeValue(i)} (at ${j}) is out of range for axis ${ax} of extent ${extent}`);
    }
    idx[j] = i < 0 ? i + extent : i;
  }
  const p: TakeParams = {
    axis: ax,
    indices: idx,
    inShape: v.shape,
    outShape: withExtent(v.shape, ax, idx.length),
    outer: sizeOfRange(v.shape, 0, ax),
    extent,
    inner: sizeOfRange(v.shape, ax + 1),
  };
  const out = bind(takePrim, [v], p);
  return (single ? lax.reshape(out, removeAxes(v.shape, [ax])) : out) as Result<T>;
}
