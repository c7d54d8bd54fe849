import { definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const isFinitePrim = definePrimitive({
  name: 'isFinite',
  impl: ([x]) => {
    const a = x.data, n = a.length, o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      o[i] = v - v === 0 ? 1 : 0; // NaN and ±Infinity give NaN
    }
    return new Tensor(o, x.shape);
  },
  nondifferentiable: true,
});

/** Elementwise test for a finite value (neither NaN nor ±Infinity), as 1/0 floats. Zero derivative. */
export function isFinite<T extends ArrayInput>(x: T): Result<T> {
  return bind(isFinitePrim, [asValue(x)], undefined) as Result<T>;
}
