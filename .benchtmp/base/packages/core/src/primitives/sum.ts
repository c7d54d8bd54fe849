/** Summation over axes; its transpose is a broadcast. @module */
import { definePrimitive } from '../ad/primitive.js';
import { sumAxes } from '../kernels/reduce.js';
import * as lax from '../lax.js';
import { keepAxes, removeAxes } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** Sum over the sorted, non-empty `axes`; the output drops them (keepdims is a reshape in the public op). */
export const sumPrim = definePrimitive<{ readonly axes: readonly number[] }>({
  name: 'sum',
  impl: ([x], { axes }) => tensorOf(sumAxes(x.data, x.shape, axes), removeAxes(x.shape, axes)),
  jvp: ([t], _, __, { axes }) => lax.sum(t!, axes),
  vjp: (ct, [x], _, { axes }) => [lax.broadcastTo(lax.reshape(ct, keepAxes(x.shape, axes)), x.shape)],
});
