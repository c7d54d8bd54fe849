/** Axis permutations (`lax.transpose`): a batched, cache-blocked matrix transpose or a strided gather. @module */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { allocUninitialized } from '../kernels/alloc.js';
import { permute } from '../kernels/transpose.js';
import * as lax from '../lax.js';
import { permuteShape } from '../shape.js';
import { tensorOf } from '../tensor.js';

/** The inverse permutation. */
export function inversePermutation(perm: readonly number[]): readonly number[] {
  const inv = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inv[perm[i]] = i;
  return Object.freeze(inv);
}

/** Output axis i is input axis `perm[i]`; `perm` is a valid permutation (checked by the public `transpose`). */
export const transposePrim: Primitive<{ readonly perm: readonly number[] }> = definePrimitive<{ readonly perm: readonly number[] }>({
  name: 'transpose',
  impl: ([x], { perm }) => {
    const out = allocUninitialized(x.data.length);
    permute(x.data, x.shape, perm, out);
    return tensorOf(out, permuteShape(x.shape, perm));
  },
  jvp: ([t], _, __, { perm }) => lax.transpose(t!, perm),
  vjp: (ct, _, __, { perm }) => [lax.transpose(ct, inversePermutation(perm))],
});
