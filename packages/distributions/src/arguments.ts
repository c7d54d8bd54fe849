/**
 * Checks of the arguments that are not Gaussians: callbacks, integers, arrays of data, scalar hyperparameters, and
 * the size of what a call is about to allocate. Every check reads primal values (tracers are unwrapped), so it also
 * runs inside `grad`/`jvp`, and every failure is a typed error naming the function and the argument.
 * @module
 */
import {
  ArrayValue,
  InvalidArgumentError,
  NonFiniteError,
  ShapeError,
  Tensor,
  type Value,
  primalValue,
  random,
} from '@natgrad/core';
import { describeValue } from './describe.js';
import { InvalidParameterError } from './errors.js';

/**
 * Largest number of float64 elements one call allocates for a single intermediate array (2²⁶ ≈ 6.7e7, 512 MiB):
 * sample draws, quadrature grids, broadcast batches, the N × N matrix of {@link conjugatePosterior}. Larger requests
 * are an {@link @natgrad/core!InvalidArgumentError} before anything is allocated; split the work instead (e.g. draw
 * samples in chunks with split keys).
 */
export const MAX_ARRAY_SIZE = 2 ** 26;

/** `f` must be a function that can be called: a class constructor (a function to `typeof`) is refused too. */
export function checkFunction(where: string, label: string, f: unknown): asserts f is (...args: never[]) => unknown {
  if (typeof f !== 'function') throw new InvalidArgumentError(`${where}: ${label} must be a function, got ${describeValue(f)}`);
  // A class has a read-only prototype (a plain function a writable one, arrows none): read its source only then.
  const proto = Object.getOwnPropertyDescriptor(f, 'prototype');
  if (proto !== undefined && proto.writable === false && /^class\b/.test(Function.prototype.toString.call(f))) {
    throw new InvalidArgumentError(`${where}: ${label} must be a function, got a class constructor (it cannot be called without new)`);
  }
}

/** An integer in [min, max]: NaN, fractions, infinities, non-numbers and out-of-range values are refused. */
export function checkInteger(where: string, label: string, n: unknown, min: number, max: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${where}: ${label} must be an integer in [${min}, ${max}], got ${describeValue(n)}`);
  }
  return n;
}

/** A random key (`random.key(seed)`, or one of `random.split`). */
export function checkKey(where: string, label: string, key: unknown): random.Key {
  if (!(key instanceof random.Key)) {
    throw new InvalidArgumentError(`${where}: ${label} must be a random.Key (e.g. random.key(0)), got ${describeValue(key)}`);
  }
  return key;
}

/** Refuses to allocate more than {@link MAX_ARRAY_SIZE} elements for `what` (shape given before allocation). */
export function checkSize(where: string, what: string, shape: readonly number[]): void {
  let n = 1;
  for (const s of shape) n *= s;
  if (n > MAX_ARRAY_SIZE) {
    throw new InvalidArgumentError(
      `${where}: ${what} would have shape [${shape.join(', ')}] (${n} elements), more than MAX_ARRAY_SIZE = ` +
        `${MAX_ARRAY_SIZE}; split the computation into smaller pieces`,
    );
  }
}

/**
 * A tensor, number or nested array of numbers as a value (no check of the entries). Conversion errors of nested
 * arrays are re-raised naming `where` and `label`.
 */
export function toValue(where: string, label: string, x: unknown): Value {
  if (x instanceof ArrayValue) return x as Value;
  if (typeof x === 'number') return Tensor.scalar(x);
  if (!Array.isArray(x)) {
    throw new InvalidArgumentError(`${where}: ${label} must be a tensor, a number or a nested array of numbers, got ${describeValue(x)}`);
  }
  try {
    return Tensor.from(x as never);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${where}: ${label}: ${e.message}`);
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`${where}: ${label}: ${e.message}`);
    throw e;
  }
}

/** A data argument (tensor, number or nested array of numbers) as a value with finite entries. */
export function checkArray(where: string, label: string, x: unknown): Value {
  const v = toValue(where, label, x);
  checkFinite(`${where}: ${label}`, primalValue(v));
  return v;
}

/**
 * A scalar hyperparameter such as a noise variance: a number or a value of shape [] (which may be a tracer, to
 * differentiate it), finite and strictly positive.
 */
export function checkPositiveScalar(where: string, label: string, x: unknown): Value {
  const v = checkArray(where, label, x);
  if (v.shape.length !== 0) {
    throw new ShapeError(`${where}: ${label} must be a scalar (a number or a value of shape []), got shape [${v.shape.join(', ')}]`);
  }
  const p = primalValue(v).data[0];
  if (!(p > 0)) throw new InvalidParameterError(where, label, [], p, 'must be positive');
  return v;
}

/** Throws {@link @natgrad/core!NonFiniteError} naming `where` and the flat index of the first NaN or infinity. */
export function checkFinite(where: string, t: Tensor): void {
  const i = firstNonFinite(t.data);
  if (i >= 0) throw new NonFiniteError(where, i, t.data[i]);
}

/** The index of the first NaN or ±∞ in `d`, or −1. */
export function firstNonFinite(d: Float64Array): number {
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/** An argument that may be ±∞ (a function value, a log density) but not NaN. */
export function checkNotNaN(where: string, label: string, x: Value): void {
  const d = primalValue(x).data;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) throw new NonFiniteError(`${where}: ${label}`, i, d[i]);
}

/**
 * A result must not hold NaN (±∞ is a legitimate limit of densities and divergences, NaN never is): the backstop
 * that turns a NaN no argument check could foresee into a typed error naming its origin.
 */
export function checkNoNaN(where: string, what: string, x: Value): void {
  const d = primalValue(x).data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== d[i]) {
      throw new NonFiniteError(`${where}: ${what} is NaN although the arguments are valid (is q numerically usable? see checkUsable)`, i, d[i]);
    }
  }
}
