import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { tensorOf } from '../tensor.js';
import type { Value } from '../value.js';

/** A permutation of the rows of every matrix of a batch. */
export interface PermuteRowsParams {
  /** Matrix t's permutation at `perms[t·r … (t + 1)·r)`, r the number of rows (one per matrix of the batch). */
  readonly perms: Int32Array;
  /** Gather (`y[i] = x[perm[i]]`, i.e. P·X) or, when true, scatter (`y[perm[i]] = x[i]`, i.e. Pᵀ·X). */
  readonly inverse: boolean;
}

/**
 * Row permutation of each matrix of a batch [..., r, c], with a permutation per matrix held in the parameters (the
 * pivots of a factorisation of a primal value: constants). Linear and orthogonal: its transpose is the inverse.
 */
export const permuteRowsPrim: Primitive<PermuteRowsParams> = definePrimitive<PermuteRowsParams>({
  name: 'permuteRows',
  impl: ([x], { perms, inverse }) => {
    const nd = x.shape.length;
    const r = x.shape[nd - 2], c = x.shape[nd - 1];
    const src = x.data, out = new Float64Array(src.length);
    const rc = r * c;
    const nb = rc === 0 ? 0 : src.length / rc;
    for (let t = 0; t < nb; t++) {
      const o = t * rc, q = t * r;
      for (let i = 0; i < r; i++) {
        const p = perms[q + i];
        const from = o + (inverse ? i : p) * c, to = o + (inverse ? p : i) * c;
        for (let j = 0; j < c; j++) out[to + j] = src[from + j];
      }
    }
    return tensorOf(out, x.shape);
  },
  jvp: ([t], _, __, p) => bind(permuteRowsPrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(permuteRowsPrim, [ct], { perms: p.perms, inverse: !p.inverse })],
});

/** `P·X` (`inverse` false: row i of the result is row `perm[i]` of X) or `Pᵀ·X`, per matrix of the batch. */
export function permuteRows(x: Value, perms: Int32Array, inverse: boolean): Value {
  return bind(permuteRowsPrim, [x], { perms, inverse });
}
