import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, assertFinite } from '../errors.js';
import { add, concat, matmul, matrixTranspose, neg, sub, tril } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { alias, memo } from './memo.js';
import { describe, readOptions } from './options.js';
import { batchCount, cols, rows } from './packed.js';
import { matrixRank } from './shapes.js';
import { triangularSolve } from './triangular-solve.js';

/**
 * Reduced QR of a batch of m×n matrices, packed as [..., m + n, k] (k = min(m, n)): rows 0 .. m−1 hold Q (m×k,
 * orthonormal columns), rows m .. m+n−1 hold Rᵀ (R is k×n, upper triangular). Householder QR (LAPACK `dgeqrf` +
 * `dorgqr`).
 */
export const qrPrim: Primitive = definePrimitive({
  name: 'qr',
  impl: ([a]) => factor(a, true),
  jvp: ([t], [a], out) => {
    const { q, r } = unpackQr(out, a.shape);
    const { dq, dr } = qrTangent(a, q, r, t!);
    return concat([dq, matrixTranspose(dr)], -2);
  },
  vjp: (ct, [a], out) => {
    const { q, r } = unpackQr(out, a.shape);
    const { q: qBar, r: rBar } = unpackQr(ct, a.shape);
    return [qrCotangent(a, q, r, qBar, rBar)];
  },
});

/** R alone ([..., k, n]): the factorisation without forming Q (about half the work); rules use the full one. */
export const qrRPrim: Primitive = definePrimitive({
  name: 'qrR',
  impl: ([a]) => factor(a, false),
  jvp: ([t], [a]) => {
    const { q, r } = unpackQr(qrFactors.of(a), a.shape);
    return qrTangent(a, q, r, t!).dr;
  },
  vjp: (ct, [a]) => {
    const { q, r } = unpackQr(qrFactors.of(a), a.shape);
    return [qrCotangent(a, q, r, null, ct)];
  },
});

const qrFactors = memo((a) => bind(qrPrim, [a], undefined));

/** Householder QR of every matrix: packed [Q; Rᵀ] (`withQ`), or R alone. */
function factor(a: Tensor, withQ: boolean): Tensor {
  const m = a.shape[a.shape.length - 2], n = a.shape[a.shape.length - 1], k = Math.min(m, n);
  const nb = batchCount(a.shape), mn = m * n;
  const size = withQ ? (m + n) * k : k * n;
  const out = new Float64Array(nb * size);
  const work = new Float64Array(mn), tau = new Float64Array(k);
  for (let t = 0; t < nb; t++) {
    work.set(a.data.subarray(t * mn, (t + 1) * mn));
    dense.geqrf(m, n, work, 0, n, tau, 0);
    const o = t * size;
    if (!withQ) {
      for (let i = 0; i < k; i++) for (let j = i; j < n; j++) out[o + i * n + j] = work[i * n + j];
      continue;
    }
    const rt = o + m * k; // Rᵀ: R[i][j] at rt + j·k + i
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) out[rt + j * k + i] = work[i * n + j];
    dense.orgqr(m, k, k, work, 0, n, tau, 0);
    for (let i = 0; i < m; i++) out.set(work.subarray(i * n, i * n + k), o + i * k);
  }
  const batch = a.shape.slice(0, -2);
  return new Tensor(out, withQ ? [...batch, m + n, k] : [...batch, k, n]);
}

/** Q [..., m, k] and R [..., k, n] of a packed {@link qrPrim} output (or its cotangent). */
function unpackQr(packed: Value, shape: readonly number[]): { q: Value; r: Value } {
  const m = shape[shape.length - 2], n = shape[shape.length - 1];
  return { q: rows(packed, 0, m), r: matrixTranspose(rows(packed, m, m + n)) };
}

/** `B·R⁻¹` for upper-triangular R. */
function rightSolve(b: Value, r: Value): Value {
  return matrixTranspose(triangularSolve(r, matrixTranspose(b), { lower: false, transpose: true }));
}

/** `B·R⁻ᵀ` for upper-triangular R. */
function rightSolveTransposed(b: Value, r: Value): Value {
  return matrixTranspose(triangularSolve(r, matrixTranspose(b), { lower: false }));
}

/**
 * JVP of A = Q·R, A = [A₁ A₂] with A₁ the first k columns and R = [R₁ R₂]: X = dA₁·R₁⁻¹, C = Qᵀ·X,
 * Ω = tril(C, −1) − tril(C, −1)ᵀ; dQ = Q·(Ω − C) + X, dR₁ = (C − Ω)·R₁, and for m < n, dR₂ = dQᵀ·A₂ + Qᵀ·dA₂.
 */
function qrTangent(a: Value, q: Value, r: Value, da: Value): { dq: Value; dr: Value } {
  const n = a.shape[a.shape.length - 1], k = q.shape[q.shape.length - 1];
  const wide = k < n;
  const r1 = wide ? cols(r, 0, k) : r;
  const x = rightSolve(wide ? cols(da, 0, k) : da, r1);
  const c = matmul(q, x, { transposeA: true });
  const l = tril(c, -1);
  const omega = sub(l, matrixTranspose(l));
  const dq = add(matmul(q, sub(omega, c)), x);
  const dr1 = matmul(sub(c, omega), r1);
  if (!wide) return { dq, dr: dr1 };
  const dr2 = add(matmul(dq, cols(a, k, n), { transposeA: true }), matmul(q, cols(da, k, n), { transposeA: true }));
  return { dq, dr: concat([dr1, dr2], -1) };
}

