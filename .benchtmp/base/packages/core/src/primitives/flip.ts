/** Reversal of axes (`jnp.flip`): a strided copy with negative strides, its own transpose. @module */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { allocF64 } from '../kernels/alloc.js';
import { gather } from '../kernels/strided.js';
import { stridesOf } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** Reverses the sorted, valid `axes`. Linear and self-adjoint: its JVP and VJP are flips too. */
export const flipPrim: Primitive<{ readonly axes: readonly number[] }> = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'flip',
  impl: ([x], { axes }) => {
    const strides = stridesOf(x.shape);
    let offset = 0;
    for (const a of axes) {
      if (x.shape[a] > 0) offset += (x.shape[a] - 1) * strides[a];
      strides[a] = -strides[a];
    }
    const out = allocF64(x.data.length);
    gather(x.data, offset, x.shape, strides, out);
    return tensorOf(out, x.shape);
  },
  jvp: ([t], _, __, p) => bind(flipPrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(flipPrim, [ct], p)],
});
