import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { dense } from '../backend/select.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError, assertFinite } from '../errors.js';
import { add, matmul, neg, sub } from '../ops/index.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { readOptions } from './options.js';
import { batchCount } from './packed.js';
import { matrixRank } from './shapes.js';
import { decompose, svdFactors } from './svd.js';

const EPS = 2 ** -52;

interface PinvParams {
  readonly rtol: number;
}

/** Options of {@link pinv}. */
export interface PinvOptions {
  /**
   * Relative cutoff: singular values ≤ rtol·s₀ (s₀ the largest) are treated as zero. Default 10·max(m, n)·ε, as
   * JAX (`rtol`, formerly `rcond`). Must be ≥ 0.
   */
  rtol?: number;
}

/** Moore–Penrose pseudo-inverse of a batch of m×n matrices ([..., n, m]) from the SVD, with a relative cutoff. */
export const pinvPrim: Primitive<PinvParams> = definePrimitive<PinvParams>({
  name: 'pinv',
  impl: ([a], { rtol }) => {
    const m = a.shape[a.shape.length - 2], n = a.shape[a.shape.length - 1], k = Math.min(m, n);
    const known = svdFactors.peek(a); // primed by lstsq, which also needs the singular values
    const packed = known instanceof Tensor ? known : decompose(a, true);
    const nb = batchCount(a.shape), size = (1 + m + n) * k;
    const out = new Float64Array(nb * n * m), scaled = new Float64Array(n * k);
    const p = packed.data;
    for (let t = 0; t < nb; t++) {
      const o = t * size, u = o + k, v = o + (1 + m) * k;
      const cutoff = rtol * (k > 0 ? p[o] : 0);
      // P = V diag(1/s) Uᵀ over the singular values above the cutoff
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) scaled[i * k + j] = p[o + j] > cutoff ? p[v + i * k + j] / p[o + j] : 0;
      }
      dense.gemm(false, true, n, m, k, 1, scaled, 0, k, p, u, k, 0, out, t * n * m, m);
    }
    return new Tensor(out, [...a.shape.slice(0, -2), n, m]);
  },
  // Golub & Pereyra (1973): dP = −P dA P + P Pᵀ dAᵀ (I − A P) + (I − P A) dAᵀ Pᵀ P, valid while the rank is constant.
  jvp: ([t], [a], p) => {
    const x = matmul(p, matmul(p, t!, { transposeA: true, transposeB: true }));
    const y = matmul(t!, matmul(p, p, { transposeA: true }), { transposeA: true });
    return add(
      neg(matmul(p, matmul(t!, p))),
      add(sub(x, matmul(matmul(x, a), p)), sub(y, matmul(p, matmul(a, y)))),
    );
  },
  // The adjoint: Ā = −Pᵀ P̄ Pᵀ + (I − A P) P̄ᵀ P Pᵀ + Pᵀ P P̄ᵀ (I − P A).
  vjp: (ct, [a], p) => {
    const z = matmul(ct, matmul(p, p, { transposeB: true }), { transposeA: true });
    const w = matmul(matmul(p, p, { transposeA: true }), ct, { transposeB: true });
    return [
      add(
        neg(matmul(p, matmul(ct, p, { transposeB: true }), { transposeA: true })),
        add(sub(z, matmul(a, matmul(p, z))), sub(w, matmul(matmul(w, p), a))),
      ),
    ];
  },
});

/** The relative cutoff of {@link pinv} for an m×n matrix: the option, or 10·max(m, n)·ε. */
export function pinvTolerance(options: PinvOptions | undefined, m: number, n: number): number {
  const rtol = readOptions('pinv', options, { rtol: 'number' }).rtol ?? 10 * Math.max(m, n) * EPS;
  if (rtol < 0) throw new InvalidArgumentError(`pinv: option 'rtol' must be ≥ 0, got ${rtol}`);
  return rtol;
}

/**
 * Moore–Penrose pseudo-inverse `A⁺` of each matrix of `a` ([..., m, n] → [..., n, m]), as `jnp.linalg.pinv`:
 * `V·diag(1/s)·Uᵀ` from the {@link svd}, with singular values ≤ rtol·s₀ treated as zero (so a rank-deficient or
 * zero matrix is fine: its pseudo-inverse inverts the part above the cutoff).
 *
 * Derivative (Golub & Pereyra 1973, as JAX): dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᵀ dAᵀ (I − A A⁺) + (I − A⁺A) dAᵀ A⁺ᵀA⁺, and
 * its adjoint for the VJP; both in terms of A⁺ itself, so they differentiate again. It is the derivative of the
 * pseudo-inverse as long as the numerical rank does not change: where a singular value crosses the cutoff, the
 * pseudo-inverse is discontinuous and has no derivative.
 * @throws {ShapeError} on rank < 2; {@link NonFiniteError}; {@link InvalidArgumentError} for a negative or
 * non-finite rtol or an unknown option; {@link ConvergenceError}.
 */
export function pinv<T extends ArrayInput>(a: T, options?: PinvOptions): Result<T> {
  const v = asValue(a);
  matrixRank(v.shape, 'pinv');
  const rtol = pinvTolerance(options, v.shape[v.shape.length - 2], v.shape[v.shape.length - 1]);
  assertFinite(primalValue(v).data, 'pinv');
  return pinvOf(v, rtol) as Result<T>;
}

/** @internal The pseudo-inverse with a validated cutoff (used by lstsq). */
export function pinvOf(a: Value, rtol: number): Value {
  return bind(pinvPrim, [a], Object.freeze({ rtol }));
}
