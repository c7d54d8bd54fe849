/** Joining arrays: concat along an existing axis, stack along a new one. @module */
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import * as lax from '../lax.js';
import { MAX_SIZE } from '../limits.js';
import { concatPrim } from '../primitives/concat.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { ArrayInput, Value } from '../value.js';

function values(xs: unknown, where: string): Value[] {
  if (!Array.isArray(xs)) {
    throw new InvalidArgumentError(`${where}: xs must be an array of arrays, got ${describeValue(xs)}`);
  }
  if (xs.length === 0) throw new InvalidArgumentError(`${where}: needs at least one array`);
  // An index loop, not map: map skips the holes of a sparse array, which must be reported, not dropped.
  const out = new Array<Value>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = toValue(xs[i], where, `xs[${i}]`);
  return out;
}

function joined(vs: readonly Value[], ax: number, where: string): Value {
  const first = vs[0].shape;
  let extent = 0;
  for (const v of vs) {
    if (v.shape.length !== first.length || v.shape.some((d, i) => i !== ax && d !== first[i])) {
      throw new ShapeError(`${where}: shapes ${formatShape(first)} and ${formatShape(v.shape)} differ off axis ${ax}`);
    }
    extent += v.shape[ax];
  }
  if ((extent * vs[0].size) / Math.max(1, first[ax]) > MAX_SIZE) {
    throw new InvalidArgumentError(`${where}: the result would have more than MAX_SIZE elements`);
  }
  return vs.length === 1 ? vs[0] : bind(concatPrim, vs, { axis: ax });
}

/** Joins arrays along an existing axis (`jnp.concatenate`). */
export function concat(xs: readonly ArrayInput[], axis = 0): Value {
  const vs = values(xs, 'concat');
  const nd = vs[0].shape.length;
  if (nd === 0) throw new ShapeError('concat: cannot concatenate scalars (use stack)');
  return joined(vs, normalizeAxis(axis, nd, 'concat'), 'concat');
}

/** Stacks arrays of equal shape along a new axis (`jnp.stack`). */
export function stack(xs: readonly ArrayInput[], axis = 0): Value {
  const vs = values(xs, 'stack');
  const shape = vs[0].shape;
  const ax = normalizeAxis(axis, shape.length + 1, 'stack');
  const expanded = vs.map((v) => {
    if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(`stack: shapes ${formatShape(shape)} and ${formatShape(v.shape)} differ`);
    }
    const s = new Array<number>(shape.length + 1);
    for (let i = 0, j = 0; i < s.length; i++) s[i] = i === ax ? 1 : v.shape[j++];
    return lax.reshape(v, Object.freeze(s));
  });
  return joined(expanded, ax, 'stack');
}
