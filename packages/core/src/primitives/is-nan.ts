import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const isNaNPrim = definePrimitive({
  name: 'isNaN',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v !== v ? 1 : 0;
    }
    return new Tensor(o, x.shape);
  },
  nondifferentiable: true,
});

/** Elementwise test for NaN, as 1/0 floats. Zero derivative. */
export function isNaN<T extends ArrayInput>(x: T): Result<T> {
  return bind(isNaNPrim, [asValue(x)], undefined) as Result<T>;
}
