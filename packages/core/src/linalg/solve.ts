import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, assertFinite } from '../errors.js';
import { matmul } from '../primitives/matmul.js';
import { toShape, unbroadcast } from '../lax.js';
import { neg, sub } from '../ops/arithmetic.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { withMatrixRhs } from './helpers.js';
import { batchIndexMap } from './kernels/batch.js';
import { type LuFactors, factorLu } from './kernels/factors.js';
import { solveShapes } from './shapes.js';
import { solvePosParams, solvePosPrim } from './solve-pos.js';
import { withFiniteResult } from './checks.js';

/** A solve against `A` (or `Aᵀ`) given the LU factors of A's primal value. */
interface SolveParams {
  readonly transpose: boolean;
  readonly factors: LuFactors;
}

/**
 * `X = op(A)⁻¹ B` for square `A` [..., n, n] and `B` [..., n, m], batch axes broadcast, computed from the LU factors
 * of A in the parameters (`jax.lax.custom_linear_solve` with an LU solve): the derivatives differentiate the linear
 * system `op(A) X = B`, and their solves — the transposed ones of reverse mode too — reuse the same factors.
 */
export const solvePrim: Primitive<SolveParams> = definePrimitive<SolveParams>({
  name: 'solve',
  impl: ([a, b], { transpose, factors }) => {
    const { n, m, batch, aBatch, bBatch } = solveShapes(a.shape, b.shape, 'solve');
    assertFinite(b.data, 'solve (right-hand side)', b.shape);
    const nb = sizeOf(batch), nn = n * n, nm = n * m;
    const aMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
    const out = new Float64Array(nb * nm);
    for (let s = 0; s < nb; s++) {
      const ia = aMap[s];
      dense.getrs(transpose, n, m, factors.lu, ia * nn, n, factors.perms[ia], b.data, bMap[s] * nm, m, out, s * nm, m);
    }
    return new Tensor(out, [...batch, n, m]);
  },
  // dX = op(A)⁻¹ (dB − op(dA) X)
  jvp: ([tA, tB], [a], x, p) => {
    if (tA === null && tB === null) return null;
    let rhs: Value | null = toShape(tB, x.shape);
    if (tA !== null) {
      const prod = matmul(tA, x, { transposeA: p.transpose });
      rhs = toShape(rhs === null ? neg(prod) : sub(rhs, prod), x.shape);
    }
    return bind(solvePrim, [a, rhs!], p);
  },
  // B̄ = op(A)⁻ᵀ X̄ from the same factors; Ā = −B̄ Xᵀ (or −X B̄ᵀ when op is the transpose)
  vjp: (ct, [a, b], x, p, needs) => {
    const bBar = bind(solvePrim, [a, ct], { transpose: !p.transpose, factors: p.factors });
    const aBar = needs[0]
      ? unbroadcast(neg(p.transpose ? matmul(x, bBar, { transposeB: true }) : matmul(bBar, x, { transposeB: true })), a.shape)
      : null;
    return [aBar, needs[1] ? unbroadcast(bBar, b.shape) : null];
  },
});

/** The public op's primitives: their results are checked for overflow (docs/ARCHITECTURE.md, Errors). */
const checkedSolve = withFiniteResult(solvePrim, 'solve');
const checkedSolvePos = withFiniteResult(solvePosPrim, 'solve');

/** Options of {@link solve}. */
export interface SolveOptions {
  /**
   * What is assumed of `a` (`scipy.linalg.solve`'s `assume_a`): `'gen'` (default) a general square matrix, solved by
   * LU with partial pivoting; `'pos'` symmetric positive definite, solved by Cholesky (half the work), reading only
   * one triangle (see `lower`).
   */
  assumeA?: 'gen' | 'pos';
  /**
   * With `assumeA: 'pos'`: read the lower triangle of `a` (default true, as {@link cholesky}) or the upper one.
   * (`scipy.linalg.solve` reads the upper triangle by default.)
   */
  lower?: boolean;
}

/**
 * Solves `A X = B` for square `A` ([..., n, n]). `B` is [..., n, m], or a vector [..., n] (rank 1 or one below `A`;
 * then `X` is a vector too). Batch axes broadcast like matmul.
 *
 * - `assumeA: 'gen'` (default): LU with partial pivoting; `'pos'`: Cholesky of the symmetric positive-definite
 *   matrix defined by one triangle of `a` (`lower`, default true), whose derivatives treat `a` as symmetric (as
 *   {@link cholesky}: tangents act through `½(Ȧ + Ȧᵀ)`, gradients are symmetric).
 * - Each matrix is factored once, even when it is shared by a batch of right-hand sides, and the derivatives reuse
 *   the factors (`jax.lax.custom_linear_solve`): dX = A⁻¹(dB − dA X); B̄ = A⁻ᵀ X̄ (a transposed solve with the same
 *   factors), Ā = −B̄ Xᵀ.
 * @throws {SingularMatrixError} (`'gen'`) naming the pivot that is exactly zero; {@link NotPositiveDefiniteError}
 * (`'pos'`) naming the failing pivot; {@link NonFiniteError} on NaN/∞ input (in the triangle read, for `'pos'`) or a result that overflows float64;
 * {@link ShapeError} on non-square `A` or mismatched rows; {@link InvalidArgumentError} for an unknown option, an
 * `assumeA` other than `'gen'`/`'pos'`, or `lower` without `assumeA: 'pos'`.
 */
export function solve<A extends ArrayInput, B extends ArrayInput>(a: A, b: B, options?: SolveOptions): Result<A | B> {
  const av = toValue(a, 'solve', 'a'), bv = toValue(b, 'solve', 'b');
  let pos = false, lower = true;
  if (options !== undefined) {
    const opts = readOptions(options, 'solve', ['assumeA', 'lower']);
    const kind = opts.assumeA === undefined ? 'gen' : opts.assumeA; // null is not a default
    if (kind !== 'gen' && kind !== 'pos') {
      throw new InvalidArgumentError(`solve: option assumeA must be 'gen' or 'pos', got ${describeValue(kind)}`);
    }
    pos = kind === 'pos';
    if (opts.lower !== undefined && !pos) throw new InvalidArgumentError("solve: option lower applies only with assumeA: 'pos'");
    lower = booleanOption(opts, 'lower', true, 'solve');
  }
  return withMatrixRhs(av, bv, (bm) => {
    const { n } = solveShapes(av.shape, bm.shape, 'solve');
    const concrete = primalValue(av);
    if (pos) return bind(checkedSolvePos, [av, bm], solvePosParams(concrete, n, lower));
    return bind(checkedSolve, [av, bm], { transpose: false, factors: factorLu(concrete, n, 'solve') });
  }) as Result<A | B>;
}
