import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { toValue } from '../convert.js';
import { multiplyTriangular } from './triangular-matmul.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { phi, psi, sym } from './helpers.js';
import { matrixTranspose } from '../ops/transpose.js';
import { choleskyTangentPrim } from './cholesky-tangent.js';
import { factorCholesky } from './kernels/factors.js';
import { transposeTriangle } from './kernels/triangle.js';
import { squareOrder } from './shapes.js';
import { solveTriangular } from './triangular-solve.js';

/** Which factor: `upper` false gives the lower L with A = L Lᵀ, true the upper U with A = Uᵀ U. */
interface CholeskyParams {
  readonly upper: boolean;
}

const LOWER: CholeskyParams = Object.freeze({ upper: false });
const UPPER: CholeskyParams = Object.freeze({ upper: true });

/**
 * Cholesky factor of a batch of symmetric positive-definite matrices, reading only the triangle of the factor: the
 * lower L (A = L Lᵀ) or the upper U (A = Uᵀ U). Derivatives treat `A` as symmetric: a tangent `Ȧ` acts through
 * `S = ½(Ȧ + Ȧᵀ)` and cotangents are symmetric.
 */
export const choleskyPrim: Primitive<CholeskyParams> = definePrimitive<CholeskyParams>({
  name: 'cholesky',
  impl: ([a], { upper }) => {
    const n = squareOrder(a.shape, 'cholesky');
    const l = factorCholesky(a, n, !upper, 'cholesky', 'cholesky');
    // the upper factor of A is the transpose of the lower factor of Aᵀ
    if (upper) for (let o = 0; o < l.length; o += n * n) transposeTriangle(l, o, l, o, n, true);
    return new Tensor(l, a.shape);
  },
  // Lower: dL = L Φ(L⁻¹ S L⁻ᵀ), one fused primitive (one array instead of five, 5D³/3 flops instead of 3D³). Upper:
  // with L = Uᵀ, dU = Ψ(U⁻ᵀ S U⁻¹) U = (L Φ(L⁻¹ S L⁻ᵀ))ᵀ, the same primitive between two transposes.
  jvp: ([t], _, f, { upper }) => {
    if (!upper) return bind(choleskyTangentPrim, [f, t!], undefined);
    return matrixTranspose(bind(choleskyTangentPrim, [matrixTranspose(f), t!], undefined));
  },
  // Adjoints of the JVPs (Φ and Ψ are self-adjoint): Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Ā = sym(U⁻¹ Ψ(Ū Uᵀ) U⁻ᵀ).
  vjp: (ct, _, f, { upper }) => {
    if (!upper) {
      const p = solveTriangular(f, phi(multiplyTriangular(f, ct, true, true, true)), true, true, true);
      return [sym(solveTriangular(f, p, false, true, false))];
    }
    const p = solveTriangular(f, psi(multiplyTriangular(f, ct, false, false, true)), true, false, false);
    return [sym(solveTriangular(f, p, false, false, true))];
  },
});


const NO_OPTIONS: CholeskyOptions = Object.freeze({});

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor U with `A = Uᵀ U`, reading the upper triangle (LAPACK `uplo = 'U'`); default false. */
  upper?: boolean;
}

/**
 * Cholesky factor: the lower-triangular `L` with positive diagonal and `A = L Lᵀ` for each matrix of `a`
 * ([..., n, n]), or with `upper: true` the upper-triangular `U = Lᵀ` with `A = Uᵀ U` (`jnp.linalg.cholesky(a,
 * upper=True)`). Only the triangle of the factor is read (the lower one, or the upper one with `upper`), as LAPACK
 * `potrf` and JAX; derivatives treat `a` as symmetric (the tangent used is `S = ½(Ȧ + Ȧᵀ)`, gradients are
 * symmetric): dL = L Φ(L⁻¹ S L⁻ᵀ), dU = Ψ(U⁻ᵀ S U⁻¹) U, Φ/Ψ the lower/upper triangle with the diagonal halved.
 * @throws {NotPositiveDefiniteError} naming the first pivot that is ≤ 0 or NaN and the matrix's batch index;
 * {@link NonFiniteError} on NaN/∞ in the triangle read (the factor of finite input is finite); {@link ShapeError} if not square;
 * {@link InvalidArgumentError} for an option that is not `upper` or not a boolean.
 */
export function cholesky<T extends ArrayInput>(a: T, options: CholeskyOptions = NO_OPTIONS): Result<T> {
  const v = toValue(a, 'cholesky', 'a');
  const upper = options === NO_OPTIONS ? false : booleanOption(readOptions(options, 'cholesky', ['upper']), 'upper', false, 'cholesky');
  squareOrder(v.shape, 'cholesky');
  return bind(choleskyPrim, [v], upper ? UPPER : LOWER) as Result<T>;
}

/** The lower Cholesky factor of a valid value, bound directly (for rules and internal callers). */
export function choleskyLower(a: Value): Value {
  return bind(choleskyPrim, [a], LOWER);
}
