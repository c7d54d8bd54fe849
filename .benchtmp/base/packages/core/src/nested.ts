/**
 * Nested JavaScript arrays of numbers to flat float64 data and a shape, with every element checked: a string, a
 * hole, `null`, an object or a ragged row is a typed error naming the path of the offender, never a silent NaN.
 * @module
 */
import { describeValue } from './describe.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { allocF64 } from './kernels/alloc.js';
import { MAX_RANK, MAX_SIZE } from './limits.js';
import { type Shape, formatShape } from './shape.js';

/** How the caller names the value in messages: `"Tensor.from: values"`, `"add: argument y"`. */
export interface Subject {
  readonly where: string;
  readonly what: string;
}

function path(indices: readonly number[]): string {
  return indices.map((i) => `[${i}]`).join('');
}

function notANumber(x: unknown, at: readonly number[], s: Subject): InvalidArgumentError {
  const hint = x !== null && typeof x === 'object' && !Array.isArray(x) && 'shape' in (x as object) ? ' (use ops.stack to join tensors)' : '';
  return new InvalidArgumentError(
    `${s.where}: ${s.what} must be a number or a nested array of numbers, got ${describeValue(x)} at ${path(at)}${hint}`,
  );
}

/** The shape of a nested array read along its first elements (checked for rank and size). */
function inferShape(values: readonly unknown[], s: Subject): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  let size = 1;
  while (Array.isArray(v)) {
    if (shape.length === MAX_RANK) {
      throw new InvalidArgumentError(`${s.where}: ${s.what} is nested more than ${MAX_RANK} deep`);
    }
    shape.push(v.length);
    size *= v.length;
    if (v.length === 0) break;
    v = v[0];
  }
  if (size > MAX_SIZE) throw new InvalidArgumentError(`${s.where}: ${s.what} has more than ${MAX_SIZE} elements`);
  return shape;
}

function fill(values: unknown, shape: Shape, axis: number, out: Float64Array, offset: number, at: number[], s: Subject): number {
  if (axis === shape.length - 1) {
    const row = values as readonly unknown[];
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v !== 'number') {
        at.push(i);
        throw Array.isArray(v) ? ragged(shape, at, s) : notANumber(v, at, s);
      }
      out[offset + i] = v;
    }
    return offset + row.length;
  }
  const arr = values as readonly unknown[];
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    at.push(i);
    if (!Array.isArray(v)) throw typeof v === 'number' ? ragged(shape, at, s) : notANumber(v, at, s);
    if (v.length !== shape[axis + 1]) throw ragged(shape, at, s, v.length);
    offset = fill(v, shape, axis + 1, out, offset, at, s);
    at.pop();
  }
  return offset;
}

function ragged(shape: Shape, at: readonly number[], s: Subject, length?: number): ShapeError {
  const expected = at.length < shape.length ? `length ${shape[at.length]}` : 'a number';
  const got = length === undefined ? '' : ` (length ${length})`;
  return new ShapeError(
    `${s.where}: ${s.what} is a ragged nested array: expected ${expected} at ${path(at)}${got}, as the first elements ` +
      `give shape ${formatShape(shape)}`,
  );
}

/** Flattens a (rectangular) nested array of numbers; its shape is read from its first elements. */
export function flattenNested(values: readonly unknown[], s: Subject): { data: Float64Array; shape: number[] } {
  const shape = inferShape(values, s);
  let size = 1;
  for (const d of shape) size *= d;
  const data = allocF64(size);
  fill(values, shape, 0, data, 0, [], s); // also for size 0: [[], [1]] is ragged
  return { data, shape };
}

/** Copies an array-like of numbers (a typed array, a plain array) into new float64 data, checking every element. */
export function copyNumbers(values: ArrayLike<unknown>, s: Subject): Float64Array {
  let n: unknown;
  try {
    n = values.length;
  } catch {
    throw new InvalidArgumentError(`${s.where}: ${s.what} could not be read (a Proxy or getter that throws)`);
  }
  if (ArrayBuffer.isView(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array || values instanceof DataView) {
      throw new InvalidArgumentError(`${s.where}: ${s.what} must hold numbers, got ${describeValue(values)}`);
    }
    const data = allocF64((values as Float64Array).length);
    data.set(values as Float64Array);
    return data;
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_SIZE) {
    throw new InvalidArgumentError(`${s.where}: ${s.what} has an invalid length ${describeValue(n)}`);
  }
  const data = allocF64(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw notANumber(v, [i], s);
    data[i] = v;
  }
  return data;
}
