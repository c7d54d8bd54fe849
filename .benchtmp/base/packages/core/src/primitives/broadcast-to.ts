/** Broadcasting to a larger shape by NumPy rules; its transpose is `lax.unbroadcast` (a sum). @module */
import { definePrimitive } from '../ad/primitive.js';
import { broadcastData } from '../kernels/broadcast.js';
import * as lax from '../lax.js';
import type { Shape } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** `shape` is frozen and the input broadcasts to it (checked by the public `broadcastTo`). */
export const broadcastToPrim = definePrimitive<{ readonly shape: Shape }>({
  name: 'broadcastTo',
  impl: ([x], { shape }) => tensorOf(broadcastData(x.data, x.shape, shape), shape),
  jvp: ([t], _, __, { shape }) => lax.broadcastTo(t!, shape),
  vjp: (ct, [x]) => [lax.unbroadcast(ct, x.shape)],
});
