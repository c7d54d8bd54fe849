import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { asValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import { expandDims, matmul, mul, sum } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { eighFactors, unpackEigh } from './eigh-prim.js';
import { ConvergenceError } from './errors.js';
import { sym } from './helpers.js';
import { batchCount, row } from './packed.js';
import { squareOrder } from './shapes.js';

/**
 * Eigenvalues (ascending) of a batch of symmetric matrices, [..., n, n] → [..., n]: the QL iteration without
 * eigenvectors (a quarter of the work of the full decomposition). The rules need the eigenvectors and take them from
 * the full decomposition, computed once per input (and already there when the input came through {@link eigh}).
 */
export const eigvalshPrim: Primitive = definePrimitive({
  name: 'eigvalsh',
  impl: ([a]) => {
    const n = squareOrder(a.shape, 'eigvalsh');
    const known = eighFactors.peek(a); // eigh has decomposed this matrix already
    if (known instanceof Tensor) return row(known, 0) as Tensor;
    const nb = batchCount(a.shape), nn = n * n;
    const out = new Float64Array(nb * n);
    for (let t = 0; t < nb; t++) {
      const bad = dense.syev(false, n, a.data, t * nn, n, out, t * n);
      if (bad >= 0) throw new ConvergenceError('eigvalsh', t, `no QL convergence on eigenvalue ${bad} after 30 iterations`);
    }
    return new Tensor(out, a.shape.slice(0, -1));
  },
  // dλⱼ = (Vᵀ Ȧ V)ⱼⱼ = Σᵢ Vᵢⱼ (Ȧ V)ᵢⱼ
  jvp: ([t], [s]) => {
    const { v } = unpackEigh(eighFactors.of(s));
    return sum(mul(v, matmul(t!, v)), -2);
  },
  // Ā = V diag(λ̄) Vᵀ
  vjp: (ct, [s]) => {
    const { v } = unpackEigh(eighFactors.of(s));
    return [matmul(mul(v, expandDims(ct, -2)), v, { transposeB: true })];
  },
});

/**
 * Eigenvalues of symmetric matrices in ascending order (`jnp.linalg.eigvalsh`), [..., n, n] → [..., n]. The input
 * is symmetrised first, as in {@link eigh}; without eigenvectors the primal costs about a quarter of `eigh`.
 * Derivative: dλ = diag(Vᵀ dA V), exact for symmetric functions of the eigenvalues even where they repeat; an
 * individual eigenvalue inside a repeated cluster has only directional derivatives, and second derivatives at
 * repeated eigenvalues throw {@link NotDifferentiableError} (see {@link eigh}).
 * @throws {ShapeError} if not square; {@link NonFiniteError} on NaN or ±∞; {@link ConvergenceError}.
 */
export function eigvalsh<T extends ArrayInput>(a: T): Result<T> {
  const v = asValue(a);
  squareOrder(v.shape, 'eigvalsh');
  assertFinite(primalValue(v).data, 'eigvalsh');
  return bind(eigvalshPrim, [sym(v)], undefined) as Result<T>;
}
