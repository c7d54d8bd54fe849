/**
 * The product of a triangular matrix and a general one (BLAS `trmm`) as a primitive for the derivative rules of the
 * factorisations: `op(T)·B` (left) or `B·op(T)`, reading only T's triangle, at a third of a general product's flops.
 * The Cholesky rule's `L·Φ(…)` and the triangular solve's `op(dT)·X` are such products. @module
 */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { sumTerms, unbroadcast } from '../lax.js';
import { matmul } from '../primitives/matmul.js';
import type { Value } from '../value.js';
import { triangle } from './helpers.js';
import { type TriangularSolveParams, inPlaceTriangularBatch, triangularSolveParams } from './triangular-params.js';

/**
 * `op(T)·B` (`left`) or `B·op(T)` for triangular `T` [..., n, n] (only the `lower` or upper triangle is read, the
 * diagonal taken as ones with `unit`) and a matrix `B` ([..., n, m] or [..., m, n]); batch axes broadcast. Linear in
 * each argument: the JVP is two such products (the kernel masks a tangent of T by reading only its triangle), the
 * VJP one product with op(T)ᵀ for B̄ and a general product masked to the triangle for T̄.
 */
export const triangularMatmulPrim: Primitive<TriangularSolveParams> = definePrimitive<TriangularSolveParams>({
  name: 'triangularMatmul',
  impl: ([t, b], { left, lower, transpose, unit }) =>
    inPlaceTriangularBatch(t, b, left, 'triangularMatmul', (rows, cols, n, tOff, out, outOff) => {
      dense.trmm(!left, lower, transpose, unit, rows, cols, t.data, tOff, n, out, outOff, cols);
    }),
  jvp: ([tT, tB], [t, b], out, p) => {
    let dT: Value | null = null;
    if (tT !== null) {
      // with a unit diagonal the diagonal is constant: the tangent's product is with its strict triangle
      dT = p.unit
        ? p.left
          ? matmul(triangle(tT, p.lower, true), b, { transposeA: p.transpose })
          : matmul(b, triangle(tT, p.lower, true), { transposeB: p.transpose })
        : bind(triangularMatmulPrim, [tT, b], p);
    }
    return sumTerms(out.shape, dT, tB === null ? null : bind(triangularMatmulPrim, [t, tB], p));
  },
  // Left C = op(T)·B: B̄ = op(T)ᵀ·C̄, T̄ = mask(C̄·Bᵀ) (op = T) or mask(B·C̄ᵀ) (op = Tᵀ).
  // Right C = B·op(T): B̄ = C̄·op(T)ᵀ, T̄ = mask(Bᵀ·C̄) (op = T) or mask(C̄ᵀ·B) (op = Tᵀ).
  vjp: (ct, [t, b], _out, p, needs) => {
    let tBar: Value | null = null;
    if (needs[0]) {
      const g = p.left
        ? p.transpose ? matmul(b, ct, { transposeB: true }) : matmul(ct, b, { transposeB: true })
        : p.transpose ? matmul(ct, b, { transposeA: true }) : matmul(b, ct, { transposeA: true });
      tBar = unbroadcast(triangle(g, p.lower, p.unit), t.shape);
    }
    const bBar = needs[1]
      ? unbroadcast(bind(triangularMatmulPrim, [t, ct], triangularSolveParams(p.left, p.lower, !p.transpose, p.unit)), b.shape)
      : null;
    return [tBar, bBar];
  },
});

/** `op(T)·B` (`left`) or `B·op(T)` for a valid triangular `T` and matrix `B`, bound directly (for rules). */
export function multiplyTriangular(t: Value, b: Value, left: boolean, lower: boolean, transpose: boolean): Value {
  return bind(triangularMatmulPrim, [t, b], triangularSolveParams(left, lower, transpose, false));
}
