/**
 * The inverse of a triangular matrix (LAPACK `trtri`) with derivative rules: `op(T)⁻¹` in n³/3 multiply-adds, where
 * a solve against the identity costs n³. @module
 */
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { sumTerms } from '../lax.js';
import { add, neg } from '../ops/arithmetic.js';
import { matmul } from '../primitives/matmul.js';
import { allFinite } from '../kernels/finite.js';
import { bind } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matrixTranspose } from '../ops/transpose.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { withFiniteResult } from './checks.js';
import { triangle } from './helpers.js';
import { assertFiniteMatrices } from './kernels/batch.js';
import { trmmTriangular } from './kernels/triangle-blocks.js';
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
 * `(Tᵀ)⁻¹ = (T⁻¹)ᵀ`, so the transposed triangle is copied and inverted in place. dX = −X·op(dT)·X (one fused
 * primitive) and T̄ = −mask(op(Xᵀ X̄ Xᵀ)) (op taken as for T): triangular products.
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
      copyOpTriangle(t.data, out, o, n, lower, transpose, 1, unit ? 1 : null);
      const bad = dense.trtri(lowerX, unit, n, out, o, n);
      if (bad >= 0) throw new SingularMatrixError(bad, s, 'triangularInverse');
    }
    return new Tensor(out, t.shape);
  },
  jvp: ([dT], _, x, p) => bind(inverseTangentPrim, [x, dT!], p),
  vjp: (ct, _, x, p) => [inverseCotangent(ct, x, p)],
});

/**
 * `−X·op(D)·X` for `X = op(T)⁻¹` and a tangent D of T (masked to the part of T read): the inverse's tangent in one
 * array, as the two products of triangular matrices it is (n³/3 flops each where a product with a full matrix costs
 * n³). Linear in D; its rules are compositions of triangular products, so derivatives of any order go through it.
 */
const inverseTangentPrim: Primitive<TriangularInverseParams> = definePrimitive<TriangularInverseParams>({
  name: 'triangularInverseTangent',
  impl: ([x, d], { lower, transpose, unit }) => {
    const n = x.shape[x.shape.length - 1], nn = n * n;
    const out = new Float64Array(d.data.length);
    const lowerX = lower !== transpose;
    for (let o = 0; o < out.length; o += nn) {
      copyOpTriangle(d.data, out, o, n, lower, transpose, -1, unit ? 0 : null);
      trmmTriangular(true, lowerX, false, n, x.data, o, n, out, o, n);
      trmmTriangular(false, lowerX, false, n, x.data, o, n, out, o, n);
    }
    if (!allFinite(out)) assertFinite(d.data, 'triangularInverse (tangent)', d.shape);
    return new Tensor(out, d.shape);
  },
  // F = −X op(D̃) X with D̃ the masked D, X read on its triangle: dF = F(X, dD) − dX̃ op(D̃) X − X op(D̃) dX̃.
  jvp: ([dX, dD], [x, d], out, p) => {
    const lowerX = p.lower !== p.transpose;
    let fromX: Value | null = null;
    if (dX !== null) {
      const dm = masked(d, p);
      const left = multiplyTriangular(dX, multiplyTriangular(dm, x, true, p.lower, p.transpose), true, lowerX, false, true);
      const right = multiplyTriangular(x, multiplyTriangular(dm, triangle(dX, lowerX, false), true, p.lower, p.transpose), true, lowerX, false, true);
      fromX = add(left, right);
    }
    return sumTerms(out.shape, fromX, dD === null ? null : bind(inverseTangentPrim, [x, dD], p));
  },
  // D̄ = −mask(op(Xᵀ F̄ Xᵀ)) as the inverse's own VJP; X̄ = −mask(F̄ (op(D̃) X)ᵀ + (X op(D̃))ᵀ F̄).
  vjp: (ct, [x, d], _out, p, needs) => {
    const lowerX = p.lower !== p.transpose;
    let xBar: Value | null = null;
    if (needs[0]) {
      const dm = masked(d, p);
      const dx = multiplyTriangular(dm, x, true, p.lower, p.transpose), xd = multiplyTriangular(dm, x, false, p.lower, p.transpose);
      xBar = neg(triangle(add(matmul(ct, dx, { transposeB: true }), matmul(xd, ct, { transposeA: true })), lowerX, false));
    }
    const dBar = needs[1] ? inverseCotangent(ct, x, p) : null;
    return [xBar, dBar];
  },
});

/** A tangent of T reduced to the part read (its strict triangle for a unit diagonal, which is constant). */
function masked(d: Value, p: TriangularInverseParams): Value {
  return p.unit ? triangle(d, p.lower, true) : d;
}

/** T̄ = −mask(op(Xᵀ X̄ Xᵀ)) for X = op(T)⁻¹ (op taken as for T): ⟨X̄, −X op(dT) X⟩ = ⟨−Xᵀ X̄ Xᵀ, op(dT)⟩. */
function inverseCotangent(ct: Value, x: Value, p: TriangularInverseParams): Value {
  const lowerX = p.lower !== p.transpose;
  const g = multiplyTriangular(x, multiplyTriangular(x, ct, false, lowerX, true), true, lowerX, true, true);
  return triangle(p.transpose ? matrixTranspose(g) : g, p.lower, p.unit);
}

/**
 * Writes `sign`·op(T)'s strict triangle of the matrix at `o` into the zeroed `out`, and on the diagonal `diagonal`,
 * or sign·T's own diagonal for null.
 */
function copyOpTriangle(
  t: Float64Array, out: Float64Array, o: number, n: number, lower: boolean, transpose: boolean, sign: 1 | -1, diagonal: number | null,
): void {
  for (let i = 0; i < n; i++) {
    const lo = lower ? 0 : i + 1, hi = lower ? i : n; // strict part of row i of T
    const row = o + i * n;
    if (transpose) for (let j = lo; j < hi; j++) out[o + j * n + i] = sign * t[row + j];
    else for (let j = lo; j < hi; j++) out[row + j] = sign * t[row + j];
    out[row + i] = diagonal ?? sign * t[row + i];
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

