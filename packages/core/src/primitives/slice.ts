import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { type Shape, formatShape, sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { reshape } from './reshape.js';

/**
 * One axis of a basic index: a number picks one position and drops the axis (negative counts from the end);
 * `null` keeps the whole axis; `[start, stop, step]` (each optional or null) is a Python slice `start:stop:step`.
 */
export type IndexSpec = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];

interface SliceParams {
  readonly starts: readonly number[];
  readonly steps: readonly number[];
  readonly shape: Shape; // output shape of the strided slice (before dropping indexed axes)
  readonly inShape: Shape;
}

/** Visits, in output order, the flat input offset of every element of a strided slice. */
function forEachOffset(p: SliceParams, visit: (outIndex: number, inOffset: number) => void): void {
  const nd = p.shape.length;
  const n = sizeOf(p.shape);
  if (n === 0) return;
  const inStrides = stridesOf(p.inShape);
  const stride = inStrides.map((s, i) => s * p.steps[i]);
  let base = 0;
  for (let i = 0; i < nd; i++) base += p.starts[i] * inStrides[i];
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    visit(k, base);
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < p.shape[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
}

export const slicePrim: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'slice',
  impl: ([x], p) => {
    const src = x.data;
    const out = new Float64Array(sizeOf(p.shape));
    const inner = p.shape.length > 0 ? p.shape[p.shape.length - 1] : 1;
    const innerStep = p.shape.length > 0 ? p.steps[p.steps.length - 1] : 1;
    if (innerStep === 1 && inner > 0) {
      // Contiguous rows: copy them whole.
      const rowsShape = { ...p, shape: [...p.shape.slice(0, -1), 1] };
      forEachOffset(rowsShape, (k, off) => out.set(src.subarray(off, off + inner), k * inner));
    } else {
      forEachOffset(p, (k, off) => {
        out[k] = src[off];
      });
    }
    return new Tensor(out, p.shape);
  },
  jvp: ([t], _, __, p) => bind(slicePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(unslicePrim, [ct], p)],
});

/** The transpose of a slice: scatters the values into zeros of the input shape. */
export const unslicePrim: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: 'unslice',
  impl: ([g], p) => {
    const src = g.data;
    const out = new Float64Array(sizeOf(p.inShape));
    forEachOffset(p, (k, off) => {
      out[off] = src[k];
    });
    return new Tensor(out, p.inShape);
  },
  jvp: ([t], _, __, p) => bind(unslicePrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(slicePrim, [ct], p)],
});

/**
 * NumPy basic indexing, one {@link IndexSpec} per leading axis (missing trailing axes are kept whole).
 * @example slice(x, [1, null])   // x[1:]
 * @example slice(x, [0, -1])     // x[:-1]
 * @example slice(A, 2)           // A[2]   (drops the axis)
 * @example slice(A, null, [0, null, 2]) // A[:, ::2]
 */
export function slice<T extends ArrayInput>(x: T, ...index: IndexSpec[]): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length;
  if (index.length > nd) {
    throw new InvalidArgumentError(`slice: ${index.length} indices for a tensor of shape ${formatShape(v.shape)}`);
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const shape: number[] = [];
  const keep: number[] = [];
  let trivial = true;
  for (let ax = 0; ax < nd; ax++) {
    const n = v.shape[ax];
    const spec = ax < index.length ? index[ax] : null;
    if (typeof spec === 'number') {
      const i = spec < 0 ? spec + n : spec;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new InvalidArgumentError(`slice: index ${spec} out of range for axis ${ax} of extent ${n}`);
      }
      starts.push(i);
      steps.push(1);
      shape.push(1);
      trivial = false;
      continue;
    }
    const [start, stop, step] = normaliseRange(spec ?? [], n, ax);
    const len = Math.max(0, Math.ceil((stop - start) / step));
    starts.push(start);
    steps.push(step);
    shape.push(len);
    keep.push(ax);
    if (start !== 0 || step !== 1 || len !== n) trivial = false;
  }
  if (trivial) return v as Result<T>;
  const p: SliceParams = { starts, steps, shape: Object.freeze(shape), inShape: v.shape };
  const out = bind(slicePrim, [v], p);
  return (keep.length === nd ? out : reshape(out, keep.map((ax) => shape[ax]))) as Result<T>;
}

function normaliseRange(spec: readonly (number | null | undefined)[], n: number, ax: number): [number, number, number] {
  const step = spec[2] ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new InvalidArgumentError(`slice: invalid step ${step} on axis ${ax}`);
  const clamp = (i: number, lo: number, hi: number) => Math.min(Math.max(i, lo), hi);
  const norm = (i: number | null | undefined, dflt: number, lo: number, hi: number) => {
    if (i === null || i === undefined) return dflt;
    if (!Number.isInteger(i)) throw new InvalidArgumentError(`slice: non-integer bound ${i} on axis ${ax}`);
    return clamp(i < 0 ? i + n : i, lo, hi);
  };
  if (step > 0) return [norm(spec[0], 0, 0, n), norm(spec[1], n, 0, n), step];
  return [norm(spec[0], n - 1, -1, n - 1), norm(spec[1], -1, -1, n - 1), step];
}

/** @internal `x[..., start:stop, ...]` along one axis. */
export function sliceAxis(x: Value, axis: number, start: number, stop: number): Value {
  const index: IndexSpec[] = x.shape.map(() => null);
  index[axis] = [start, stop];
  return slice(x, ...index);
}
