import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { checkInteger } from '../args.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { matrixRank } from './shapes.js';

/** Keeps the entries on and below the k-th diagonal of each matrix (`j − i ≤ k`), zeroes the rest. */
export const trilPrim: Primitive<{ k: number }> = definePrimitive<{ k: number }>({
  name: 'tril',
  impl: ([x], { k }) => new Tensor(maskBand(x, k, true), x.shape),
  // A projection: linear and self-adjoint.
  jvp: ([t], _, __, { k }) => bind(trilPrim, [t!], { k }),
  vjp: (ct, _, __, { k }) => [bind(trilPrim, [ct], { k })],
});

/** @internal Kernel of tril/triu: copies `x` keeping `j − i ≤ k` (lower) or `j − i ≥ k` (upper) in every matrix. */
export function maskBand(x: Tensor, k: number, lower: boolean): Float64Array {
  const nd = x.shape.length;
  const r = x.shape[nd - 2], c = x.shape[nd - 1];
  const src = x.data, out = new Float64Array(src.length);
  const rc = r * c;
  const nb = rc === 0 ? 0 : src.length / rc;
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < r; i++) {
      const row = t * rc + i * c;
      // kept columns: [0, i + k] for lower, [i + k, c) for upper
      const lo = lower ? 0 : Math.max(0, i + k), hi = lower ? Math.min(c, i + k + 1) : c;
      for (let j = lo; j < hi; j++) out[row + j] = src[row + j];
    }
  }
  return out;
}

/** @internal Validates the diagonal offset of tril/triu. */
export function checkOffset(k: unknown, where: string): void {
  checkInteger(k, where, 'diagonal offset k');
}

/**
 * Lower triangle of each matrix in `x` ([..., r, c]), as `jnp.tril`: keeps entries on and below the k-th diagonal
 * (`k = 0` main, `k < 0` below it, `k > 0` above it) and zeroes the rest.
 */
export function tril<T extends ArrayInput>(x: T, k = 0): Result<T> {
  const v = toValue(x, 'tril', 'x');
  matrixRank(v.shape, 'tril');
  checkOffset(k, 'tril');
  return bind(trilPrim, [v], { k }) as Result<T>;
}
