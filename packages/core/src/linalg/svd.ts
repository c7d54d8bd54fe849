import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import { add, concat, diag, diagonal, expandDims, matmul, matrixTranspose, mul, square, sub } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { ConvergenceError } from './errors.js';
import {
  DEGENERACY_FACTOR, degenerateColumns, degeneratePairs, maskedReciprocal, pairwiseDifferences, rejectDegenerate,
  rejectUsedDegenerate,
} from './gaps.js';
import { svdMatrix } from './kernels/svd.js';
import { alias, memo } from './memo.js';
import { readOptions } from './options.js';
import { batchCount, row, rows } from './packed.js';
import { matrixRank } from './shapes.js';

const EPS = 2 ** -52;

/**
 * Reduced SVD of a batch of m×n matrices, packed as [..., 1 + m + n, k] (k = min(m, n)): row 0 the singular values
 * (descending), rows 1 .. m the U (m×k), rows m+1 .. m+n the V (n×k), A = U·diag(s)·Vᵀ.
 */
export const svdPrim: Primitive = definePrimitive({
  name: 'svd',
  impl: ([a]) => {
    const known = svdFactors.peek(a);
    return known instanceof Tensor ? known : decompose(a, true);
  },
  jvp: ([t], [a], out) => {
    const { s, u, v } = unpackSvd(out, a.shape);
    rejectDegenerate(flagged(s, a.shape), s, WHERE, 'singular value');
    const { ds, du, dv } = svdTangent(a, s, u, v, t!);
    return concat([expandDims(ds, -2), du, dv], -2);
  },
  vjp: (ct, [a], out) => {
    const { s, u, v } = unpackSvd(out, a.shape);
    const bars = unpackSvd(ct, a.shape);
    rejectUsedDegenerate(flagged(s, a.shape), s, [bars.u, bars.v], WHERE, 'singular value');
    return [svdCotangent(a, s, u, v, bars.s, bars.u, bars.v)];
  },
});

const WHERE = 'svd (derivative of the singular vectors)';

/** The singular values whose vectors have no derivative: repeated ones, and zero ones when m ≠ n. */
function flagged(s: Value, shape: readonly number[]): Int32Array {
  const m = shape[shape.length - 2], n = shape[shape.length - 1];
  return degenerateColumns(degeneratePairs(s), m === n ? null : zeroValues(s, m, n));
}

/** The packed SVD of a value, computed once per value (svd and lstsq prime it for their private keys). */
export const svdFactors = memo((a) => bind(svdPrim, [a], undefined));

/** Singular values alone ([..., k]): Jacobi without accumulating the rotations; the rules use the full SVD. */
export const svdvalsPrim: Primitive = definePrimitive({
  name: 'svdvals',
  impl: ([a]) => {
    const known = svdFactors.peek(a);
    if (known instanceof Tensor) return row(known, 0) as Tensor;
    return decompose(a, false);
  },
  // ds = diag(Uᵀ dA V)
  jvp: ([t], [a]) => {
    const { u, v } = unpackSvd(svdFactors.of(a), a.shape);
    return diagonal(matmul(u, matmul(t!, v), { transposeA: true }));
  },
  // Ā = U diag(s̄) Vᵀ
  vjp: (ct, [a]) => {
    const { u, v } = unpackSvd(svdFactors.of(a), a.shape);
    return [matmul(mul(u, expandDims(ct, -2)), v, { transposeB: true })];
  },
});

/** The SVD of every matrix: packed (`vectors`) or the singular values [..., k]. */
export function decompose(a: Tensor, vectors: boolean): Tensor {
  const m = a.shape[a.shape.length - 2], n = a.shape[a.shape.length - 1], k = Math.min(m, n);
  const nb = batchCount(a.shape), mn = m * n;
  const size = vectors ? (1 + m + n) * k : k;
  const out = new Float64Array(nb * size);
  for (let t = 0; t < nb; t++) {
    const o = t * size;
    const bad = svdMatrix(vectors, m, n, a.data, t * mn, out, o, out, o + k, out, o + (1 + m) * k);
    if (bad >= 0) throw new ConvergenceError(vectors ? 'svd' : 'svdvals', t, `one-sided Jacobi still rotating after ${bad} sweeps`);
  }
  const batch = a.shape.slice(0, -2);
  return new Tensor(out, vectors ? [...batch, 1 + m + n, k] : [...batch, k]);
}

/** s [..., k], U [..., m, k] and V [..., n, k] of a packed {@link svdPrim} output (or its cotangent). */
export function unpackSvd(packed: Value, shape: readonly number[]): { s: Value; u: Value; v: Value } {
  const m = shape[shape.length - 2], n = shape[shape.length - 1];
  return { s: row(packed, 0), u: rows(packed, 1, 1 + m), v: rows(packed, 1 + m, 1 + m + n) };
}

