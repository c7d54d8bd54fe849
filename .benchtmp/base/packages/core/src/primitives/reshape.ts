/** Reshape: the same elements in a new shape, sharing the buffer (tensors are immutable, so no copy). @module */
import { definePrimitive } from '../ad/primitive.js';
import * as lax from '../lax.js';
import type { Shape } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** `shape` is frozen and has the input's size (checked by the public `reshape`). */
export const reshapePrim = definePrimitive<{ readonly shape: Shape }>({
  name: 'reshape',
  impl: ([x], { shape }) => tensorOf(x.data, shape),
  jvp: ([t], _, __, { shape }) => lax.reshape(t!, shape),
  vjp: (ct, [x]) => [lax.reshape(ct, x.shape)],
});
