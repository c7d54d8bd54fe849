/**
 * Typed errors. Every error natgrad throws is a {@link NatgradError}; its subclass tells what went wrong and its
 * fields tell where, so callers can branch on `instanceof` instead of parsing messages.
 * @module
 */
import { describeValue } from './describe.js';
import { allFinite } from './kernels/finite.js';

/** Base class of every error thrown by natgrad packages. */
export class NatgradError extends Error {
  /** A stable machine-readable code, e.g. `"SHAPE_MISMATCH"`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Operands have incompatible shapes (broadcasting, matmul, reshape, tree structure, …). */
export class ShapeError extends NatgradError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** An argument is outside its domain (bad axis, negative size, invalid option, invalid hyperparameter…). */
export class InvalidArgumentError extends NatgradError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** A matrix that must be positive definite is not; `pivot` is the failing row of the factorisation. */
export class NotPositiveDefiniteError extends NatgradError {
  /** Index (0-based) of the first pivot that was not strictly positive. */
  readonly pivot: number;
  /** The value the pivot took (≤ 0 or NaN). */
  readonly pivotValue: number;
  /** Index of the matrix within the batch (0 for a single matrix). */
  readonly batchIndex: number;
  constructor(pivot: number, pivotValue: number, batchIndex = 0, where = 'cholesky') {
    const batch = batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    super(
      'NOT_POSITIVE_DEFINITE',
      `${where}: matrix is not positive definite${batch}: pivot ${pivot} is ${pivotValue}`,
    );
    this.pivot = pivot;
    this.pivotValue = pivotValue;
    this.batchIndex = batchIndex;
  }
}

/** A matrix that must be invertible is singular (a zero pivot in LU or triangular solve). */
export class SingularMatrixError extends NatgradError {
  /** Index (0-based) of the pivot that is exactly zero. */
  readonly pivot: number;
  /** Index of the matrix within the batch (0 for a single matrix). */
  readonly batchIndex: number;
  constructor(pivot: number, batchIndex = 0, where = 'solve') {
    const batch = batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    super('SINGULAR_MATRIX', `${where}: matrix is singular${batch}: pivot ${pivot} is zero`);
    this.pivot = pivot;
    this.batchIndex = batchIndex;
  }
}

/**
 * A value that must be finite is NaN or ±Infinity; `index` is the flat (row-major) index of the first offender and,
 * when the array's shape is known, `multiIndex` its position along each axis (e.g. `[row, column]`).
 */
export class NonFiniteError extends NatgradError {
  /** Flat (row-major) index of the first NaN or infinity. */
  readonly index: number;
  /** The offending value (NaN, Infinity or -Infinity). */
  readonly value: number;
  /** Shape of the array that was checked, when known. */
  readonly shape: readonly number[] | undefined;
  /** Position of the offender along each axis of `shape` (e.g. `[row, column]`), when the shape is known. */
  readonly multiIndex: readonly number[] | undefined;
  constructor(where: string, index: number, value: number, shape?: readonly number[]) {
    const multiIndex = shape === undefined ? undefined : unravelIndex(index, shape);
    const at = multiIndex === undefined ? '' : ` (index [${multiIndex.join(', ')}] of shape [${shape!.join(', ')}])`;
    super('NON_FINITE', `${where}: non-finite value ${value} at flat index ${index}${at}`);
    this.index = index;
    this.value = value;
    this.shape = shape === undefined ? undefined : Object.freeze(shape.slice());
    this.multiIndex = multiIndex;
  }
}

/** The row-major multi-index of flat index `index` in `shape` (undefined if it is out of range). */
function unravelIndex(index: number, shape: readonly number[]): readonly number[] | undefined {
  let size = 1;
  for (const d of shape) size *= d;
  if (!(index >= 0 && index < size)) return undefined;
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = rest % shape[i];
    rest = Math.floor(rest / shape[i]);
  }
  return Object.freeze(out);
}

/**
 * The engine could not allocate an array that is within natgrad's size limit (`MAX_SIZE`): the machine is out of
 * memory for it. Requests above the limit are an {@link InvalidArgumentError} instead.
 */
export class OutOfMemoryError extends NatgradError {
  /** Number of float64 elements that could not be allocated. */
  readonly elements: number;
  constructor(elements: number) {
    super('OUT_OF_MEMORY', `cannot allocate ${elements} float64 elements (${(Number(elements) * 8) / 2 ** 20} MiB): out of memory`);
    this.elements = elements;
  }
}

/**
 * A tracer was used outside the transform that created it (for example a value captured from inside `jvp` and used
 * after `jvp` returned). Using it would silently give a wrong derivative, so it is an error.
 */
export class TracerEscapeError extends NatgradError {
  constructor(message: string) {
    super('ESCAPED_TRACER', message);
  }
}

/** A traced value was asked for a concrete number (e.g. `toArray()` inside `grad`); use `primalValue` instead. */
export class ConcretizationError extends NatgradError {
  constructor(message: string) {
    super('CONCRETIZATION', message);
  }
}

/**
 * Throws {@link NonFiniteError} if `data` (a typed array or an array of numbers) holds a NaN or infinity; pass the
 * array's `shape` so that the error also gives the offender's multi-index. `where` starts the message.
 * @throws {InvalidArgumentError} when `data` is not such an array, `where` is not a string, or `shape` is not a list
 * of non-negative integers.
 */
export function assertFinite(data: ArrayLike<number>, where: string, shape?: readonly number[]): void {
  // Core's own calls pass a Float64Array and a string: the checks below are for everyone else.
  if (!(data instanceof Float64Array) || typeof where !== 'string' || (shape !== undefined && !Array.isArray(shape))) {
    checkFiniteArguments(data, where, shape);
  }
  if (data instanceof Float64Array && allFinite(data)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) throw new NonFiniteError(where, i, v, shape);
  }
}

function checkFiniteArguments(data: unknown, where: unknown, shape: unknown): void {
  const fail = (message: string): never => {
    throw new InvalidArgumentError(`assertFinite: ${message}`);
  };
  if (typeof where !== 'string') fail(`where must be a string, got ${describeValue(where)}`);
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      if (typeof data[i] !== 'number') fail(`data must hold numbers, got ${describeValue(data[i])} at index ${i}`);
    }
  } else if (!ArrayBuffer.isView(data) || data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
    fail(`data must be a typed array or an array of numbers, got ${describeValue(data)}`);
  }
  if (shape !== undefined && !(Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0))) {
    fail(`shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
}
