/**
 * The inverse of a triangular matrix (LAPACK `trtri`) with derivative rules: `op(T)⁻¹` in n³/3 multiply-adds, where
 * a solve against the identity costs n³. @module
 */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError } from '../errors.js';
import { matrixTranspose } from '../ops/transpose.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { withFiniteResult } from './checks.js';
import { triangle } from './helpers.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { squareOrder } from './shapes.js';
import { multiplyTriangular } from './triangular-matmul.js';

/** Which inverse: of the `lower` (or upper) triangle, of its transpose, with a unit diagonal that is not read. */
interface TriangularInverseParams {
  readonly lower: boolean;
  readonly transpose: boolean;
  readonly unit: boolean;
}

const PARAMS: TriangularInverseParams[] = [];
for (let i = 0; i < 8; i++) PARAMS.push(Object.freeze({ lower: (i & 4) !== 0, transpose: (i & 2) !== 0, unit: (i & 1) !== 0 }));

function params(lower: boolean, transpose: boolean, unit: boolean): TriangularInverseParams {
  return PARAMS[(lower ? 4 : 0) + (transpose ? 2 : 0) + (unit ? 1 : 0)];
}

/**
 * `X = op(T)⁻¹` for triangular `T` [..., n, n], `op(T)` = T or Tᵀ; X has op(T)'s triangle and zeros elsewhere.
 * `(Tᵀ)⁻¹ = (T⁻¹)ᵀ`, so the transposed triangle is copied and inverted in place. dX = −X·op(dT)·X and
 * T̄ = −mask(op(Xᵀ X̄ Xᵀ)) (op taken as for T): triangular products, a third of general ones.
 */
export const triangularInversePrim: Primitive<TriangularInverseParams> = definePrimitive<TriangularInverseParams>({
  name: 'triangularInverse',
  impl: ([t], { lower, transpose, unit }) => {
    const n = squareOrder(t.shape, 'triangularInverse');
    // trtri divides by the diagonal and forms every product, but a scan costs n² beside n³/3: name the entry
    assertFiniteMatrices(t.data, n, lower ? (unit ? 'strictLower' : 'lower') : unit ? 'strictUpper' : 'upper', 'triangularInverse', t.shape);
    const out = new Float64Array(t.data.length);
    const nn = n * n;
    const lowerX = lower !== transpose;
    for (let o = 0, s = 0; o < out.length; o += nn, s++) {
      copyOpTriangle(t.data, out, o, n, lower, transpose, unit);
      const bad = dense.trtri(lowerX, unit, n, out, o, n);
      if (bad >= 0) throw new SingularMatrixError(bad, s, 'triangularInverse');
    }
    return new Tensor(out, t.shape);
  },
  jvp: ([dT], _, x, p) => {
    const lowerX = p.lower !== p.transpose;
    // with a unit diagonal the diagonal is constant: only the tangent's strict triangle enters
    const minusDtX = multiplyTriangular(p.unit ? triangle(dT!, p.lower, true) : dT!, x, true, p.lower, p.transpose, true);
    return multiplyTriangular(x, minusDtX, true, lowerX, false);
  },
  vjp: (ct, _, x, p) => {
    const lowerX = p.lower !== p.transpose;
    const g = multiplyTriangular(x, multiplyTriangular(x, ct, false, lowerX, true), true, lowerX, true, true); // −Xᵀ X̄ Xᵀ
    return [triangle(p.transpose ? matrixTranspose(g) : g, p.lower, p.unit)];
  },
});

/** Writes op(T)'s triangle of the matrix at `o` into the zeroed `out` (ones on the diagonal for `unit`). */
function copyOpTriangle(
  t: Float64Array, out: Float64Array, o: number, n: number, lower: boolean, transpose: boolean, unit: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const lo = lower ? 0 : i + 1, hi = lower ? i : n; // strict part of row i of T
    const row = o + i * n;
    if (transpose) for (let j = lo; j < hi; j++) out[o + j * n + i] = t[row + j];
    else for (let j = lo; j < hi; j++) out[row + j] = t[row + j];
    out[row + i] = unit ? 1 : t[row + i];
  }
}

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedTriangularInverse = withFiniteResult(triangularInversePrim, 'triangularInverse');

/** Options of {@link triangularInverse}: the same names as {@link triangularSolve}'s. */
export interface TriangularInverseOptions {
  /** `t` is lower triangular (default); false: upper. Only that triangle is read. */
  lower?: boolean;
  /** Invert `tᵀ` instead of `t` (default false): `(tᵀ)⁻¹ = (t⁻¹)ᵀ`, the other triangle. */
  transpose?: boolean;
  /** Take the diagonal of `t` as ones; it is not read (default false). */
  unitDiagonal?: boolean;
}

const OPTION_KEYS = ['lower', 'transpose', 'unitDiagonal'] as const;

/**
 * The inverse `op(T)⁻¹` of a triangular matrix ([..., n, n]; only its `lower` (default) or upper triangle is read,
 * without the diagonal when `unitDiagonal`), `op(T) = T`, or `Tᵀ` when `transpose` (LAPACK `trtri`): triangular
 * like op(T), zeros in the other triangle, in n³/3 multiply-adds — a third of `triangularSolve(t, eye(n))`.
 * Derivatives are masked to the part read: dX = −X op(dT) X.
 * @throws {SingularMatrixError} on a zero diagonal entry (never with `unitDiagonal`), naming the batch index;
 * {@link NonFiniteError} on NaN or infinite input in the part read, or a result that overflows float64;
 * {@link ShapeError} if not square; {@link InvalidArgumentError} for options that are not booleans or not
 * `lower`/`transpose`/`unitDiagonal`.
 */
export function triangularInverse<T extends ArrayInput>(t: T, options: TriangularInverseOptions = {}): Result<T> {
  const where = 'triangularInverse';
  const v = toValue(t, where, 't');
  const opts = readOptions(options, where, OPTION_KEYS);
  const p = params(
    booleanOption(opts, 'lower', true, where),
    booleanOption(opts, 'transpose', false, where),
    booleanOption(opts, 'unitDiagonal', false, where),
  );
  squareOrder(v.shape, where);
  return bind(checkedTriangularInverse, [v], p) as Result<T>;
}

