/**
 * Small batched matrix expressions used by the parametrisations, written with core ops so they differentiate in
 * both modes. Vectors are [..., D], matrices [..., D, D]; batch axes broadcast as in `matmul`.
 * @module
 */
import {
  type ArrayInput,
  type IndexSpec,
  type Value,
  broadcastTo,
  cholesky,
  diag,
  diagonal,
  expandDims,
  log,
  matmul,
  mul,
  slice,
  squeeze,
  sub,
  sum,
  tril,
  triangularInverse,
  triangularSolve,
} from '@natgrad/core';
import { symmetricPart } from './symmetric-part.js';

/** `½(X + Xᵀ)` on the last two axes: the projection onto symmetric matrices (one primitive, `symmetric-part.ts`). */
export function sym(x: Value): Value {
  return symmetricPart(x);
}

/** `Φ(X) = tril(X) − ½ diag(X)`: the lower triangle with the diagonal halved (MATH.md). */
export function phi(x: Value): Value {
  return sub(tril(x), mul(diag(diagonal(x)), 0.5));
}

/** Batched matrix–vector product `A v` (or `Aᵀ v`, with no transposed copy): A [..., D, D], v [..., D] → [..., D]. */
export function mv(a: ArrayInput, v: Value, transpose = false): Value {
  return squeeze(matmul(a, expandDims(v, -1), { transposeA: transpose }), -1);
}

/** Batched outer product `u vᵀ`: [..., D] × [..., D] → [..., D, D] (core's `outer` flattens instead). */
export function outerBatch(u: Value, v: Value): Value {
  return mul(expandDims(u, -1), expandDims(v, -2));
}

/** Reverses both matrix axes: `J X J` with J the exchange matrix, in O(D²) without a product. */
export function flipMatrix(x: Value): Value {
  const index: IndexSpec[] = x.shape.slice(0, -2).map(() => null);
  index.push([null, null, -1], [null, null, -1]);
  return slice(x, ...index);
}

/**
 * The lower Cholesky factor of `P⁻¹` for SPD `P`, without forming `P⁻¹` and with one Cholesky instead of two:
 * with J the exchange matrix and `M = J P J = Lm Lmᵀ`, `P = U Uᵀ` for the upper triangular `U = J Lm J`, so
 * `P⁻¹ = U⁻ᵀ U⁻¹` and `U⁻ᵀ = J Lm⁻ᵀ J` is lower triangular with a positive diagonal: the factor sought.
 * `Lm⁻ᵀ` is a triangular inverse (n³/3 multiply-adds, a third of a solve against the identity).
 * Also more accurate than `cholesky(inverse(P))` for ill-conditioned P (no explicit inverse is factorised).
 */
export function choleskyOfInverse(p: Value): Value {
  return flipMatrix(triangularInverse(cholesky(flipMatrix(p)), { transpose: true }));
}

/** `Σᵢ log Aᵢᵢ` of each matrix [..., D, D] → [...]: half the log-determinant of `A Aᵀ` for a Cholesky factor A. */
export function sumLogDiagonal(a: Value): Value {
  return sum(log(diagonal(a)), -1);
}

/**
 * `op(A)⁻¹ B` for a triangular A [..., D, D] and a *matrix* right-hand side B [..., D, M] whose batch axes may be
 * fewer than A's: B is broadcast first, so core's vector rule (rank one below A means a batch of vectors) never
 * misreads it.
 */
export function solveTriangularMatrix(a: Value, b: Value, transpose = false): Value {
  const rhs = b.shape.length < a.shape.length ? broadcastTo(b, [...a.shape.slice(0, -2), ...b.shape.slice(-2)]) : b;
  return triangularSolve(a, rhs, { transpose });
}
