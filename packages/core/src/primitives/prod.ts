/**
 * Product over axes, with derivatives that stay exact where the input has zeros: they run through a pairwise
 * product tree (as JAX's reduce_prod JVP does), never dividing by an input. @module
 */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { prodAxes } from '../kernels/reduce.js';
import * as lax from '../lax.js';
import { type Shape, removeAxes, sizeOf } from '../shape.js';
import { Tensor, tensorOf } from '../tensor.js';
import type { Value } from '../value.js';
import { concatPrim } from './concat.js';
import { sliceAxis } from './slice.js';

interface ProdParams {
  readonly axes: readonly number[];
}

/**
 * Product over the sorted, non-empty `axes`; the output drops them. JVP: the tangent pushed through the tree
 * y = ∏ xᵢ evaluated pairwise (d(ab) = da·b + a·db at every node); VJP: its adjoint, each leaf's cotangent the
 * product of its siblings along the path to the root, ḡ·∏_{j≠i} xⱼ. Both are O(size) and exact with zeros.
 */
export const prodPrim: Primitive<ProdParams> = definePrimitive<ProdParams>({
  name: 'prod',
  impl: ([x], { axes }) => tensorOf(prodAxes(x.data, x.shape, axes), removeAxes(x.shape, axes)),
  jvp: ([t], [x], out, { axes }) => {
    const k = reducedCount(x.shape, axes);
    if (k === 0) return Tensor.zeros(out.shape);
    const levels = tree(flatten(x, axes, k));
    let dt = flatten(t!, axes, k);
    for (const { a, b, rows } of levels) {
      const h = a.shape[0];
      const db = padRows(sliceAxis(dt, 0, h, rows), h, 0);
      dt = lax.add(lax.mul(sliceAxis(dt, 0, 0, h), b), lax.mul(a, db));
    }
    return lax.reshape(dt, out.shape);
  },
  vjp: (ct, [x], _, { axes }) => {
    const k = reducedCount(x.shape, axes);
    if (k === 0) return [Tensor.zeros(x.shape)];
    const levels = tree(flatten(x, axes, k));
    let g = lax.reshape(ct, Object.freeze([1, sizeOf(ct.shape)]));
    for (let l = levels.length - 1; l >= 0; l--) {
      const { a, b, rows } = levels[l];
      const h = a.shape[0];
      const gb = lax.mul(g, a);
      g = rows === h ? lax.mul(g, b) : bind(concatPrim, [lax.mul(g, b), sliceAxis(gb, 0, 0, rows - h)], { axis: 0 });
    }
    return [unflatten(g, x.shape, axes)];
  },
});

/** One level of the product tree: rows [0, h) times rows [h, rows) padded with a row of ones. */
interface Level {
  readonly a: Value;
  readonly b: Value;
  readonly rows: number;
}

function tree(x: Value): Level[] {
  const levels: Level[] = [];
  let v = x;
  while (v.shape[0] > 1) {
    const rows = v.shape[0], h = (rows + 1) >> 1;
    const a = sliceAxis(v, 0, 0, h), b = padRows(sliceAxis(v, 0, h, rows), h, 1);
    levels.push({ a, b, rows });
    v = lax.mul(a, b);
  }
  return levels;
}

/** `x` ([r, M]) with rows of `value` appended up to `h` rows (r ≥ h − 1). */
function padRows(x: Value, h: number, value: number): Value {
  if (x.shape[0] === h) return x;
  return bind(concatPrim, [x, Tensor.full([h - x.shape[0], x.shape[1]], value)], { axis: 0 });
}

function reducedCount(shape: Shape, axes: readonly number[]): number {
  let k = 1;
  for (const a of axes) k *= shape[a];
  return k;
}

/** The reduced axes moved to the front and merged: [k, rest] (a transpose only when they are not leading). */
function flatten(x: Value, axes: readonly number[], k: number): Value {
  const perm = [...axes, ...x.shape.map((_, i) => i).filter((i) => !axes.includes(i))];
  return lax.reshape(lax.transpose(x, perm), Object.freeze([k, sizeOf(x.shape) / k]));
}

/** The inverse of {@link flatten}. */
function unflatten(g: Value, shape: Shape, axes: readonly number[]): Value {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...axes, ...kept];
  const moved = Object.freeze(perm.map((i) => shape[i]));
  const inverse = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inverse[perm[i]] = i;
  return lax.transpose(lax.reshape(g, moved), inverse);
}
