/** The concrete array type: an immutable, row-major float64 n-d array. @module */
import { checkInteger, checkNumber } from './args.js';
import { describeValue } from './describe.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { formatTensor } from './format.js';
import { allocF64 } from './kernels/alloc.js';
import { MAX_ARRAY_LENGTH, MAX_SIZE } from './limits.js';
import { copyNumbers, flattenNested } from './nested.js';
import { SCALAR_SHAPE, type Shape, checkShape, formatShape, sizeOf, sizeOfRange, stridesOf } from './shape.js';
import { type TensorJSON, decodeTensor, encodeTensor, looksLikeTensorJSON } from './tensor-json.js';
import { ArrayValue, type NestedArray } from './value.js';

/** Set by {@link tensorOf} for the one constructor call that follows: the kernels' path, which skips validation. */
let trusted = false;

/**
 * An immutable float64 n-d array stored row-major in a `Float64Array`.
 *
 * Ops never write into their inputs and every constructor copies caller-owned arrays, so a tensor can be shared
 * freely (optimiser states share unchanged tensors between snapshots). Treat {@link Tensor.data} as read-only.
 *
 * `console.log(t)` and `String(t)` print the elements (`Tensor([[1, 2],\n        [3, 4]])`); `JSON.stringify(t)`
 * writes the exact JSON form read back by {@link Tensor.fromJSON}.
 */
export class Tensor extends ArrayValue {
  /**
   * The elements, row-major. Read-only by contract: never write into it. It may be a view into a buffer shared with
   * other tensors (small tensors are pooled, as Node pools small `Buffer`s; `reshape` and contiguous slices share
   * their input's buffer): read `data.buffer` only through `data.byteOffset` and `data.byteLength`, never transfer or
   * detach it, and use `data.slice()` for a copy of your own.
   */
  readonly data: Float64Array;
  readonly shape: Shape;

