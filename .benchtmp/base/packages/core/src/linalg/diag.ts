import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { diagonalPrim } from './diagonal.js';

/** [..., n] → [..., n, n]: a batch of diagonal matrices. The transpose of {@link diagonalPrim}. */
export const diagPrim: Primitive = definePrimitive({
  name: 'diag',
  impl: ([x]) => {
    const n = x.shape[x.shape.length - 1];
    const src = x.data, out = new Float64Array(src.length * n);
    const nb = n === 0 ? 0 : src.length / n;
    for (let t = 0; t < nb; t++) {
      const o = t * n * n, s = t * n;
      for (let i = 0; i < n; i++) out[o + i * n + i] = src[s + i];
    }
    return new Tensor(out, [...x.shape, n]);
  },
  jvp: ([t]) => bind(diagPrim, [t!], undefined),
  vjp: (ct) => [bind(diagonalPrim, [ct], undefined)],
});

/** Diagonal matrices from their diagonals: `v` of shape [..., n] gives [..., n, n] with `v` on the main diagonal. */
export function diag<T extends ArrayInput>(v: T): Result<T> {
  const x = toValue(v, 'diag', 'v');
  if (x.shape.length < 1) throw new ShapeError(`diag: needs a vector (rank ≥ 1), got shape ${formatShape(x.shape)}`);
  return bind(diagPrim, [x], undefined) as Result<T>;
}