/**
 * The adjoint of {@link qrTangent}: for m < n first Q̄ += A₂·R̄₂ᵀ and Ā₂ = Q·R̄₂; then with N = Qᵀ·Q̄ − R̄₁·R₁ᵀ,
 * C̄ = tril(N − Nᵀ, −1) − N and Ā₁ = (Q̄ + Q·C̄)·R₁⁻ᵀ.
 */
function qrCotangent(a: Value, q: Value, r: Value, qBar: Value | null, rBar: Value): Value {
  const n = a.shape[a.shape.length - 1], k = q.shape[q.shape.length - 1];
  const wide = k < n;
  const r1 = wide ? cols(r, 0, k) : r;
  const rBar1 = wide ? cols(rBar, 0, k) : rBar;
  let qb = qBar;
  if (wide) {
    const fromR2 = matmul(cols(a, k, n), cols(rBar, k, n), { transposeB: true });
    qb = qb === null ? fromR2 : add(qb, fromR2);
  }
  const rr = matmul(rBar1, r1, { transposeB: true });
  const nMat = qb === null ? neg(rr) : sub(matmul(q, qb, { transposeA: true }), rr);
  const cBar = sub(tril(sub(nMat, matrixTranspose(nMat)), -1), nMat);
  const xBar = qb === null ? matmul(q, cBar) : add(qb, matmul(q, cBar));
  const aBar1 = rightSolveTransposed(xBar, r1);
  return wide ? concat([aBar1, matmul(q, cols(rBar, k, n))], -1) : aBar1;
}

/** The result of {@link qr} in the default mode, named as NumPy's `QRResult`. */
export interface QrResult<T> {
  /** [..., m, k] with orthonormal columns (k = min(m, n)). */
  readonly Q: T;
  /** [..., k, n], upper triangular (trapezoidal when m < n). */
  readonly R: T;
}

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * `'reduced'` (default): Q [..., m, k] and R [..., k, n] with k = min(m, n); `'r'`: R only, without forming Q
   * (about half the work), as `jnp.linalg.qr(a, mode='r')`.
   */
  mode?: 'reduced' | 'r';
}

/**
 * Reduced QR factorisation `A = Q·R` of each matrix of `a` ([..., m, n]), as `jnp.linalg.qr`: Q has orthonormal
 * columns, R is upper triangular. Householder reflectors (LAPACK `dgeqrf`/`dorgqr`, same sign convention:
 * R's diagonal may be negative, and the factors match LAPACK's to round-off); ‖A − QR‖ and ‖QᵀQ − I‖ are a few
 * n·ε·‖A‖ and n·ε, also for rank-deficient A.
 *
 * Derivatives (both modes, every m, n): with A = [A₁ A₂], A₁ the first k columns and R = [R₁ R₂],
 * X = dA₁ R₁⁻¹, C = QᵀX, Ω = tril(C, −1) − tril(C, −1)ᵀ: dQ = Q(Ω − C) + X, dR₁ = (C − Ω) R₁, and for m < n
 * dR₂ = dQᵀA₂ + QᵀdA₂ (JAX has no rule for m < n). The VJP is the adjoint, Ā₁ = (Q̄ + Q·C̄) R₁⁻ᵀ with
 * C̄ = copyltu(R₁R̄₁ᵀ − Q̄ᵀQ). Derivatives need R₁ invertible (A₁ of full column rank): a zero on its diagonal raises
 * {@link SingularMatrixError} from the derivative, as QR is not differentiable there.
 * @throws {ShapeError} on rank < 2; {@link NonFiniteError}; {@link InvalidArgumentError} for another mode or an
 * unknown option.
 */
export function qr<T extends ArrayInput>(a: T, options: QrOptions & { mode: 'r' }): Result<T>;
/** The reduced factorisation: `{ Q, R }` (see the overload with `mode: 'r'` for the full description). */
export function qr<T extends ArrayInput>(a: T, options?: QrOptions & { mode?: 'reduced' }): QrResult<Result<T>>;
/** With a mode known only at run time: R, or `{ Q, R }` (see the overload with `mode: 'r'`). */
export function qr<T extends ArrayInput>(a: T, options?: QrOptions): Result<T> | QrResult<Result<T>>;
export function qr<T extends ArrayInput>(a: T, options?: QrOptions): Result<T> | QrResult<Result<T>> {
  const mode = readOptions('qr', options, { mode: 'string' }).mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'r') {
    throw new InvalidArgumentError(`qr: option 'mode' must be 'reduced' or 'r', got ${describe(mode)}`);
  }
  const v = asValue(a);
  matrixRank(v.shape, 'qr');
  assertFinite(primalValue(v).data, 'qr');
  // a private key for the full factorisation the rules of mode 'r' compute (and cache) from the same input
  if (mode === 'r') return bind(qrRPrim, [alias(v)], undefined) as Result<T>;
  const { q, r } = unpackQr(bind(qrPrim, [v], undefined), v.shape);
  return { Q: q, R: r } as QrResult<Result<T>>;
}
