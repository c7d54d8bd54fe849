/** The concrete array type: an immutable, row-major float64 n-d array. @module */
import { InvalidArgumentError, ShapeError } from './errors.js';
import { type Shape, checkShape, formatShape, sizeOf, stridesOf } from './shape.js';
import { ArrayValue, type NestedArray } from './value.js';

const EMPTY_SHAPE: Shape = Object.freeze([]);

/**
 * An immutable float64 n-d array stored row-major in a `Float64Array`.
 *
 * Ops never write into their inputs and every constructor copies caller-owned arrays, so a tensor can be shared
 * freely (optimiser states share unchanged tensors between snapshots). Treat {@link Tensor.data} as read-only.
 */
export class Tensor extends ArrayValue {
  /** The elements, row-major. Read-only by contract: never write into it. */
  readonly data: Float64Array;
  readonly shape: Shape;

  /**
   * Wraps `data` without copying. Prefer {@link Tensor.from}; this is for kernels that own `data`.
   * @throws {ShapeError} if `data.length` does not match the shape.
   */
  constructor(data: Float64Array, shape: Shape) {
    super();
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor: ${data.length} elements do not fill shape ${formatShape(shape)}`);
    }
    this.data = data;
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
  }

  /**
   * Builds a tensor from a number, a nested array, or a flat array plus a shape. The input is copied.
   * @example Tensor.from([[1, 2], [3, 4]]) // shape [2, 2]
   * @example Tensor.from(new Float64Array(6), [2, 3])
   */
  static from(values: NestedArray | ArrayLike<number> | Tensor, shape?: readonly number[]): Tensor {
    if (values instanceof Tensor) {
      return shape === undefined ? values : new Tensor(values.data.slice(), checkShape(shape, 'Tensor.from'));
    }
    if (typeof values === 'number') {
      const t = new Tensor(Float64Array.of(values), EMPTY_SHAPE);
      return shape === undefined ? t : Tensor.full(shape, values);
    }
    if (shape !== undefined) {
      const s = checkShape(shape, 'Tensor.from');
      const flat = Float64Array.from(values as ArrayLike<number>);
      if (flat.length !== sizeOf(s)) {
        throw new ShapeError(`Tensor.from: ${flat.length} values do not fill shape ${formatShape(s)}`);
      }
      return new Tensor(flat, s);
    }
    if (ArrayBuffer.isView(values)) {
      const flat = Float64Array.from(values as ArrayLike<number>);
      return new Tensor(flat, [flat.length]);
    }
    const inferred = inferShape(values as NestedArray);
    const out = new Float64Array(sizeOf(inferred));
    flattenInto(values as NestedArray, inferred, 0, out, 0);
    return new Tensor(out, Object.freeze(inferred));
  }

  /** A scalar (shape `[]`). */
  static scalar(value: number): Tensor {
    return new Tensor(Float64Array.of(value), EMPTY_SHAPE);
  }

  /** A tensor of the given shape filled with 0. */
  static zeros(shape: readonly number[]): Tensor {
    const s = checkShape(shape, 'Tensor.zeros');
    return new Tensor(new Float64Array(sizeOf(s)), s);
  }

  /** A tensor of the given shape filled with 1. */
  static ones(shape: readonly number[]): Tensor {
    return Tensor.full(shape, 1);
  }

  /** A tensor of the given shape filled with `value`. */
  static full(shape: readonly number[], value: number): Tensor {
    const s = checkShape(shape, 'Tensor.full');
    return new Tensor(new Float64Array(sizeOf(s)).fill(value), s);
  }

  /** The n×n identity matrix. */
  static eye(n: number): Tensor {
    const t = Tensor.zeros([n, n]);
    for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
    return t;
  }

  /** Element at a multi-index (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new InvalidArgumentError(`Tensor.get: ${index.length} indices for a tensor of rank ${this.shape.length}`);
    }
    const strides = stridesOf(this.shape);
    let off = 0;
    for (let i = 0; i < index.length; i++) {
      const n = this.shape[i];
      const k = index[i] < 0 ? index[i] + n : index[i];
      if (!Number.isInteger(k) || k < 0 || k >= n) {
        throw new InvalidArgumentError(`Tensor.get: index ${index[i]} out of range for axis ${i} of extent ${n}`);
      }
      off += k * strides[i];
    }
    return this.data[off];
  }

  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    return unflatten(this.data, this.shape, 0, 0);
  }

  item(): number {
    if (this.data.length !== 1) {
      throw new ShapeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.data.length} elements, not 1`);
    }
    return this.data[0];
  }

  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  override toString(): string {
    return `Tensor(${formatShape(this.shape)}) ${JSON.stringify(this.toArray())}`;
  }
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  if (!Array.isArray(v) && typeof v !== 'number') {
    throw new InvalidArgumentError(`Tensor.from: expected numbers or nested arrays of numbers, got ${typeof v}`);
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: Shape, axis: number, out: Float64Array, offset: number): number {
  if (axis === shape.length) {
    if (typeof values !== 'number') {
      throw new ShapeError(`Tensor.from: ragged nested array (expected a number at depth ${axis})`);
    }
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    throw new ShapeError(`Tensor.from: ragged nested array (expected length ${shape[axis]} at depth ${axis})`);
  }
  for (const v of values) offset = flattenInto(v, shape, axis + 1, out, offset);
  return offset;
}

function unflatten(data: Float64Array, shape: Shape, axis: number, offset: number): NestedArray {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const out: NestedArray[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = axis === shape.length - 1 ? data[offset + i] : unflatten(data, shape, axis + 1, offset + i * inner);
  }
  return out;
}
