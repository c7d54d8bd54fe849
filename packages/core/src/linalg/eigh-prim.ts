import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { add, concat, diag, diagonal, expandDims, matmul, mul } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import {
  degenerateColumns, degeneratePairs, maskedReciprocal, pairwiseDifferences, rejectDegenerate, rejectUsedDegenerate,
} from './gaps.js';
import { memo } from './memo.js';
import { row, rows } from './packed.js';
import { squareOrder } from './shapes.js';
import { eighPacked } from './spectrum.js';

const WHERE = 'eigh (derivative of the eigenvectors)';

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
    const known = eighFactors.peek(a);
    return known instanceof Tensor ? known : eighPacked(a, 'eigh');
  },
  // dλ = diag(Vᵀ Ȧ V), dV = V (F ∘ (Vᵀ Ȧ V)), Fᵢⱼ = 1/(λⱼ − λᵢ); eigenvectors of a repeated eigenvalue have none.
  jvp: ([t], _, out) => {
    const { w, v } = unpackEigh(out);
    const pairs = degeneratePairs(w);
    rejectDegenerate(degenerateColumns(pairs, null), w, WHERE, 'eigenvalue');
    const inner = matmul(v, matmul(t!, v), { transposeA: true });
    return concat([expandDims(diagonal(inner), -2), matmul(v, mul(maskedReciprocal(pairwiseDifferences(w), pairs), inner))], -2);
  },
  // Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ, the adjoint of the rule above; V̄ must vanish on repeated eigenvalues.
  vjp: (ct, _, out) => {
    const { w, v } = unpackEigh(out);
    const { w: wBar, v: vBar } = unpackEigh(ct);
    const pairs = degeneratePairs(w);
    rejectUsedDegenerate(degenerateColumns(pairs, null), w, [vBar], WHERE, 'eigenvalue');
    const f = maskedReciprocal(pairwiseDifferences(w), pairs);
    const inner = add(diag(wBar), mul(f, matmul(v, vBar, { transposeA: true })));
    return [matmul(v, matmul(inner, v, { transposeB: true }))];
  },
});

/** The eigenvalues [..., n] and eigenvectors [..., n, n] of a packed {@link eighPrim} output (or its cotangent). */
export function unpackEigh(packed: Value): { w: Value; v: Value } {
  const n = packed.shape[packed.shape.length - 1];
  return { w: row(packed, 0), v: rows(packed, 1, n + 1) };
}

/**
 * The packed eigendecomposition of a symmetric value, computed once per value (by the functions built on it, and
 * primed by {@link eigh} so that eigenvalues and eigenvectors share one kernel call).
 */
export const eighFactors = memo((s) => bind(eighPrim, [s], undefined));
