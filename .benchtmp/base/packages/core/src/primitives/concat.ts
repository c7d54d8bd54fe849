/** Concatenation along an existing axis; its transpose slices the cotangent back apart. @module */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocF64 } from '../kernels/alloc.js';
import { sizeOf, sizeOfRange, withExtent } from '../shape.js';
import { Tensor, tensorOf } from '../tensor.js';
import { sliceAxis } from './slice.js';

/** Joins inputs of equal shape off `axis` (checked by the public `concat`) along `axis`. */
export const concatPrim: Primitive<{ readonly axis: number }> = definePrimitive<{ readonly axis: number }>({
  name: 'concat',
  impl: (xs, { axis }) => {
    let extent = 0;
    for (const x of xs) extent += x.shape[axis];
    const shape = withExtent(xs[0].shape, axis, extent);
    const outer = sizeOfRange(shape, 0, axis);
    const out = allocF64(sizeOf(shape));
    const rowOut = sizeOfRange(shape, axis);
    let col = 0;
    for (const x of xs) {
      const row = sizeOfRange(x.shape, axis);
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + col);
      col += row;
    }
    return tensorOf(out, shape);
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
