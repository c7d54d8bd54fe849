/**
 * The vocabulary of derivative rules, after `jax.lax`: thin functions that bind primitives directly on values whose
 * shapes and parameters are already known to be valid. No conversion, no argument checks (those run once, in the
 * public ops of `ops/`), so a rule costs only its kernels. Also the helpers for symbolic zeros (`null` tangents).
 * @internal
 * @module
 */
import type { MaybeValue } from './ad/primitive.js';
import { bind } from './ad/trace.js';
import * as b from './primitives/binary.js';
import { broadcastToPrim } from './primitives/broadcast-to.js';
import { reshapePrim } from './primitives/reshape.js';
import { sumPrim } from './primitives/sum.js';
import { transposePrim } from './primitives/transpose.js';
import * as u from './primitives/unary.js';
import { wherePrim } from './primitives/where.js';
import { type Shape, keepAxes, shapesEqual } from './shape.js';
import type { Value } from './value.js';

export const neg = (x: Value): Value => bind(u.negPrim, [x], undefined);
export const exp = (x: Value): Value => bind(u.expPrim, [x], undefined);
export const log = (x: Value): Value => bind(u.logPrim, [x], undefined);
export const sqrt = (x: Value): Value => bind(u.sqrtPrim, [x], undefined);
export const square = (x: Value): Value => bind(u.squarePrim, [x], undefined);
export const sin = (x: Value): Value => bind(u.sinPrim, [x], undefined);
export const cos = (x: Value): Value => bind(u.cosPrim, [x], undefined);
export const sigmoid = (x: Value): Value => bind(u.sigmoidPrim, [x], undefined);
export const sign = (x: Value): Value => bind(u.signPrim, [x], undefined);

export const add = (x: Value, y: Value): Value => bind(b.addPrim, [x, y], undefined);
export const sub = (x: Value, y: Value): Value => bind(b.subPrim, [x, y], undefined);
export const mul = (x: Value, y: Value): Value => bind(b.mulPrim, [x, y], undefined);
export const div = (x: Value, y: Value): Value => bind(b.divPrim, [x, y], undefined);
export const pow = (x: Value, y: Value): Value => bind(b.powPrim, [x, y], undefined);
export const equal = (x: Value, y: Value): Value => bind(b.equalPrim, [x, y], undefined);
/** `scale · x · y` in one pass. */
export const scaledMul = (x: Value, y: Value, scale: number): Value => bind(b.scaledMulPrim, [x, y], { scale });
/** The weight of `x` in `maximum(x, y)` (`min` false) or `minimum(x, y)` (`min` true). */
export const extremumWeight = (x: Value, y: Value, min: boolean): Value => bind(b.extremumWeightPrim, [x, y], { min });
export const where = (c: Value, x: Value, y: Value): Value => bind(wherePrim, [c, x, y], undefined);

/** `x` in shape `shape` (a frozen shape of the same size); `x` itself when it already has it. */
export function reshape(x: Value, shape: Shape): Value {
  return shapesEqual(x.shape, shape) ? x : bind(reshapePrim, [x], { shape });
}

/** `x` broadcast to `shape` (a frozen shape `x` broadcasts to); `x` itself when it already has it. */
export function broadcastTo(x: Value, shape: Shape): Value {
  return shapesEqual(x.shape, shape) ? x : bind(broadcastToPrim, [x], { shape });
}

/** Sum over the sorted, valid `axes` (dropped from the shape); `x` itself for none. */
export function sum(x: Value, axes: readonly number[]): Value {
  return axes.length === 0 ? x : bind(sumPrim, [x], { axes });
}

/** Axes permuted by the valid permutation `perm`; `x` itself for the identity. */
export function transpose(x: Value, perm: readonly number[]): Value {
  for (let i = 0; i < perm.length; i++) if (perm[i] !== i) return bind(transposePrim, [x], { perm });
  return x;
}

const swapLastTwo: (readonly number[])[] = [];

/** The last two axes swapped (rank ≥ 2). */
export function matrixTranspose(x: Value): Value {
  const nd = x.shape.length;
  let perm = swapLastTwo[nd];
  if (perm === undefined) {
    const p = Array.from({ length: nd }, (_, i) => i);
    p[nd - 2] = nd - 1;
    p[nd - 1] = nd - 2;
    perm = swapLastTwo[nd] = Object.freeze(p);
  }
  return bind(transposePrim, [x], { perm });
}

/**
 * The transpose of broadcasting: sums `g` over the axes along which a value of shape `shape` was broadcast, giving a
 * value of shape `shape`. Every broadcasting op's VJP ends with it.
 */
export function unbroadcast(g: Value, shape: Shape): Value {
  const gs = g.shape;
  if (shapesEqual(gs, shape)) return g;
  const lead = gs.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes), shape);
}

/** `x` summed over `axes` with those axes kept as extent 1. */
export function sumKeepdims(x: Value, axes: readonly number[]): Value {
  return reshape(sum(x, axes), keepAxes(x.shape, axes));
}

/** `a + b` where either may be a symbolic zero. */
export function addMaybe(a: MaybeValue, b: MaybeValue): MaybeValue {
  if (a === null) return b;
  if (b === null) return a;
  return add(a, b);
}

/** `-a` where `a` may be a symbolic zero. */
export function negMaybe(a: MaybeValue): MaybeValue {
  return a === null ? null : neg(a);
}

/** Broadcasts a tangent to the output shape of a broadcasting op (tangents must match their output's shape). */
export function toShape(t: MaybeValue, shape: Shape): MaybeValue {
  return t === null ? null : broadcastTo(t, shape);
}

/** Sum of the present terms, broadcast to `shape`; null if none is present. */
export function sumTerms(shape: Shape, ...terms: MaybeValue[]): MaybeValue {
  let acc: MaybeValue = null;
  for (const t of terms) acc = addMaybe(acc, t);
  return toShape(acc, shape);
}