/** Fᵢⱼ = 1/(sⱼ² − sᵢ²), zero on the diagonal and for degenerate pairs. */
function inverseGaps(s: Value): Value {
  return maskedReciprocal(pairwiseDifferences(square(s)), degeneratePairs(s));
}

/** 1 for singular values that are zero to round-off (≤ 16·max(m, n)·ε·s₀), 0 elsewhere (a constant). */
function zeroValues(s: Value, m: number, n: number): Tensor {
  const p = primalValue(s);
  const k = p.shape[p.shape.length - 1];
  const zero = new Float64Array(p.data.length);
  for (let b = 0; b * k < p.data.length; b++) {
    const tol = DEGENERACY_FACTOR * Math.max(m, n) * EPS * p.data[b * k];
    for (let i = 0; i < k; i++) zero[b * k + i] = p.data[b * k + i] <= tol ? 1 : 0;
  }
  return new Tensor(zero, p.shape);
}

/** 1/sᵢ, and 0 for singular values that are zero to round-off. */
function inverseValues(s: Value, m: number, n: number): Value {
  return maskedReciprocal(s, zeroValues(s, m, n));
}

/**
 * JVP of A = U S Vᵀ: with dP = Uᵀ dA V, ds = diag(dP), dU = U (F ∘ (dP S + S dPᵀ)) + (I − UUᵀ) dA V S⁻¹ (when
 * m > k) and dV = V (F ∘ (S dP + dPᵀ S)) + (I − VVᵀ) dAᵀ U S⁻¹ (when n > k); as JAX's `svd_jvp_rule`.
 */
function svdTangent(a: Value, s: Value, u: Value, v: Value, da: Value): { ds: Value; du: Value; dv: Value } {
  const m = a.shape[a.shape.length - 2], n = a.shape[a.shape.length - 1], k = s.shape[s.shape.length - 1];
  const dav = matmul(da, v);
  const dp = matmul(u, dav, { transposeA: true });
  const f = inverseGaps(s);
  const dps = mul(dp, expandDims(s, -2)), sdp = mul(expandDims(s, -1), dp);
  let du = matmul(u, mul(f, add(dps, matrixTranspose(dps))));
  let dv = matmul(v, mul(f, add(sdp, matrixTranspose(sdp))));
  if (m > k || n > k) {
    const inv = expandDims(inverseValues(s, m, n), -2);
    if (m > k) du = add(du, mul(sub(dav, matmul(u, dp)), inv));
    if (n > k) dv = add(dv, mul(sub(matmul(da, u, { transposeA: true }), matmul(v, dp, { transposeB: true })), inv));
  }
  return { ds: diagonal(dp), du, dv };
}

/**
 * The adjoint of {@link svdTangent}: with Jᵤ = Uᵀ Ū, Jᵥ = Vᵀ V̄, M = F ∘ Jᵤ, N = F ∘ Jᵥ,
 * Ā = U (diag(s̄) + (M + Mᵀ) S + S (N + Nᵀ)) Vᵀ + (I − UUᵀ) Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I − VVᵀ).
 */
function svdCotangent(a: Value, s: Value, u: Value, v: Value, sBar: Value, uBar: Value, vBar: Value): Value {
  const m = a.shape[a.shape.length - 2], n = a.shape[a.shape.length - 1], k = s.shape[s.shape.length - 1];
  const ju = matmul(u, uBar, { transposeA: true }), jv = matmul(v, vBar, { transposeA: true });
  const f = inverseGaps(s);
  const mm = mul(f, ju), nn = mul(f, jv);
  const inner = add(
    diag(sBar),
    add(mul(add(mm, matrixTranspose(mm)), expandDims(s, -2)), mul(expandDims(s, -1), add(nn, matrixTranspose(nn)))),
  );
  let aBar = matmul(u, matmul(inner, v, { transposeB: true }));
  if (m > k || n > k) {
    const inv = expandDims(inverseValues(s, m, n), -2);
    if (m > k) aBar = add(aBar, matmul(mul(sub(uBar, matmul(u, ju)), inv), v, { transposeB: true }));
    if (n > k) aBar = add(aBar, matmul(u, mul(sub(vBar, matmul(v, jv)), inv), { transposeB: true }));
  }
  return aBar;
}

/** The result of {@link svd} with vectors, named as NumPy's `SVDResult`. */
export interface SvdResult<T> {
  /** Left singular vectors as columns, [..., m, k] (k = min(m, n)), orthonormal. */
  readonly U: T;
  /** Singular values, descending, [..., k]. */
  readonly S: T;
  /** Right singular vectors as rows, [..., k, n], orthonormal: A = U·diag(S)·Vh. */
  readonly Vh: T;
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Return `{ U, S, Vh }` (default true) or only the singular values, as `jnp.linalg.svd(compute_uv=False)`. */
  computeUv?: boolean;
}

