import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { eighFactors, unpackEigh } from './eigh-prim.js';
import { eigvalshPrim } from './eigvalsh.js';
import { sym } from './helpers.js';
import { squareOrder } from './shapes.js';
import { eighPacked } from './spectrum.js';

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
 *   ties), so results are reproducible; the eigenvectors of a repeated eigenvalue are an arbitrary orthonormal basis
 *   of its eigenspace.
 * - **Algorithm**: Householder tridiagonalisation and implicit QL with Wilkinson shifts (LAPACK `dsyev`), one kernel
 *   call for both outputs; backward stable: ‖A − VΛVᵀ‖ and ‖VᵀV − I‖ are a few n·ε·‖A‖ and n·ε.
 * - **Derivatives**: dλ = diag(Vᵀ dA V) and dV = V (F ∘ (Vᵀ dA V)) with Fᵢⱼ = 1/(λⱼ − λᵢ); the VJP is their adjoint,
 *   Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ (symmetrised). Both are written with ops, so they differentiate again. The two
 *   outputs have separate rules, and `eigenvectors` is only bound (and differentiated) when it is read, so using
 *   only the eigenvalues never involves F.
 * - **Repeated eigenvalues** (closer than 16·n·ε·max|λ|, i.e. equal to round-off): eigenvalue derivatives stay exact
 *   for every symmetric function of the eigenvalues (sums over a cluster, `Σ g(λᵢ)`); an individual eigenvalue inside
 *   a cluster has only directional derivatives. The eigenvectors of a repeated eigenvalue are not even continuous,
 *   so a derivative that needs them — a tangent of `eigenvectors`, or a nonzero cotangent on one of those columns,
 *   or second derivatives of eigenvalues — throws {@link NotDifferentiableError} naming the matrix and the pair
 *   (JAX returns inf/NaN). Matrix functions V·f(Λ)·Vᵀ are differentiable there: use {@link sqrtmh} and
 *   {@link nearestPsd}, whose rules are exact at repeated eigenvalues.
 * @throws {ShapeError} if not square; {@link NonFiniteError} on NaN or ±∞; {@link ConvergenceError} (naming the
 * matrix in the batch) if the QL iteration does not converge.
 */
export function eigh<T extends ArrayInput>(a: T): EighResult<Result<T>> {
  const v = asValue(a);
  squareOrder(v.shape, 'eigh');
  assertFinite(primalValue(v).data, 'eigh');
  const s = sym(v);
  const concrete = primalValue(s); // s is this call's own value, so the entry lives as long as the result
  eighFactors.remember(concrete, eighPacked(concrete, 'eigh'));
  const eigenvalues = bind(eigvalshPrim, [s], undefined);
  let eigenvectors: Value | undefined;
  return Object.freeze({
    eigenvalues,
    get eigenvectors() {
      eigenvectors ??= unpackEigh(eighFactors.of(s)).v;
      return eigenvectors;
    },
  }) as EighResult<Result<T>>;
}
