import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { formatShape, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Value } from '../value.js';
import { reshape } from './reshape.js';
import { sliceAxis } from './slice.js';

export const concatPrim: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: 'concat',
  impl: (xs, { axis }) => {
    const shape = xs[0].shape.slice();
    shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    const outer = sizeOf(shape.slice(0, axis));
    const out = new Float64Array(sizeOf(shape));
    const rowOut = sizeOf(shape.slice(axis));
    let col = 0;
    for (const x of xs) {
      const row = sizeOf(x.shape.slice(axis));
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + col);
      col += row;
    }
    return new Tensor(out, shape);
  },
  jvp: (ts, xs, _, { axis }) => bind(concatPrim, ts.map((t, i) => t ?? Tensor.zeros(xs[i].shape)), { axis }),
  vjp: (ct, xs, _, { axis }, needs) => {
    let start = 0;
    return xs.map((x, i) => {
      const stop = start + x.shape[axis];
      const g = needs[i] ? sliceAxis(ct, axis, start, stop) : null;
      start = stop;
      return g;
    });
  },
});

/** Joins arrays along an existing axis (`jnp.concatenate`). */
export function concat(xs: readonly ArrayInput[], axis = 0): Value {
  if (xs.length === 0) throw new InvalidArgumentError('concat: needs at least one array');
  const vs = xs.map(asValue);
  const nd = vs[0].shape.length;
  if (nd === 0) throw new ShapeError('concat: cannot concatenate scalars (use stack)');
  const ax = normalizeAxis(axis, nd, 'concat');
  for (const v of vs) {
    if (v.shape.length !== nd || v.shape.some((d, i) => i !== ax && d !== vs[0].shape[i])) {
      throw new ShapeError(`concat: shapes ${formatShape(vs[0].shape)} and ${formatShape(v.shape)} differ off axis ${ax}`);
    }
  }
  if (vs.length === 1) return vs[0];
  return bind(concatPrim, vs, { axis: ax });
}

/** Stacks arrays of equal shape along a new axis (`jnp.stack`). */
export function stack(xs: readonly ArrayInput[], axis = 0): Value {
  if (xs.length === 0) throw new InvalidArgumentError('stack: needs at least one array');
  const vs = xs.map(asValue);
  const shape = vs[0].shape;
  const nd = shape.length + 1;
  const ax = normalizeAxis(axis, nd, 'stack');
  const expanded = vs.map((v) => {
    if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(`stack: shapes ${formatShape(shape)} and ${formatShape(v.shape)} differ`);
    }
    const s = v.shape.slice();
    s.splice(ax, 0, 1);
    return reshape(v, s);
  });
  return concat(expanded, ax);
}
