import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { Tensor } from '../tensor.js';

/**
 * `½(X + Xᵀ)` of each square matrix in one pass (the derivative rules symmetrise every tangent of a symmetric
 * argument: one array instead of the transpose, sum and scaled copy). Each pair is computed once and written to
 * both places, so the result is exactly symmetric, and bit-identical to `(X + Xᵀ)·½`.
 */
export const symmetrizePrim: Primitive = definePrimitive({
  name: 'symmetrize',
  impl: ([x]) => {
    const n = x.shape[x.shape.length - 1], nn = n * n;
    const src = x.data, out = new Float64Array(src.length);
    for (let o = 0; o < src.length; o += nn) symmetrizeInto(src, out, o, n);
    return new Tensor(out, x.shape);
  },
  // A projection onto the symmetric matrices: linear and self-adjoint.
  jvp: ([t]) => bind(symmetrizePrim, [t!], undefined),
  vjp: (ct) => [bind(symmetrizePrim, [ct], undefined)],
});

/** `½(X + Xᵀ)` of the n×n matrix at `o` of `src` into the same place of `out` (every entry written). */
export function symmetrizeInto(src: Float64Array, out: Float64Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = o + i * n;
    out[ri + i] = (src[ri + i] + src[ri + i]) * 0.5;
    for (let j = i + 1; j < n; j++) {
      const v = (src[ri + j] + src[o + j * n + i]) * 0.5;
      out[ri + j] = v;
      out[o + j * n + i] = v;
    }
  }
}
