import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { Tracer, bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { assertFinite } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { EigenvalueDomainError } from './errors.js';
import { DEGENERACY_FACTOR } from './gaps.js';
import { sym } from './helpers.js';
import { batchCount } from './packed.js';
import { squareOrder } from './shapes.js';
import { eighPacked, reassemble } from './spectrum.js';
import { sylvesterFactors, sylvesterPrim } from './sylvester.js';

const EPS = 2 ** -52;

interface SqrtmhParams {
  /** Keep the eigendecomposition of the root for the derivative's Sylvester solves (when the input is traced). */
  readonly forDerivative: boolean;
}

/** The symmetric positive-semidefinite square root of a batch of symmetric matrices (see {@link sqrtmh}). */
export const sqrtmhPrim: Primitive<SqrtmhParams> = definePrimitive<SqrtmhParams>({
  name: 'sqrtmh',
  impl: ([a], { forDerivative }) => {
    const packed = eighPacked(a, 'sqrtmh');
    const n = a.shape[a.shape.length - 1];
    const nb = batchCount(a.shape), size = (n + 1) * n;
    const roots = new Float64Array(nb * n);
    const rootPacked = packed.data.slice();
    for (let t = 0; t < nb && n > 0; t++) {
      const w = t * size;
      const big = Math.max(Math.abs(packed.data[w]), Math.abs(packed.data[w + n - 1]));
      const tol = DEGENERACY_FACTOR * n * EPS * big;
      if (packed.data[w] < -tol) {
        throw new EigenvalueDomainError(
          'sqrtmh', 0, packed.data[w], t,
          `the matrix must be positive semidefinite (eigenvalues down to −${tol.toExponential(2)} count as round-off of 0)`,
        );
      }
      for (let i = 0; i < n; i++) {
        const r = Math.sqrt(Math.max(0, packed.data[w + i]));
        roots[t * n + i] = r;
        rootPacked[w + i] = r;
      }
    }
    const x = reassemble(packed, roots);
    // X = V diag(√λ) Vᵀ: its eigendecomposition is known; a derivative solves with it, and X lives only as long as
    // the transform that traces it (a concrete result does not carry the extra memory)
    if (forDerivative) sylvesterFactors.set(x, new Tensor(rootPacked, packed.shape));
    return x;
  },
  // X dX + dX X = dA (differentiate X X = A)
  jvp: ([t], _, x) => bind(sylvesterPrim, [x, t!], undefined),
  vjp: (ct, _, x) => [bind(sylvesterPrim, [x, ct], undefined)],
});

/**
 * The symmetric positive-semidefinite square root `X = A^½` of symmetric positive-semidefinite matrices
 * ([..., n, n]): `X·X = A`, computed as `V·diag(√λ)·Vᵀ` from {@link eigh}. The name follows SciPy's `sqrtm` with
 * NumPy's `h` suffix for the symmetric (Hermitian) case (`eigh`, `eigvalsh`); `jax.scipy.linalg.sqrtm` is the
 * general, complex-valued version.
 *
 * - The input is symmetrised first (as in {@link eigh}).
 * - Eigenvalues in [−16·n·ε·max|λ|, 0) are round-off of a positive-semidefinite matrix and taken as 0; a more
 *   negative one is an {@link EigenvalueDomainError}.
 * - Derivative: dX solves the Sylvester equation `X·dX + dX·X = dA` (in the eigenbasis,
 *   dXᵢⱼ = (Vᵀ dA V)ᵢⱼ / (√λᵢ + √λⱼ)); the VJP is the same solve (it is self-adjoint). The solve's own derivative
 *   is another solve, so derivatives of every order are exact, also at repeated eigenvalues (e.g. at A = I). At a
 *   singular A (a zero eigenvalue) the square root is not differentiable and the derivative throws
 *   {@link NotDifferentiableError}.
 * @throws {ShapeError} if not square; {@link NonFiniteError}; {@link EigenvalueDomainError};
 * {@link ConvergenceError}.
 */
export function sqrtmh<T extends ArrayInput>(a: T): Result<T> {
  const v = asValue(a);
  squareOrder(v.shape, 'sqrtmh');
  assertFinite(primalValue(v).data, 'sqrtmh');
  return bind(sqrtmhPrim, [sym(v)], { forDerivative: v instanceof Tracer }) as Result<T>;
}
