import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { booleanOption, readOptions } from '../args.js';
import { SingularMatrixError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { toShape, unbroadcast } from '../lax.js';
import { add, neg } from '../ops/arithmetic.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { assertFiniteMatrices, firstNonFiniteDiagonal } from './kernels/batch.js';
import { solveShapes } from './shapes.js';
import { triangle, withMatrixRhs } from './helpers.js';
import { withFiniteResult } from './checks.js';
import { allFinite } from '../kernels/finite.js';
import { type TriangularSolveParams, inPlaceTriangularBatch, triangularSolveParams } from './triangular-params.js';
import { multiplyTriangular } from './triangular-matmul.js';

export { type TriangularSolveParams, triangularSolveParams } from './triangular-params.js';

/** Options of {@link triangularSolve}. */
export interface TriangularSolveOptions {
  /** `L` is lower triangular (default); false: upper. Only that triangle is read. */
  lower?: boolean;
  /** Solve with `Lᵀ` instead of `L` (default false). */
  transpose?: boolean;
  /** Solve `op(L) X = B` (default, true) or, with false, `X op(L) = B` (`left_side` in `jax.lax.linalg`). */
  left?: boolean;
  /** Take the diagonal of `L` as ones; it is not read (default false), as for the unit lower factor of an LU. */
  unitDiagonal?: boolean;
}

/**
 * `X = op(T)⁻¹ B` (left) or `X = B op(T)⁻¹` (right) for triangular `T` [..., n, n] and matrix `B` ([..., n, m] or
 * [..., m, n]); batch axes broadcast.
 */
export const triangularSolvePrim: Primitive<TriangularSolveParams> = definePrimitive<TriangularSolveParams>({
  name: 'triangularSolve',
  impl: ([t, b], { left, lower, transpose, unit }) => {
    const x = inPlaceTriangularBatch(t, b, left, 'triangularSolve', (rows, cols, n, tOff, out, outOff, tIndex) => {
      const bad = dense.trsm(!left, lower, transpose, unit, rows, cols, t.data, tOff, n, out, outOff, cols);
      if (bad >= 0) {
        checkSolveInput(t, b, n, lower, unit); // a NaN/∞ explains the failure better than the pivot
        throw new SingularMatrixError(bad, tIndex, 'triangularSolve');
      }
    });
    const n = t.shape[t.shape.length - 1];
    if (x.data.length === 0 || !allFinite(x.data) || (!unit && !finiteDiagonals(t.data, n))) checkSolveInput(t, b, n, lower, unit);
    return x;
  },
  // Left: dX = op(T)⁻¹ (dB − op(dT) X); right: dX = (dB − X op(dT)) op(T)⁻¹; dT masked to the part that is read.
  jvp: ([tT, tB], [t], x, p) => {
    if (tT === null && tB === null) return null;
    let rhs: Value | null = toShape(tB, x.shape);
    if (tT !== null) {
      // −op(dT)·X reads only the triangle: a negated triangular product (the strict part for a unit diagonal)
      const minusProd = multiplyTriangular(p.unit ? triangle(tT, p.lower, true) : tT, x, p.left, p.lower, p.transpose, true);
      rhs = toShape(rhs === null ? minusProd : add(rhs, minusProd), x.shape);
    }
    return bind(triangularSolvePrim, [t, rhs!], p);
  },
  // B̄ = op(T)⁻ᵀ X̄ (left) or X̄ op(T)⁻ᵀ (right). T̄ = −mask(B̄ Xᵀ) / −mask(X B̄ᵀ) (left, op = T / Tᵀ), and
  // −mask(Xᵀ B̄) / −mask(B̄ᵀ X) (right).
  vjp: (ct, [t, b], x, p, needs) => {
    const bBar = bind(triangularSolvePrim, [t, ct], triangularSolveParams(p.left, p.lower, !p.transpose, p.unit));
    let tBar: Value | null = null;
    if (needs[0]) {
      const g = p.left
        ? p.transpose ? matmul(x, bBar, { transposeB: true }) : matmul(bBar, x, { transposeB: true })
        : p.transpose ? matmul(bBar, x, { transposeA: true }) : matmul(x, bBar, { transposeA: true });
      tBar = unbroadcast(neg(triangle(g, p.lower, p.unit)), t.shape);
    }
    return [tBar, needs[1] ? unbroadcast(bBar, b.shape) : null];
  },
});

/**
 * The input checks of a solve, run only when its result does not already vouch for its input: a NaN/∞ in the
 * triangle read or in B reaches X (the substitution and the kernels' gemm updates subtract every product, none
 * skipped for a zero factor, so ∞·0 is NaN), except an infinite diagonal entry, which only divides (X = …/∞ = 0).
 * So a finite X with a finite diagonal read finite input; otherwise (or for an empty X) the inputs are scanned, to
 * name the first non-finite entry. A non-finite X of finite input is an overflow: returned here, an error in the
 * public op (`withFiniteResult`).
 */
function checkSolveInput(t: Tensor, b: Tensor, n: number, lower: boolean, unit: boolean): void {
  const part = lower ? (unit ? 'strictLower' : 'lower') : unit ? 'strictUpper' : 'upper';
  assertFiniteMatrices(t.data, n, part, 'triangularSolve (matrix)', t.shape);
  assertFinite(b.data, 'triangularSolve (right-hand side)', b.shape);
}

/** Every diagonal entry of a batch of n×n matrices is finite. */
function finiteDiagonals(d: Float64Array, n: number): boolean {
  for (let o = 0; o < d.length; o += n * n) if (firstNonFiniteDiagonal(d, o, n) >= 0) return false;
  return true;
}

/**
 * `op(T)⁻¹ B` (left) or `B op(T)⁻¹` for a valid matrix right-hand side, bound directly: the binder the derivative
 * rules of the factorisations use (no option parsing, no shape checks).
 */
export function solveTriangular(t: Value, b: Value, left: boolean, lower: boolean, transpose: boolean, unit = false): Value {
  return bind(triangularSolvePrim, [t, b], triangularSolveParams(left, lower, transpose, unit));
}

/** The public op's primitive: its result is checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedTriangularSolve = withFiniteResult(triangularSolvePrim, 'triangularSolve');

const OPTION_KEYS = ['lower', 'transpose', 'left', 'unitDiagonal'] as const;

/**
 * Solves `op(L) X = B` — or `X op(L) = B` with `left: false` — for triangular `L` ([..., n, n]; only its `lower`
 * (default) or upper triangle is read, without the diagonal when `unitDiagonal`), `op(L) = L`, or `Lᵀ` when
 * `transpose` (`jax.lax.linalg.triangular_solve`). `B` is [..., n, m] ([..., m, n] from the right), or a vector
 * [..., n] (rank 1 or one below `L`: a column, or a row from the right; then `X` is a vector too). Batch axes
 * broadcast. Derivatives with respect to `L` are masked to the part read: dX = op(L)⁻¹(dB − op(dL) X) (left).
 * @throws {ShapeError} on non-square `L` or mismatched extents; {@link SingularMatrixError} on a zero diagonal entry
 * (never with `unitDiagonal`); {@link NonFiniteError} on NaN or infinite input in the part read, or a result that overflows float64;
 * {@link InvalidArgumentError} for options that are not booleans or not `lower`/`transpose`/`left`/`unitDiagonal`.
 */
export function triangularSolve<A extends ArrayInput, B extends ArrayInput>(
  l: A,
  b: B,
  options: TriangularSolveOptions = {},
): Result<A | B> {
  const where = 'triangularSolve';
  const lv = toValue(l, where, 'l'), bv = toValue(b, where, 'b');
  const opts = readOptions(options, where, OPTION_KEYS);
  const params = triangularSolveParams(
    booleanOption(opts, 'left', true, where),
    booleanOption(opts, 'lower', true, where),
    booleanOption(opts, 'transpose', false, where),
    booleanOption(opts, 'unitDiagonal', false, where),
  );
  return withMatrixRhs(lv, bv, (bm) => {
    solveShapes(lv.shape, bm.shape, where, params.left);
    return bind(checkedTriangularSolve, [lv, bm], params);
  }, !params.left) as Result<A | B>;
}
