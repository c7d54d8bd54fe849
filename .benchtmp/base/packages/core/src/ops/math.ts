/** Elementwise math functions (IEEE semantics: NaN propagates, out-of-domain inputs give NaN or ±Infinity). @module */
import * as p from '../primitives/unary.js';
import type { ArrayInput, Result } from '../value.js';
import { unary } from './entry.js';

/** Elementwise `e^x`. */
export function exp<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.expPrim, x) as Result<T>;
}

/** Elementwise natural logarithm (NaN for x < 0, -Infinity at 0, as IEEE). */
export function log<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.logPrim, x) as Result<T>;
}

/** Elementwise `log(1 + x)`, accurate for tiny |x| (NaN for x < -1, -Infinity at -1). */
export function log1p<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.log1pPrim, x) as Result<T>;
}

/** Elementwise `e^x - 1`, accurate for tiny |x|. */
export function expm1<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.expm1Prim, x) as Result<T>;
}

/** Elementwise square root (NaN for x < 0 as IEEE; the derivative is Infinity at 0). */
export function sqrt<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.sqrtPrim, x) as Result<T>;
}

/** Elementwise `x²` (one multiply; cheaper and exact compared with `pow(x, 2)`). */
export function square<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.squarePrim, x) as Result<T>;
}

/** Elementwise sine (radians). */
export function sin<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.sinPrim, x) as Result<T>;
}

/** Elementwise cosine (radians). */
export function cos<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.cosPrim, x) as Result<T>;
}

/** Elementwise hyperbolic tangent (saturates to ±1 without overflow). */
export function tanh<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.tanhPrim, x) as Result<T>;
}

/**
 * Elementwise logistic function `1 / (1 + e^-x)` (`jax.nn.sigmoid`), evaluated without overflow for any x: exp is
 * only ever taken of a non-positive number.
 */
export function sigmoid<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.sigmoidPrim, x) as Result<T>;
}

/**
 * Elementwise `log(1 + e^x)` (`jax.nn.softplus`), computed as `max(x, 0) + log1p(e^-|x|)` so it neither overflows
 * for large x nor loses precision for very negative x. Its derivative is {@link sigmoid}.
 */
export function softplus<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.softplusPrim, x) as Result<T>;
}

/** Elementwise absolute value; its derivative is `sign(x)`, so 0 at x = 0 (the subgradient JAX picks). */
export function abs<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.absPrim, x) as Result<T>;
}

/** Elementwise sign: -1, 0 or 1 (±0 and NaN are kept). Piecewise constant, so its derivative is zero. */
export function sign<T extends ArrayInput>(x: T): Result<T> {
  return unary(p.signPrim, x) as Result<T>;
}
