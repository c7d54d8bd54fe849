/** Comparisons, tests and selection. Comparisons return 1/0 floats and have zero derivatives. @module */
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import * as p from '../primitives/binary.js';
import { isFinitePrim, isNaNPrim } from '../primitives/unary.js';
import { wherePrim } from '../primitives/where.js';
import type { ArrayInput, Result } from '../value.js';
import { binary, unary } from './entry.js';

/** Elementwise `x > y` as 1/0 floats, with broadcasting; false when either is NaN. Zero derivative. */
export function greater<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.greaterPrim, x, y) as Result<A | B>;
}

/** Elementwise `x >= y` as 1/0 floats, with broadcasting; false when either is NaN. Zero derivative. */
export function greaterEqual<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.greaterEqualPrim, x, y) as Result<A | B>;
}

/** Elementwise `x < y` as 1/0 floats, with broadcasting; false when either is NaN. Zero derivative. */
export function less<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.lessPrim, x, y) as Result<A | B>;
}

/** Elementwise `x <= y` as 1/0 floats, with broadcasting; false when either is NaN. Zero derivative. */
export function lessEqual<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.lessEqualPrim, x, y) as Result<A | B>;
}

/** Elementwise `x == y` as 1/0 floats, with broadcasting (IEEE: NaN equals nothing, 0 equals -0). Zero derivative. */
export function equal<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.equalPrim, x, y) as Result<A | B>;
}

/** Elementwise `x != y` as 1/0 floats, with broadcasting (IEEE: true when either is NaN). Zero derivative. */
export function notEqual<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.notEqualPrim, x, y) as Result<A | B>;
}

/** Elementwise test for a finite value (neither NaN nor ±Infinity), as 1/0 floats. Zero derivative. */
export function isFinite<T extends ArrayInput>(x: T): Result<T> {
  return unary(isFinitePrim, x) as Result<T>;
}

/** Elementwise test for NaN, as 1/0 floats. Zero derivative. */
export function isNaN<T extends ArrayInput>(x: T): Result<T> {
  return unary(isNaNPrim, x) as Result<T>;
}

/**
 * Elementwise selection `cond ? x : y` (`jnp.where`), all three broadcast together; `cond` is any array, non-zero
 * (and NaN) meaning true, and gets no derivative. The unselected branch receives an exact zero cotangent, so its
 * gradient only becomes NaN if its own derivative is non-finite there (0·∞, e.g. `where(x > 0, sqrt(x), 0)` at
 * x = 0, JAX's known where-NaN issue): feed that branch a safe input instead (`sqrt(where(x > 0, x, 1))`).
 */
export function where<C extends ArrayInput, A extends ArrayInput, B extends ArrayInput>(
  cond: C,
  x: A,
  y: B,
): Result<C | A | B> {
  const args = [toValue(cond, 'where', 'cond'), toValue(x, 'where', 'x'), toValue(y, 'where', 'y')];
  return bind(wherePrim, args, undefined) as Result<C | A | B>;
}
