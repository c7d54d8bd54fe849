import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { add, matmul, neg, sub } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { Value } from '../value.js';
import { NotDifferentiableError } from './errors.js';
import { batchCount } from './packed.js';
import { eighPacked } from './spectrum.js';

/**
 * Eigendecompositions of the X of {@link sylvesterPrim}, left here by the kernel that built X from one (sqrtmh),
 * so that solving with X never decomposes it again.
 */
export const sylvesterFactors = new WeakMap<Tensor, Tensor>();

/**
 * `Z` with `X·Z + Z·X = C`, for a batch of symmetric positive-definite X (the root of {@link sqrtmh}) and any C of
 * the same shape: with X = V·diag(μ)·Vᵀ, Z = V·((Vᵀ·C·V) ⊘ (μᵢ + μⱼ))·Vᵀ. The Fréchet derivative of the matrix
 * square root at A is this solve with X = √A, and the solve's own derivative is another solve with the same X,
 * so every order of derivative of `sqrtmh` is exact, repeated eigenvalues included.
 */
export const sylvesterPrim: Primitive = definePrimitive({
  name: 'sylvesterSym',
  impl: ([x, c]) => {
    const n = x.shape[x.shape.length - 1];
    const packed = sylvesterFactors.get(x) ?? eighPacked(x, 'sqrtmh (derivative)');
    const nb = batchCount(x.shape), nn = n * n, size = (n + 1) * n;
    const out = new Float64Array(nb * nn), m = new Float64Array(nn), tmp = new Float64Array(nn);
    const p = packed.data;
    for (let t = 0; t < nb; t++) {
      const w = t * size, v = w + n, o = t * nn;
      // M = Vᵀ C V, divided by μᵢ + μⱼ, then Z = V M Vᵀ
      dense.gemm(true, false, n, n, n, 1, p, v, n, c.data, o, n, 0, tmp, 0, n);
      dense.gemm(false, false, n, n, n, 1, tmp, 0, n, p, v, n, 0, m, 0, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const d = p[w + i] + p[w + j];
          if (!(d > 0)) {
            const k = p[w + i] <= p[w + j] ? i : j;
            throw new NotDifferentiableError(
              'sqrtmh (derivative)', t, [k],
              `eigenvalue ${k} is 0: the square root is not differentiable at a singular matrix (it needs A positive definite)`,
            );
          }
          m[i * n + j] /= d;
        }
      }
      dense.gemm(false, false, n, n, n, 1, p, v, n, m, 0, n, 0, tmp, 0, n);
      dense.gemm(false, true, n, n, n, 1, tmp, 0, n, p, v, n, 0, out, o, n);
    }
    return new Tensor(out, x.shape);
  },
  // X dZ + dZ X = dC − dX Z − Z dX
  jvp: ([tx, tc], [x], z) => {
    const fromX = tx === null ? null : add(matmul(tx, z), matmul(z, tx));
    const rhs: Value = fromX === null ? tc! : tc === null ? neg(fromX) : sub(tc, fromX);
    return bind(sylvesterPrim, [x, rhs], undefined);
  },
  // The solve is self-adjoint in C (⟨Z(C), D⟩ = ⟨C, Z(D)⟩), and X̄ = −(C̄ Zᵀ + Zᵀ C̄).
  vjp: (zBar, [x], z, _, needs) => {
    const cBar = bind(sylvesterPrim, [x, zBar], undefined);
    const xBar = needs[0] ? neg(add(matmul(cBar, z, { transposeB: true }), matmul(z, cBar, { transposeA: true }))) : null;
    return [xBar, needs[1] ? cBar : null];
  },
});
