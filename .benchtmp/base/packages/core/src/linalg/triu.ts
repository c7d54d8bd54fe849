import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { matrixRank } from './shapes.js';
import { checkOffset, maskBand } from './tril.js';

/** Keeps the entries on and above the k-th diagonal of each matrix (`j − i ≥ k`), zeroes the rest. */
export const triuPrim: Primitive<{ k: number }> = definePrimitive<{ k: number }>({
  name: 'triu',
  impl: ([x], { k }) => new Tensor(maskBand(x, k, false), x.shape),
  // A projection: linear and self-adjoint.
  jvp: ([t], _, __, { k }) => bind(triuPrim, [t!], { k }),
  vjp: (ct, _, __, { k }) => [bind(triuPrim, [ct], { k })],
});

/**
 * Upper triangle of each matrix in `x` ([..., r, c]), as `jnp.triu`: keeps entries on and above the k-th diagonal
 * (`k = 0` main, `k > 0` above it, `k < 0` below it) and zeroes the rest.
 */
export function triu<T extends ArrayInput>(x: T, k = 0): Result<T> {
  const v = toValue(x, 'triu', 'x');
  matrixRank(v.shape, 'triu');
  checkOffset(k, 'triu');
  return bind(triuPrim, [v], { k }) as Result<T>;
}
