import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import { add, concat, diag, diagonal, expandDims, matmul, mul } from '../ops/index.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { degeneratePairs, maskedReciprocal, pairwiseDifferences } from './gaps.js';
import { sym } from './helpers.js';
import { memo } from './memo.js';
import { row, rows } from './packed.js';
import { squareOrder } from './shapes.js';
import { eighPacked } from './spectrum.js';

/**
 * Eigendecomposition of a batch of symmetric matrices (only the lower triangles are read), packed as
 * [..., n + 1, n]: row 0 the eigenvalues (ascending), rows 1 .. n the matrix V of eigenvectors (columns), each
 * column signed so that its entry of largest magnitude is positive. Its input is already symmetric (see
 * {@link eigh}), so tangents are symmetric and the rules need no symmetrisation.
 */
export const eighPrim: Primitive = definePrimitive({
  name: 'eigh',
  impl: ([a]) => {
    squareOrder(a.shape, 'eigh');
    return eighPacked(a, 'eigh');
  },
  // dλ = diag(Vᵀ Ȧ V), dV = V (F ∘ (Vᵀ Ȧ V)), Fᵢⱼ = 1/(λⱼ − λᵢ), 0 for degenerate pairs (see eigh's TSDoc).
  jvp: ([t], _, out) => {
    const { w, v } = unpackEigh(out);
    const inner = matmul(v, matmul(t!, v), { transposeA: true });
    return concat([expandDims(diagonal(inner), -2), matmul(v, mul(inverseGaps(w), inner))], -2);
  },
  // Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ, the adjoint of the rule above.
  vjp: (ct, _, out) => {
    const { w, v } = unpackEigh(out);
    const { w: wBar, v: vBar } = unpackEigh(ct);
    const inner = add(diag(wBar), mul(inverseGaps(w), matmul(v, vBar, { transposeA: true })));
    return [matmul(v, matmul(inner, v, { transposeB: true }))];
  },
});

/** The eigenvalues [..., n] and eigenvectors [..., n, n] of a packed {@link eighPrim} output (or its cotangent). */
export function unpackEigh(packed: Value): { w: Value; v: Value } {
  const n = packed.shape[packed.shape.length - 1];
  return { w: row(packed, 0), v: rows(packed, 1, n + 1) };
}

/** Fᵢⱼ = 1/(λⱼ − λᵢ), zero on the diagonal and for degenerate pairs. */
function inverseGaps(w: Value): Value {
  return maskedReciprocal(pairwiseDifferences(w), degeneratePairs(w));
}

/** The packed eigendecomposition of a symmetric value, computed once per value (used by the functions built on it). */
export const eighFactors = memo((s) => bind(eighPrim, [s], undefined));

/** The result of {@link eigh}, named as NumPy's `EighResult`. */
export interface EighResult<T> {
  /** The eigenvalues in ascending order, [..., n]. */
  readonly eigenvalues: T;
  /** The unit eigenvectors as columns, [..., n, n] (column j belongs to eigenvalue j). */
  readonly eigenvectors: T;
}

/**
 * Eigenvalues and eigenvectors of symmetric matrices (`jnp.linalg.eigh`): `A = V·diag(λ)·Vᵀ` for each matrix of
 * `a` ([..., n, n]), with λ ascending and V orthogonal.
 *
 * - **Input**: `a` is symmetrised first, `½(A + Aᵀ)` (JAX's default `symmetrize_input=True`), so an asymmetry from
 *   round-off does no harm and derivatives are exact along every direction; gradients are symmetric.
 * - **Signs**: each eigenvector is signed so that its entry of largest magnitude is positive (the first one on
 *   ties), so results are reproducible; eigenvectors of a repeated eigenvalue are an arbitrary orthonormal basis of
 *   its eigenspace.
 * - **Algorithm**: Householder tridiagonalisation and implicit QL with Wilkinson shifts (LAPACK `dsyev`); backward
 *   stable: ‖A − VΛVᵀ‖ and ‖VᵀV − I‖ are a few n·ε·‖A‖ and n·ε.
 * - **Derivatives**: dλ = diag(Vᵀ dA V) and dV = V (F ∘ (Vᵀ dA V)) with Fᵢⱼ = 1/(λⱼ − λᵢ); the VJP is their adjoint,
 *   Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ (symmetrised). Both are written with ops, so they differentiate again.
 * - **Repeated eigenvalues**: pairs closer than 16·n·ε·max|λ| count as degenerate and get Fᵢⱼ = 0 (JAX divides by
 *   zero and returns inf/NaN). Then eigenvalue derivatives stay exact for any symmetric function of the eigenvalues
 *   (sums over a cluster, `trace(f(A))`), and eigenvector derivatives are exact for every quantity that does not
 *   depend on the choice of basis inside an eigenspace (V·diag(f(λ))·Vᵀ, spectral projectors); a quantity that does
 *   depend on it has no derivative there, and the value returned is that of the basis chosen.
 * @throws {ShapeError} if not square; {@link NonFiniteError} on NaN or ±∞; {@link ConvergenceError} (naming the
 * matrix in the batch) if the QL iteration does not converge.
 */
export function eigh<T extends ArrayInput>(a: T): EighResult<Result<T>> {
  const v = asValue(a);
  squareOrder(v.shape, 'eigh');
  assertFinite(primalValue(v).data, 'eigh');
  const { w, v: vectors } = unpackEigh(bind(eighPrim, [sym(v)], undefined));
  return { eigenvalues: w, eigenvectors: vectors } as EighResult<Result<T>>;
}
