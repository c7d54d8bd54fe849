/**
 * The binary elementwise (broadcasting) primitives: one table entry per op, its strided loop and the rules
 * `g ↦ g·∂f/∂x` and `g ↦ g·∂f/∂y` (both JVP and VJP, see `elementwise.ts`).
 * @module
 */
import type { Primitive } from '../ad/primitive.js';
import { primalValue } from '../ad/trace.js';
import * as loops from '../kernels/binary.js';
import * as dual from '../kernels/dual.js';
import * as lax from '../lax.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { binaryPrimitive } from './elementwise.js';

const ZERO = Tensor.scalar(0);
const ONE = Tensor.scalar(1);

export const addPrim = binaryPrimitive({
  name: 'add',
  loop: loops.addLoop,
  derivatives: [(g) => g, (g) => g],
  linear: true,
  dual: { both: dual.addDual, onlyX: null, onlyY: null },
});
export const subPrim = binaryPrimitive({
  name: 'sub',
  loop: loops.subLoop,
  derivatives: [(g) => g, (g) => lax.neg(g)],
  linear: true,
  dual: { both: dual.subDual, onlyX: null, onlyY: dual.subDualB },
});
export const mulPrim = binaryPrimitive({
  name: 'mul',
  loop: loops.mulLoop,
  derivatives: [(g, _x, y) => lax.mul(g, y), (g, x) => lax.mul(x, g)],
  dual: { both: dual.mulDual, onlyX: dual.mulDualA, onlyY: dual.mulDualB },
});
/** ∂(x/y)/∂y = −x/y² = −out/y, so the y rule is −(g/y)·out in two passes. */
export const divPrim = binaryPrimitive({
  name: 'div',
  loop: loops.divLoop,
  derivatives: [(g, _x, y) => lax.div(g, y), (g, _x, y, out) => lax.scaledMul(lax.div(g, y), out, -1)],
});

/**
 * @internal `scale · x · y` in one pass. Derivative rules such as square's `2·x·g` use it instead of two
 * multiplications: on the forward-mode hot path every pass over the data counts.
 */
export const scaledMulPrim: Primitive<{ readonly scale: number }> = binaryPrimitive<{ readonly scale: number }>({
  name: 'scaledMul',
  loop: loops.scaledMulLoop,
  derivatives: [(g, _x, y, _o, p) => lax.scaledMul(g, y, p.scale), (g, x, _y, _o, p) => lax.scaledMul(x, g, p.scale)],
});

/** True when the concrete value under `v` has a zero element (decides only which equivalent formula is built). */
function hasZero(v: Value): boolean {
  const d = primalValue(v).data;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) return true;
  return false;
}

/**
 * `g · ∂x^y/∂x = g · y·x^(y−1)`, taken as 0 where y = 0 (x⁰ is constant; avoids 0·∞ at x = 0), as in JAX. A constant
 * scalar exponent (the common `pow(x, 2)`) gets a cheaper formula with the same value.
 */
function timesDPowDx(g: Value, x: Value, y: Value): Value {
  if (y instanceof Tensor && y.shape.length === 0) {
    const c = y.data[0];
    if (c === 0) return lax.mul(g, ZERO);
    if (c === 1) return g;
    return lax.scaledMul(g, c === 2 ? x : lax.pow(x, Tensor.scalar(c - 1)), c);
  }
  const d = lax.mul(y, lax.pow(x, lax.sub(y, ONE)));
  return lax.mul(g, hasZero(y) ? lax.where(lax.equal(y, ZERO), ZERO, d) : d);
}

/** ∂x^y/∂y = log(x)·x^y, with log(x) taken as 0 where x = 0 (0^y is constant there for y > 0), as in JAX. */
function dPowDy(x: Value, out: Value): Value {
  const lx = hasZero(x) ? lax.log(lax.where(lax.equal(x, ZERO), ONE, x)) : lax.log(x);
  return lax.mul(lx, out);
}

/** IEEE 754 pow. The y rule involves log(x) and is only built when y carries a derivative. */
export const powPrim = binaryPrimitive({
  name: 'pow',
  loop: loops.powLoop,
  derivatives: [(g, x, y) => timesDPowDx(g, x, y), (g, x, _y, out) => lax.mul(g, dPowDy(x, out))],
});

/**
 * @internal Derivative weight of the first operand of `maximum` (`min: false`) or `minimum` (`min: true`): 1 where
 * it is the strict winner, ½ on a tie, 0 where it loses or either operand is NaN (JAX's balanced tie rule).
 * Piecewise constant, hence non-differentiable.
 */
export const extremumWeightPrim: Primitive<{ readonly min: boolean }> = binaryPrimitive<{ readonly min: boolean }>({
  name: 'extremumWeight',
  loop: loops.extremumWeightLoop,
});

/** On ties the derivative is split ½/½ between the operands, as in JAX, so `maximum(x, x)` has derivative 1. */
export const maximumPrim = binaryPrimitive({
  name: 'maximum',
  loop: loops.maximumLoop,
  derivatives: [
    (g, x, y) => lax.mul(g, lax.extremumWeight(x, y, false)),
    (g, x, y) => lax.mul(g, lax.extremumWeight(y, x, false)),
  ],
});
export const minimumPrim = binaryPrimitive({
  name: 'minimum',
  loop: loops.minimumLoop,
  derivatives: [
    (g, x, y) => lax.mul(g, lax.extremumWeight(x, y, true)),
    (g, x, y) => lax.mul(g, lax.extremumWeight(y, x, true)),
  ],
});

export const greaterPrim = binaryPrimitive({ name: 'greater', loop: loops.greaterLoop });
export const greaterEqualPrim = binaryPrimitive({ name: 'greaterEqual', loop: loops.greaterEqualLoop });
export const lessPrim = binaryPrimitive({ name: 'less', loop: loops.lessLoop });
export const lessEqualPrim = binaryPrimitive({ name: 'lessEqual', loop: loops.lessEqualLoop });
export const equalPrim = binaryPrimitive({ name: 'equal', loop: loops.equalLoop });
export const notEqualPrim = binaryPrimitive({ name: 'notEqual', loop: loops.notEqualLoop });
