/**
 * Creation functions (`jnp.zeros`, `jnp.arange`, …): they return new concrete tensors, constants to every transform.
 * Every size is checked against `MAX_SIZE` before anything is allocated.
 * @module
 */
import { checkFiniteNumber, checkInteger, checkNumber } from '../args.js';
import { toValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { allocF64 } from '../kernels/alloc.js';
import { MAX_SIZE } from '../limits.js';
import { checkShapeOrExtent, sizeOf } from '../shape.js';
import { type Tensor, tensorOf } from '../tensor.js';
import type { ArrayInput } from '../value.js';

/** A new tensor of zeros; `shape` is a list of extents or one extent (`zeros(3)` is `zeros([3])`). */
export function zeros(shape: number | readonly number[]): Tensor {
  const s = checkShapeOrExtent(shape, 'zeros');
  return tensorOf(allocF64(sizeOf(s)), s);
}

/** A new tensor of ones; `shape` is a list of extents or one extent. */
export function ones(shape: number | readonly number[]): Tensor {
  const s = checkShapeOrExtent(shape, 'ones');
  return tensorOf(allocF64(sizeOf(s)).fill(1), s);
}

/** A new tensor with every element equal to `value` (any float64, NaN and ±Infinity included). */
export function full(shape: number | readonly number[], value: number): Tensor {
  const s = checkShapeOrExtent(shape, 'full');
  checkNumber(value, 'full', 'value');
  return tensorOf(allocF64(sizeOf(s)).fill(value), s);
}

/** Zeros of the shape of `x`; `x` may be a tracer (only its shape is read), the result is a constant. */
export function zerosLike(x: ArrayInput): Tensor {
  const s = toValue(x, 'zerosLike', 'x').shape;
  return tensorOf(allocF64(sizeOf(s)), s);
}

/** Ones of the shape of `x`; `x` may be a tracer (only its shape is read), the result is a constant. */
export function onesLike(x: ArrayInput): Tensor {
  const s = toValue(x, 'onesLike', 'x').shape;
  return tensorOf(allocF64(sizeOf(s)).fill(1), s);
}

/**
 * The `n × m` matrix with ones on diagonal `k` (`jnp.eye`): `k = 0` is the main diagonal, `k > 0` above it, `k < 0`
 * below it. `m` defaults to `n`.
 */
export function eye(n: number, m: number = n, k = 0): Tensor {
  checkInteger(n, 'eye', 'n', 0);
  checkInteger(m, 'eye', 'm', 0);
  checkInteger(k, 'eye', 'diagonal offset k');
  if (n * m > MAX_SIZE) throw new InvalidArgumentError(`eye: ${n} × ${m} is more than MAX_SIZE (${MAX_SIZE}) elements`);
  const o = allocF64(n * m);
  for (let i = Math.max(0, -k); i < n && i + k < m; i++) o[i * m + i + k] = 1;
  return tensorOf(o, Object.freeze([n, m]));
}

/**
 * Evenly spaced values `start, start + step, …` below `stop` (above it for a negative step), as `jnp.arange`:
 * `arange(n)` is `[0, 1, …, n-1]`; the length is `ceil((stop - start) / step)` and element i is `start + i·step`.
 * @throws {InvalidArgumentError} for a zero step, a non-finite argument or a length above `MAX_SIZE`
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  checkFiniteNumber(start, 'arange', 'start');
  checkFiniteNumber(stop, 'arange', 'stop');
  checkFiniteNumber(step, 'arange', 'step');
  if (step === 0) throw new InvalidArgumentError('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (!(n <= MAX_SIZE)) {
    throw new InvalidArgumentError(`arange: ${n} values from ${start} to ${stop} by ${step} are more than MAX_SIZE (${MAX_SIZE})`);
  }
  const o = allocF64(n);
  for (let i = 0; i < n; i++) o[i] = start + i * step;
  return tensorOf(o, Object.freeze([n]));
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (`jnp.linspace`); the last element is exactly
 * `stop`. `num = 1` gives `[start]`.
 * @throws {InvalidArgumentError} for a negative or non-integer `num` (or one above `MAX_SIZE`) or a non-finite bound
 */
export function linspace(start: number, stop: number, num = 50): Tensor {
  checkFiniteNumber(start, 'linspace', 'start');
  checkFiniteNumber(stop, 'linspace', 'stop');
  checkInteger(num, 'linspace', 'num', 0, MAX_SIZE);
  const o = allocF64(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) o[i] = start + i * step;
  // both ends exactly (start + 0·step would turn a -0 start into +0)
  if (num > 0) o[0] = start;
  if (num > 1) o[num - 1] = stop;
  return tensorOf(o, Object.freeze([num]));
}
