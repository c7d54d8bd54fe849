import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { ShapeError, assertFinite } from '../errors.js';
import { matmul, reshape, square, sub, sum } from '../ops/index.js';
import { broadcastShapes, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { readOptions } from './options.js';
import { isVectorRhs, matrixRank } from './shapes.js';
import { pinvOf } from './pinv.js';
import { alias } from './memo.js';
import { decompose, svdFactors, svdvalsPrim } from './svd.js';

const EPS = 2 ** -52;

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /**
   * Relative cutoff for small singular values: those ≤ rcond·s₀ count as zero (for the solution and the rank).
   * Default ε·max(m, n), as `jnp.linalg.lstsq`; a negative value means ε (NumPy's convention).
   */
  rcond?: number;
}

/** The result of {@link lstsq}: `jnp.linalg.lstsq`'s (x, resid, rank, s), named. */
export interface LstsqResult<T> {
  /** The minimum-norm least-squares solution x, [..., n, k] (or [..., n] for a vector right-hand side). */
  readonly solution: T;
  /** Squared residual norms ‖b − A x‖² per column, [..., k] (or [...]) — always computed, as JAX's default. */
  readonly residuals: T;
  /** The numerical rank of A (singular values above the cutoff), [...]; a constant (no derivative). */
  readonly rank: Tensor;
  /** The singular values of A, descending, [..., min(m, n)]. */
  readonly singularValues: T;
}

/**
 * Least-squares solution of `A x ≈ b` (`jnp.linalg.lstsq`): the x of minimum norm among those minimising
 * ‖b − A x‖₂, for each matrix of `a` ([..., m, n], any shape, rank-deficient allowed) and right-hand side `b`
 * ([..., m, k], or a vector [..., m] — rank 1 or one below `a`, the rule of {@link solve}); batch axes broadcast.
 * x = A⁺ b with the SVD-based {@link pinv} at cutoff rcond (one SVD serves x, the rank and the singular values).
 *
 * Derivatives: of the solution through pinv's rule (valid while the numerical rank does not change) and matmul; of
 * the residuals and singular values through their ops; the rank is a constant.
 * @throws {ShapeError} on rank < 2 or mismatched rows; {@link NonFiniteError}; {@link InvalidArgumentError} for a
 * non-finite rcond or an unknown option; {@link ConvergenceError}.
 */
export function lstsq<A extends ArrayInput, B extends ArrayInput>(
  a: A, b: B, options?: LstsqOptions,
): LstsqResult<Result<A | B>> {
  const av = asValue(a), bv = asValue(b);
  matrixRank(av.shape, 'lstsq');
  const m = av.shape[av.shape.length - 2], n = av.shape[av.shape.length - 1];
  const rcond = readOptions('lstsq', options, { rcond: 'number' }).rcond;
  const cutoff = rcond === undefined ? EPS * Math.max(m, n) : rcond < 0 ? EPS : rcond;
  const vector = isVectorRhs(av.shape, bv.shape);
  const bm = vector ? reshape(bv, [...bv.shape, 1]) : bv;
  if (bm.shape.length < 2 || bm.shape[bm.shape.length - 2] !== m) {
    throw new ShapeError(
      `lstsq: right-hand side must have shape [..., ${m}, k] or [..., ${m}] to match the ${m}×${n} matrix: ` +
        `shapes ${formatShape(av.shape)} and ${formatShape(bv.shape)}`,
    );
  }
  broadcastShapes(av.shape.slice(0, -2), bm.shape.slice(0, -2), 'lstsq (batch axes)');
  assertFinite(primalValue(av).data, 'lstsq (matrix)');
  assertFinite(primalValue(bv).data, 'lstsq (right-hand side)');
  // one SVD serves the solution and the singular values: cached for a private alias of `a`
  const key = alias(av);
  const concrete = primalValue(key);
  svdFactors.remember(concrete, decompose(concrete, true));
  const x = matmul(pinvOf(key, cutoff), bm);
  const residuals = sum(square(sub(bm, matmul(av, x))), -2);
  const s = bind(svdvalsPrim, [key], undefined);
  const solution = vector ? reshape(x, x.shape.slice(0, -1)) : x;
  return {
    solution,
    residuals: vector ? reshape(residuals, residuals.shape.slice(0, -1)) : residuals,
    rank: numericalRank(primalValue(s), cutoff),
    singularValues: s,
  } as LstsqResult<Result<A | B>>;
}

/** The number of singular values above cutoff·s₀ in each vector of `s` ([..., k] → [...]). */
function numericalRank(s: Tensor, cutoff: number): Tensor {
  const k = s.shape[s.shape.length - 1];
  const batch = s.shape.slice(0, -1);
  const out = new Float64Array(batch.reduce((p, d) => p * d, 1));
  for (let b = 0; b < out.length; b++) {
    let r = 0;
    for (let i = 0; i < k; i++) if (s.data[b * k + i] > cutoff * s.data[b * k]) r++;
    out[b] = r;
  }
  return new Tensor(out, batch);
}
