import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { Tensor } from '../tensor.js';

/** Which triangle Φ keeps: the lower one (Φ of MATH.md) or the upper one (its mirror image Ψ). */
export interface PhiParams {
  readonly lower: boolean;
}

/**
 * `Φ(X) = tril(X) − ½ diag(X)` (or `Ψ(X) = triu(X) − ½ diag(X)`) of each square matrix in one pass: the triangle
 * with its diagonal halved, as `x − x·½`, bit-identical to the composition of tril, diag and sub it replaces (one
 * array instead of four in every Cholesky rule). A projection-like linear map that is self-adjoint.
 */
export const phiPrim: Primitive<PhiParams> = definePrimitive<PhiParams>({
  name: 'phi',
  impl: ([x], { lower }) => {
    const n = x.shape[x.shape.length - 1], nn = n * n;
    const src = x.data, out = new Float64Array(src.length);
    for (let o = 0; o < src.length; o += nn) {
      for (let i = 0; i < n; i++) {
        const ri = o + i * n, lo = lower ? 0 : i + 1, hi = lower ? i : n;
        for (let j = lo; j < hi; j++) out[ri + j] = src[ri + j];
        const d = src[ri + i];
        out[ri + i] = d - d * 0.5;
      }
    }
    return new Tensor(out, x.shape);
  },
  jvp: ([t], _, __, p) => bind(phiPrim, [t!], p),
  vjp: (ct, _, __, p) => [bind(phiPrim, [ct], p)],
});