/**
 * Reduced singular value decomposition `A = U·diag(S)·Vh` of each matrix of `a` ([..., m, n]), k = min(m, n), as
 * `jnp.linalg.svd(a, full_matrices=False)` (the full factorisation, with U or Vh completed to square, is not
 * offered: its extra columns are not determined by A and have no derivative). Singular values are descending;
 * each pair of singular vectors is signed so that the column of U has its entry of largest magnitude positive.
 *
 * - **Algorithm**: one-sided Jacobi (Hestenes, LAPACK `dgesvj`-style, with de Rijk's pivoting), after a Householder
 *   QR when m ≥ 2n. Chosen over bidiagonalisation + QR iteration for accuracy: singular values have small relative
 *   error also when tiny, and U, V are orthonormal to a few ε whatever the conditioning, which {@link pinv},
 *   {@link lstsq} and rank decisions need. Singular vectors of zero singular values are completed to orthonormal
 *   sets.
 * - **Derivatives** (JAX's rule, and its adjoint written out): with dP = Uᵀ dA V and Fᵢⱼ = 1/(sⱼ² − sᵢ²),
 *   ds = diag(dP), dU = U (F ∘ (dP S + S dPᵀ)) + (I − UUᵀ) dA V S⁻¹, dV = V (F ∘ (S dP + dPᵀ S)) + (I − VVᵀ) dAᵀ U
 *   S⁻¹ (the last terms only for m > k or n > k). `ds = diag(Uᵀ dA V)` holds everywhere: exact for symmetric
 *   functions of a cluster of repeated values (as {@link eigh}'s eigenvalues) and, at a zero singular value (not
 *   differentiable there, like |x|), one element of the subdifferential. Vectors have derivatives where the values are distinct
 *   and (for m ≠ n) nonzero: for values closer than 16·max(m, n)·ε·s₀, or zero to that tolerance, a tangent of the
 *   vectors or a nonzero cotangent on their columns throws {@link NotDifferentiableError} (JAX returns inf/NaN).
 *   `U` and `Vh` are bound (and differentiated) only when read, so using only `S` never meets that case.
 * @throws {ShapeError} on rank < 2; {@link NonFiniteError}; {@link InvalidArgumentError} for a non-boolean
 * `computeUv` or an unknown option; {@link ConvergenceError} naming the matrix if Jacobi does not converge in 60
 * sweeps.
 */
export function svd<T extends ArrayInput>(a: T, options: SvdOptions & { computeUv: false }): Result<T>;
/** The decomposition with vectors: `{ U, S, Vh }` (see the overload with `computeUv: false` for the description). */
export function svd<T extends ArrayInput>(a: T, options?: SvdOptions & { computeUv?: true }): SvdResult<Result<T>>;
/** With `computeUv` known only at run time: S, or `{ U, S, Vh }` (see the overload with `computeUv: false`). */
export function svd<T extends ArrayInput>(a: T, options?: SvdOptions): Result<T> | SvdResult<Result<T>>;
export function svd<T extends ArrayInput>(a: T, options?: SvdOptions): Result<T> | SvdResult<Result<T>> {
  const computeUv = readOptions('svd', options, { computeUv: 'boolean' }).computeUv ?? true;
  // a private key: the decomposition cached for the rules (and shared by the outputs) lives as long as this call's values
  const v = alias(checked(a, 'svd'));
  if (!computeUv) return bind(svdvalsPrim, [v], undefined) as Result<T>;
  const concrete = primalValue(v);
  svdFactors.remember(concrete, decompose(concrete, true));
  const singularValues = bind(svdvalsPrim, [v], undefined);
  let vectors: { u: Value; vh: Value } | undefined;
  const factors = () => {
    if (vectors === undefined) {
      const { u, v: right } = unpackSvd(svdFactors.of(v), v.shape);
      vectors = { u, vh: matrixTranspose(right) };
    }
    return vectors;
  };
  return Object.freeze({
    get U() {
      return factors().u;
    },
    S: singularValues,
    get Vh() {
      return factors().vh;
    },
  }) as SvdResult<Result<T>>;
}

/**
 * Singular values of each matrix of `a` ([..., m, n] → [..., min(m, n)]), descending (`jnp.linalg.svdvals`); the
 * same as `svd(a, { computeUv: false })`. Derivative ds = diag(Uᵀ dA V).
 * @throws {ShapeError} on rank < 2; {@link NonFiniteError}; {@link ConvergenceError}.
 */
export function svdvals<T extends ArrayInput>(a: T): Result<T> {
  return bind(svdvalsPrim, [alias(checked(a, 'svdvals'))], undefined) as Result<T>;
}

function checked(a: ArrayInput, where: string): Value {
  const v = asValue(a);
  matrixRank(v.shape, where);
  assertFinite(primalValue(v).data, where);
  return v;
}
