/**
 * The JSON form of a tensor, for checkpoints and logs: `{ "dtype": "float64", "shape": [2], "data": [0.1, "-0"] }`.
 *
 * Finite numbers are written as JSON numbers, whose shortest round-trip decimal form reads back as the same float64
 * bit for bit. The four values JSON numbers cannot carry are written as strings: `"-0"` (`JSON.stringify(-0)` would
 * give `0`), `"NaN"`, `"Infinity"` and `"-Infinity"`. So every float64 round-trips exactly (NaN payloads aside: all
 * NaNs read back as the canonical NaN).
 *
 * The reader treats its input as untrusted: it reads only own data properties of a plain object, accepts no other
 * keys, and checks the shape's rank and size and the data's length before allocating anything.
 * @module
 */
import { readOptions } from './args.js';
import { describeValue } from './describe.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { allocF64 } from './kernels/alloc.js';
import { MAX_ARRAY_LENGTH } from './limits.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';

/** A float64 that JSON numbers cannot represent, spelled as a string. */
export type NonFiniteToken = '-0' | 'NaN' | 'Infinity' | '-Infinity';

/** The JSON form of a tensor (see `Tensor.toJSON`). */
export interface TensorJSON {
  /** Always `"float64"`; optional when reading. */
  readonly dtype: 'float64';
  /** Extent of each axis. */
  readonly shape: readonly number[];
  /** The elements, row-major: numbers, or a {@link NonFiniteToken} for −0, NaN and ±∞. */
  readonly data: readonly (number | NonFiniteToken)[];
}

function encode(v: number): number | NonFiniteToken {
  if (v - v === 0) return v === 0 && 1 / v < 0 ? '-0' : v;
  return v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

const TOKENS: { readonly [token: string]: number } = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }),
);

/** The JSON form of `data` of shape `shape`. */
export function encodeTensor(data: Float64Array, shape: Shape, where: string): TensorJSON {
  if (data.length > MAX_ARRAY_LENGTH) {
    throw new InvalidArgumentError(
      `${where}: a tensor of ${data.length} elements is too large for JSON (the limit is ${MAX_ARRAY_LENGTH}, MAX_ARRAY_LENGTH)`,
    );
  }
  const out = new Array<number | NonFiniteToken>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = encode(data[i]);
  return { dtype: 'float64', shape: shape.slice(), data: out };
}

/** True for a plain object with own `shape` and `data` keys: what {@link decodeTensor} reads. */
export function looksLikeTensorJSON(x: unknown): boolean {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  try {
    const proto = Object.getPrototypeOf(x);
    return (proto === Object.prototype || proto === null) && Object.hasOwn(x, 'shape') && Object.hasOwn(x, 'data');
  } catch {
    return false; // a Proxy whose traps throw is not the JSON form
  }
}

/**
 * Reads the JSON form (as parsed by `JSON.parse`) back into data and a shape.
 * @throws {InvalidArgumentError} for anything but `{ dtype?: "float64", shape, data }` with valid entries;
 * {@link ShapeError} when the data does not fill the shape.
 */
export function decodeTensor(json: unknown, where: string): { data: Float64Array; shape: Shape } {
  if (!looksLikeTensorJSON(json)) {
    throw new InvalidArgumentError(`${where}: expected the JSON form { dtype, shape, data } of a tensor, got ${describeValue(json)}`);
  }
  const fields = readOptions(json, where, ['dtype', 'shape', 'data']);
  if (fields.dtype !== undefined && fields.dtype !== 'float64') {
    throw new InvalidArgumentError(`${where}: dtype must be "float64", got ${describeValue(fields.dtype)}`);
  }
  const shape = checkShape(fields.shape, where, 'shape');
  const items = fields.data;
  if (!Array.isArray(items)) throw new InvalidArgumentError(`${where}: data must be an array, got ${describeValue(items)}`);
  const n = sizeOf(shape);
  if (items.length !== n) {
    throw new ShapeError(`${where}: ${items.length} data values do not fill shape ${formatShape(shape)}`);
  }
  const data = allocF64(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = items[i];
    if (typeof v === 'number') data[i] = v;
    else if (typeof v === 'string' && Object.hasOwn(TOKENS, v)) data[i] = TOKENS[v];
    else {
      throw new InvalidArgumentError(
        `${where}: data[${i}] must be a number or one of "-0", "NaN", "Infinity", "-Infinity", got ${describeValue(v)}`,
      );
    }
  }
  return { data, shape };
}
