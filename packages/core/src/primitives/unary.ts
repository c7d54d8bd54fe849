/**
 * The unary elementwise primitives: one table entry per op, its loop and its derivative rule `g ↦ g·f'(x)`
 * (both the JVP and the VJP, see `elementwise.ts`). Rules use the output `y` where that saves work (`exp`, `tanh`,
 * `sigmoid`) and one-pass fused products where they exist (`square`: 2·x·g).
 * @module
 */
import * as dual from '../kernels/dual.js';
import * as loops from '../kernels/unary.js';
import * as lax from '../lax.js';
import { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';

const ONE = Tensor.scalar(1);
const TWO = Tensor.scalar(2);

export const negPrim = unaryPrimitive({ name: 'neg', loop: loops.negLoop, derivative: (g) => lax.neg(g), dual: dual.negDual });
export const expPrim = unaryPrimitive({ name: 'exp', loop: loops.expLoop, derivative: (g, _x, y) => lax.mul(g, y), dual: dual.expDual });
export const logPrim = unaryPrimitive({ name: 'log', loop: loops.logLoop, derivative: (g, x) => lax.div(g, x), dual: dual.logDual });
export const log1pPrim = unaryPrimitive({
  name: 'log1p',
  loop: loops.log1pLoop,
  derivative: (g, x) => lax.div(g, lax.add(x, ONE)),
});
/** d expm1(x) = eˣ = y + 1. */
export const expm1Prim = unaryPrimitive({
  name: 'expm1',
  loop: loops.expm1Loop,
  derivative: (g, _x, y) => lax.mul(g, lax.add(y, ONE)),
});
/** d √x = 1 / (2√x) = 1 / (2y). */
export const sqrtPrim = unaryPrimitive({
  name: 'sqrt',
  loop: loops.sqrtLoop,
  derivative: (g, _x, y) => lax.div(g, lax.mul(y, TWO)),
  dual: dual.sqrtDual,
});
/** 2·x·g in one pass (this is on the forward-mode hot path of least-squares objectives). */
export const squarePrim = unaryPrimitive({
  name: 'square',
  loop: loops.squareLoop,
  derivative: (g, x) => lax.scaledMul(g, x, 2),
  dual: dual.squareDual,
});
export const sinPrim = unaryPrimitive({ name: 'sin', loop: loops.sinLoop, derivative: (g, x) => lax.mul(g, lax.cos(x)), dual: dual.sinDual });
/** −g·sin(x) in two passes (sin, then one fused scaled product). */
export const cosPrim = unaryPrimitive({
  name: 'cos',
  loop: loops.cosLoop,
  derivative: (g, x) => lax.scaledMul(g, lax.sin(x), -1),
  dual: dual.cosDual,
});
/** d tanh(x) = 1 − y². */
export const tanhPrim = unaryPrimitive({
  name: 'tanh',
  loop: loops.tanhLoop,
  derivative: (g, _x, y) => lax.mul(g, lax.sub(ONE, lax.square(y))),
  dual: dual.tanhDual,
});
/** d σ(x) = y·(1 − y). */
export const sigmoidPrim = unaryPrimitive({
  name: 'sigmoid',
  loop: loops.sigmoidLoop,
  derivative: (g, _x, y) => lax.mul(g, lax.mul(y, lax.sub(ONE, y))),
});
/** d softplus(x) = σ(x). */
export const softplusPrim = unaryPrimitive({
  name: 'softplus',
  loop: loops.softplusLoop,
  derivative: (g, x) => lax.mul(g, lax.sigmoid(x)),
});
/** d |x| = sign(x): 0 at x = 0, the subgradient JAX picks. */
export const absPrim = unaryPrimitive({ name: 'abs', loop: loops.absLoop, derivative: (g, x) => lax.mul(g, lax.sign(x)) });
export const signPrim = unaryPrimitive({ name: 'sign', loop: loops.signLoop });
export const isFinitePrim = unaryPrimitive({ name: 'isFinite', loop: loops.isFiniteLoop });
export const isNaNPrim = unaryPrimitive({ name: 'isNaN', loop: loops.isNaNLoop });
