/**
 * Creation functions (`jnp.zeros`, `jnp.arange`, …): they return new concrete tensors, constants to every transform.
 * @module
 */
import { asValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput } from '../value.js';

function shapeArg(shape: number | readonly number[], where: string): readonly number[] {
  return checkShape(typeof shape === 'number' ? [shape] : shape, where);
}

function checkNumber(value: number, what: string, where: string): void {
  if (typeof value !== 'number') {
    throw new InvalidArgumentError(`${where}: ${what} must be a number, got ${typeof value}`);
  }
}

function checkFinite(value: number, what: string, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${where}: ${what} must be a finite number, got ${value}`);
  }
}

function checkCount(value: number, what: string, where: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${where}: ${what} must be a non-negative integer, got ${value}`);
  }
}

/** A new tensor of zeros; `shape` is a list of extents or one extent (`zeros(3)` is `zeros([3])`). */
export function zeros(shape: number | readonly number[]): Tensor {
  const s = shapeArg(shape, 'zeros');
  return new Tensor(new Float64Array(sizeOf(s)), s);
}

/** A new tensor of ones; `shape` is a list of extents or one extent. */
export function ones(shape: number | readonly number[]): Tensor {
  const s = shapeArg(shape, 'ones');
  return new Tensor(new Float64Array(sizeOf(s)).fill(1), s);
}

/** A new tensor with every element equal to `value` (any float64, NaN and ±Infinity included). */
export function full(shape: number | readonly number[], value: number): Tensor {
  const s = shapeArg(shape, 'full');
  checkNumber(value, 'value', 'full');
  return new Tensor(new Float64Array(sizeOf(s)).fill(value), s);
}

/** Zeros of the shape of `x`; `x` may be a tracer (only its shape is read), the result is a constant. */
export function zerosLike(x: ArrayInput): Tensor {
  return zeros(asValue(x).shape);
}

/** Ones of the shape of `x`; `x` may be a tracer (only its shape is read), the result is a constant. */
export function onesLike(x: ArrayInput): Tensor {
  return ones(asValue(x).shape);
}

/**
 * The `n × m` matrix with ones on diagonal `k` (`jnp.eye`): `k = 0` is the main diagonal, `k > 0` above it, `k < 0`
 * below it. `m` defaults to `n`.
 */
export function eye(n: number, m: number = n, k = 0): Tensor {
  checkCount(n, 'n', 'eye');
  checkCount(m, 'm', 'eye');
  if (!Number.isInteger(k)) throw new InvalidArgumentError(`eye: diagonal offset k must be an integer, got ${k}`);
  const o = new Float64Array(n * m);
  for (let i = Math.max(0, -k); i < n && i + k < m; i++) o[i * m + i + k] = 1;
  return new Tensor(o, [n, m]);
}

/**
 * Evenly spaced values `start, start + step, …` below `stop` (above it for a negative step), as `jnp.arange`:
 * `arange(n)` is `[0, 1, …, n-1]`; the length is `ceil((stop - start) / step)` and element i is `start + i·step`.
 * @throws {InvalidArgumentError} for a zero step or a non-finite argument
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  checkFinite(start, 'start', 'arange');
  checkFinite(stop, 'stop', 'arange');
  checkFinite(step, 'step', 'arange');
  if (step === 0) throw new InvalidArgumentError('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) o[i] = start + i * step;
  return new Tensor(o, [n]);
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (`jnp.linspace`); the last element is exactly
 * `stop`. `num = 1` gives `[start]`.
 * @throws {InvalidArgumentError} for a negative or non-integer `num` or a non-finite bound
 */
export function linspace(start: number, stop: number, num = 50): Tensor {
  checkFinite(start, 'start', 'linspace');
  checkFinite(stop, 'stop', 'linspace');
  checkCount(num, 'num', 'linspace');
  const o = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) o[i] = start + i * step;
  // both ends exactly (start + 0·step would turn a -0 start into +0)
  if (num > 0) o[0] = start;
  if (num > 1) o[num - 1] = stop;
  return new Tensor(o, [num]);
}
