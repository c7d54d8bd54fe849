import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const signPrim = definePrimitive({
  name: 'sign',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v > 0 ? 1 : v < 0 ? -1 : v; // ±0 and NaN map to themselves
    }
    return new Tensor(o, x.shape);
  },
  nondifferentiable: true,
});

/** Elementwise sign: -1, 0 or 1 (±0 and NaN are kept). Piecewise constant, so its derivative is zero. */
export function sign<T extends ArrayInput>(x: T): Result<T> {
  return bind(signPrim, [asValue(x)], undefined) as Result<T>;
}
