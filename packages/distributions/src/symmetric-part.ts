/**
 * `sym(X) = ½(X + Xᵀ)` on the last two axes as one primitive: one pass instead of a transpose, an add and a scale
 * (it runs on every η₂ direction). Bit-identical to `mul(add(x, matrixTranspose(x)), 0.5)`. The map is linear and
 * self-adjoint, so both derivative rules are `sym` of the incoming (co)tangent.
 * @module
 */
import { type Primitive, type Value, bind, definePrimitive, zerosLike } from '@natgrad/core';

export const symPrim: Primitive = definePrimitive({
  name: 'sym',
  impl: ([x]) => {
    const s = x.shape, d = s[s.length - 1], dd = d * d;
    const out = zerosLike(x), o = out.data, a = x.data;
    for (let off = 0; off < a.length; off += dd) {
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) o[off + i * d + j] = o[off + j * d + i] = (a[off + i * d + j] + a[off + j * d + i]) * 0.5;
      }
    }
    return out;
  },
  jvp: ([t]) => (t === null ? null : bind(symPrim, [t], undefined)),
  vjp: (ct) => [bind(symPrim, [ct], undefined)],
});

/** `½(X + Xᵀ)` of square matrices [..., D, D] (the shape is the caller's to check). */
export function symmetricPart(x: Value): Value {
  return bind(symPrim, [x], undefined);
}
