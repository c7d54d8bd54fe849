/**
 * Block manipulation of batches of matrices for the derivative rules of the factorisations, bound directly (the
 * shapes are known to be valid there): sub-blocks, joins, zero padding, and the factors held by packed LU output.
 * Every helper is made of primitives, so rules written with them differentiate again. @module
 */
import { bind } from '../ad/trace.js';
import * as lax from '../lax.js';
import { concatPrim } from '../primitives/concat.js';
import { slicePrim, sliceParams } from '../primitives/slice.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { triangle } from './helpers.js';

/** Rows `r0 … r1 − 1` and columns `c0 … c1 − 1` of every matrix of `x` ([..., r, c]). */
export function block(x: Value, r0: number, r1: number, c0: number, c1: number): Value {
  const nd = x.shape.length;
  if (r0 === 0 && c0 === 0 && r1 === x.shape[nd - 2] && c1 === x.shape[nd - 1]) return x;
  const starts = new Array<number>(nd).fill(0), steps = new Array<number>(nd).fill(1);
  starts[nd - 2] = r0;
  starts[nd - 1] = c0;
  const shape = x.shape.slice();
  shape[nd - 2] = r1 - r0;
  shape[nd - 1] = c1 - c0;
  return bind(slicePrim, [x], sliceParams(x.shape, starts, steps, Object.freeze(shape)));
}

/** `x` joined with `y` along the rows (`axis` −2) or the columns (−1) of its matrices; empty operands are dropped. */
export function join(x: Value, y: Value, axis: -2 | -1): Value {
  const nd = x.shape.length;
  if (y.shape[nd + axis] === 0) return x;
  if (x.shape[nd + axis] === 0) return y;
  return bind(concatPrim, [x, y], { axis: nd + axis });
}

/** Zeros of the shape of a batch of `r`×`c` matrices with the batch axes of `like`. */
export function zerosBlock(like: Value, r: number, c: number): Tensor {
  const shape = like.shape.slice();
  shape[shape.length - 2] = r;
  shape[shape.length - 1] = c;
  return Tensor.zeros(shape);
}

/** `x` with `c` zero columns appended to each matrix. */
export function padColumns(x: Value, c: number): Value {
  return c === 0 ? x : join(x, zerosBlock(x, x.shape[x.shape.length - 2], c), -1);
}

/** The unit lower-triangular factor held strictly below the diagonal of the square packed `c`: tril(c, −1) + I. */
export function unitLower(c: Value): Value {
  return lax.add(triangle(c, true, true), Tensor.eye(c.shape[c.shape.length - 1]));
}

/** The upper-triangular factor held on and above the diagonal of the packed `c`. */
export function upper(c: Value): Value {
  return triangle(c, false, false);
}
