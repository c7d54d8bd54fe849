import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { toValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';
import { diagPrim } from './diag.js';
import { squareOrder } from './shapes.js';

/** [..., n, n] → [..., n]: the main diagonal of each matrix. The transpose of {@link diagPrim}. */
export const diagonalPrim: Primitive = definePrimitive({
  name: 'diagonal',
  impl: ([x]) => {
    const n = x.shape[x.shape.length - 1];
    const src = x.data, out = new Float64Array(n === 0 ? 0 : src.length / n);
    const nb = n === 0 ? 0 : out.length / n;
    for (let t = 0; t < nb; t++) {
      const o = t * n, s = t * n * n;
      for (let i = 0; i < n; i++) out[o + i] = src[s + i * n + i];
    }
    return new Tensor(out, x.shape.slice(0, -1));
  },
  jvp: ([t]) => bind(diagonalPrim, [t!], undefined),
  vjp: (ct) => [bind(diagPrim, [ct], undefined)],
});

/** Main diagonal of each square matrix: `a` of shape [..., n, n] gives [..., n]. */
export function diagonal<T extends ArrayInput>(a: T): Result<T> {
  const x = toValue(a, 'diagonal', 'a');
  squareOrder(x.shape, 'diagonal');
  return bind(diagonalPrim, [x], undefined) as Result<T>;
}