  /**
   * Wraps `data` without copying it (the shape is copied). Prefer {@link Tensor.from}; this is for code that owns
   * `data` and will not write into it afterwards.
   * @throws {InvalidArgumentError} if `data` is not a `Float64Array` or `shape` not a valid shape;
   * {@link ShapeError} if `data.length` does not match the shape.
   */
  constructor(data: Float64Array, shape: Shape) {
    super();
    if (trusted) {
      trusted = false;
      this.data = data;
      this.shape = shape;
      return;
    }
    if (!isInstance(data, Float64Array)) {
      throw new InvalidArgumentError(`Tensor: data must be a Float64Array, got ${describeValue(data)} (use Tensor.from to convert)`);
    }
    const s = checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(s)) {
      throw new ShapeError(`Tensor: ${data.length} elements do not fill shape ${formatShape(s)}`);
    }
    this.data = data;
    this.shape = s;
  }

  /**
   * Builds a tensor from a number, a nested array, a typed array, a flat array plus a shape, or the JSON form written
   * by {@link Tensor.toJSON}. The input is copied; every element must be a number.
   * @example Tensor.from([[1, 2], [3, 4]]) // shape [2, 2]
   * @example Tensor.from(new Float64Array(6), [2, 3])
   * @example Tensor.from(JSON.parse(JSON.stringify(t))) // t again, bit for bit
   * @throws {InvalidArgumentError} for elements that are not numbers or a bad shape; {@link ShapeError} for ragged
   * nested arrays or values that do not fill `shape`.
   */
  static from(values: NestedArray | ArrayLike<number> | Tensor | TensorJSON, shape?: readonly number[]): Tensor {
    const where = 'Tensor.from';
    if (isInstance(values, Tensor)) {
      if (shape === undefined) return values;
      const s = checkShape(shape, where);
      if (values.data.length !== sizeOf(s)) {
        throw new ShapeError(`${where}: ${values.data.length} values do not fill shape ${formatShape(s)}`);
      }
      return tensorOf(values.data.slice(), s);
    }
    if (typeof values === 'number') {
      return shape === undefined ? Tensor.scalar(values) : Tensor.full(shape, values);
    }
    if (looksLikeTensorJSON(values)) {
      if (shape !== undefined) throw new InvalidArgumentError(`${where}: the JSON form carries its own shape; pass no shape`);
      const { data, shape: s } = decodeTensor(values, where);
      return tensorOf(data, s);
    }
    const subject = { where, what: 'values' };
    if (shape !== undefined) {
      const s = checkShape(shape, where);
      const flat = Array.isArray(values) && values.some(Array.isArray) ? flattenNested(values, subject).data : flatten(values, subject);
      if (flat.length !== sizeOf(s)) {
        throw new ShapeError(`${where}: ${flat.length} values do not fill shape ${formatShape(s)}`);
      }
      return tensorOf(flat, s);
    }
    if (Array.isArray(values)) {
      const { data, shape: s } = flattenNested(values, subject);
      return tensorOf(data, Object.freeze(s));
    }
    const data = flatten(values, subject);
    return tensorOf(data, Object.freeze([data.length]));
  }

  /**
   * Reads the JSON form written by {@link Tensor.toJSON} (after `JSON.parse`), exactly: `-0`, `NaN` and `±Infinity`
   * come back from their string spellings. Untrusted input is fine: only `dtype`, `shape` and `data` are read, and
   * sizes are checked before allocating.
   * @example Tensor.fromJSON(JSON.parse('{"dtype":"float64","shape":[2],"data":[1,"-0"]}'))
   * @throws {InvalidArgumentError} for any other value; {@link ShapeError} if `data` does not fill `shape`.
   */
  static fromJSON(json: unknown): Tensor {
    const { data, shape } = decodeTensor(json, 'Tensor.fromJSON');
    return tensorOf(data, shape);
  }

  /** A scalar (shape `[]`). */
  static scalar(value: number): Tensor {
    const data = allocF64(1);
    data[0] = checkNumber(value, 'Tensor.scalar', 'value');
    return tensorOf(data, SCALAR_SHAPE);
  }

  /** A tensor of the given shape filled with 0. */
  static zeros(shape: readonly number[]): Tensor {
    const s = checkShape(shape, 'Tensor.zeros');
    return tensorOf(allocF64(sizeOf(s)), s);
  }

  /** A tensor of the given shape filled with 1. */
  static ones(shape: readonly number[]): Tensor {
    const s = checkShape(shape, 'Tensor.ones');
    return tensorOf(allocF64(sizeOf(s)).fill(1), s);
  }

  /** A tensor of the given shape filled with `value` (any float64, NaN and ±Infinity included). */
  static full(shape: readonly number[], value: number): Tensor {
    const s = checkShape(shape, 'Tensor.full');
    checkNumber(value, 'Tensor.full', 'value');
    return tensorOf(allocF64(sizeOf(s)).fill(value), s);
  }

  /** The n×n identity matrix. */
  static eye(n: number): Tensor {
    checkInteger(n, 'Tensor.eye', 'n', 0, Math.floor(Math.sqrt(MAX_SIZE)));
    const t = tensorOf(allocF64(n * n), Object.freeze([n, n]));
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
      const k = checkInteger(index[i], 'Tensor.get', `index ${i}`);
      if (k < -n || k >= n) {
        throw new InvalidArgumentError(`Tensor.get: index ${k} out of range for axis ${i} of extent ${n}`);
      }
      off += (k < 0 ? k + n : k) * strides[i];
    }
    return this.data[off];
  }

  /** Nested JavaScript arrays of the elements (a number for a scalar); at most {@link MAX_ARRAY_LENGTH} elements. */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    checkConvertible(this.data.length, 'toArray');
    return unflatten(this.data, this.shape, 0, 0);
  }

  item(): number {
    if (this.data.length !== 1) {
      throw new ShapeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.data.length} elements, not 1`);
    }
    return this.data[0];
  }

  /** The elements as a plain `number[]`, row-major; at most {@link MAX_ARRAY_LENGTH} elements. */
  toFlatArray(): number[] {
    checkConvertible(this.data.length, 'toFlatArray');
    return Array.from(this.data);
  }

  /**
   * The exact JSON form `{ dtype: "float64", shape, data }` (what `JSON.stringify(t)` writes): finite numbers as JSON
   * numbers (their shortest round-trip decimals), and `"-0"`, `"NaN"`, `"Infinity"`, `"-Infinity"` as strings.
   * {@link Tensor.fromJSON} and {@link Tensor.from} read it back bit for bit.
   */
  toJSON(): TensorJSON {
    return encodeTensor(this.data, this.shape, 'Tensor.toJSON');
  }

  /** `Tensor([[1, 2],\n        [3, 4]])`, summarised with `...` above 1000 elements. */
  override toString(): string {
    return formatTensor(this.data, this.shape);
  }
}

/**
 * @internal Wraps kernel output without validation: `shape` must be frozen (shared, never copied) and `data` must
 * have exactly its size. The path every kernel takes.
 */
export function tensorOf(data: Float64Array, shape: Shape): Tensor {
  trusted = true;
  return new Tensor(data, shape);
}

/** `x instanceof C`, false instead of a throw for a Proxy whose getPrototypeOf trap throws. */
function isInstance<C>(x: unknown, ctor: abstract new (...args: any[]) => C): x is C {
  try {
    return x instanceof ctor;
  } catch {
    return false;
  }
}

function checkConvertible(n: number, where: string): void {
  if (n > MAX_ARRAY_LENGTH) {
    throw new InvalidArgumentError(
      `${where}: a tensor of ${n} elements is too large for a plain array (the limit is ${MAX_ARRAY_LENGTH}, ` +
        'MAX_ARRAY_LENGTH); read Tensor.data instead',
    );
  }
}

function flatten(values: unknown, s: { where: string; what: string }): Float64Array {
  if (values === null || typeof values !== 'object') {
    throw new InvalidArgumentError(
      `${s.where}: ${s.what} must be a number, an array, a typed array or a tensor, got ${describeValue(values)}`,
    );
  }
  return copyNumbers(values as ArrayLike<unknown>, s);
}

function unflatten(data: Float64Array, shape: Shape, axis: number, offset: number): NestedArray {
  const n = shape[axis];
  const inner = sizeOfRange(shape, axis + 1);
  const out: NestedArray[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = axis === shape.length - 1 ? data[offset + i] : unflatten(data, shape, axis + 1, offset + i * inner);
  }
  return out;
}
