/** Arithmetic with NumPy broadcasting. @module */
import * as p from '../primitives/binary.js';
import { negPrim } from '../primitives/unary.js';
import type { ArrayInput, Result } from '../value.js';
import { binary, unary } from './entry.js';

/** Elementwise `x + y` with broadcasting. */
export function add<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.addPrim, x, y) as Result<A | B>;
}

/** Elementwise `x - y` with broadcasting. */
export function sub<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.subPrim, x, y) as Result<A | B>;
}

/** Elementwise `x * y` with broadcasting. */
export function mul<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.mulPrim, x, y) as Result<A | B>;
}

/** Elementwise `x / y` with broadcasting (IEEE semantics: `1/0 = Infinity`). */
export function div<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.divPrim, x, y) as Result<A | B>;
}

/** Elementwise `-x`. */
export function neg<T extends ArrayInput>(x: T): Result<T> {
  return unary(negPrim, x) as Result<T>;
}

/**
 * Elementwise `x^y` with broadcasting (IEEE 754 pow: NaN for a negative base with a non-integer exponent, `1^y = 1`).
 * The derivative in y involves log(x) and is only formed when y carries a derivative, so a negative base with a
 * constant exponent differentiates fine.
 */
export function pow<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.powPrim, x, y) as Result<A | B>;
}

/**
 * Elementwise maximum with broadcasting (`jnp.maximum`, `Math.max` semantics: NaN propagates, `+0 > -0`). On ties the
 * derivative is split ½/½ between the operands, as in JAX, so `maximum(x, x)` has derivative 1.
 */
export function maximum<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.maximumPrim, x, y) as Result<A | B>;
}

/**
 * Elementwise minimum with broadcasting (`jnp.minimum`, `Math.min` semantics: NaN propagates, `-0 < +0`). On ties the
 * derivative is split ½/½ between the operands, as in JAX.
 */
export function minimum<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return binary(p.minimumPrim, x, y) as Result<A | B>;
}
