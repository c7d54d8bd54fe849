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
import { neg } from '../ops/arithmetic.js';
import type { Value } from '../value.js';
import { triangle } from './helpers.js';
import { type TriangularSolveParams, inPlaceTriangularBatch, triangularSolveParams } from './triangular-params.js';

/** The product's parameters: the solve's (side, triangle, transpose, unit diagonal) and a sign. */
export interface TriangularMatmulParams extends TriangularSolveParams {
  /** Form −op(T)·B (negation is exact, and folded into the copy of B: no extra array for the rules' minus signs). */
  readonly negate: boolean;
}

const PARAMS: TriangularMatmulParams[] = [];
for (let i = 0; i < 32; i++) {
  const base = triangularSolveParams((i & 8) !== 0, (i & 4) !== 0, (i & 2) !== 0, (i & 1) !== 0);
  PARAMS.push(Object.freeze({ ...base, negate: (i & 16) !== 0 }));
}

/** The shared frozen parameter object of one kind of product (no allocation per call). */
export function triangularMatmulParams(
  left: boolean, lower: boolean, transpose: boolean, unit: boolean, negate = false,
): TriangularMatmulParams {
  return PARAMS[(negate ? 16 : 0) + (left ? 8 : 0) + (lower ? 4 : 0) + (transpose ? 2 : 0) + (unit ? 1 : 0)];
}

/**
 * `±op(T)·B` (`left`) or `±B·op(T)` for triangular `T` [..., n, n] (only the `lower` or upper triangle is read, the
 * diagonal taken as ones with `unit`) and a matrix `B` ([..., n, m] or [..., m, n]); batch axes broadcast. Linear in
 * each argument: the JVP is two such products (the kernel masks a tangent of T by reading only its triangle; with a
 * unit diagonal the tangent's strict triangle is multiplied), the VJP one product with op(T)ᵀ for B̄ and a general
 * product masked to the triangle for T̄.
 */
export const triangularMatmulPrim: Primitive<TriangularMatmulParams> = definePrimitive<TriangularMatmulParams>({
  name: 'triangularMatmul',
  impl: ([t, b], { left, lower, transpose, unit, negate }) =>
    inPlaceTriangularBatch(t, b, left, 'triangularMatmul', (rows, cols, n, tOff, out, outOff) => {
      dense.trmm(!left, lower, transpose, unit, rows, cols, t.data, tOff, n, out, outOff, cols);
    }, negate),
  jvp: ([tT, tB], [t, b], out, p) => {
    // with a unit diagonal the diagonal is constant: the tangent's product is with its strict triangle
    const dT = tT === null
      ? null
      : p.unit
        ? bind(triangularMatmulPrim, [triangle(tT, p.lower, true), b], triangularMatmulParams(p.left, p.lower, p.transpose, false, p.negate))
        : bind(triangularMatmulPrim, [tT, b], p);
    return sumTerms(out.shape, dT, tB === null ? null : bind(triangularMatmulPrim, [t, tB], p));
  },
  // Left C = op(T)·B: B̄ = op(T)ᵀ·C̄, T̄ = mask(C̄·Bᵀ) (op = T) or mask(B·C̄ᵀ) (op = Tᵀ).
  // Right C = B·op(T): B̄ = C̄·op(T)ᵀ, T̄ = mask(Bᵀ·C̄) (op = T) or mask(C̄ᵀ·B) (op = Tᵀ). Negated: both negated.
  vjp: (ct, [t, b], _out, p, needs) => {
    let tBar: Value | null = null;
    if (needs[0]) {
      const g = p.left
        ? p.transpose ? matmul(b, ct, { transposeB: true }) : matmul(ct, b, { transposeB: true })
        : p.transpose ? matmul(ct, b, { transposeA: true }) : matmul(b, ct, { transposeA: true });
      const masked = triangle(g, p.lower, p.unit);
      tBar = unbroadcast(p.negate ? neg(masked) : masked, t.shape);
    }
    const bBar = needs[1]
      ? unbroadcast(bind(triangularMatmulPrim, [t, ct], triangularMatmulParams(p.left, p.lower, !p.transpose, p.unit, p.negate)), b.shape)
      : null;
    return [tBar, bBar];
  },
});

/**
 * `op(T)·B` (`left`) or `B·op(T)` for a valid triangular `T` and matrix `B`, bound directly (for rules); with
 * `negate`, minus that product.
 */
export function multiplyTriangular(t: Value, b: Value, left: boolean, lower: boolean, transpose: boolean, negate = false): Value {
  return bind(triangularMatmulPrim, [t, b], triangularMatmulParams(left, lower, transpose, false, negate));
}
