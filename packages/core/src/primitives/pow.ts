import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { binaryOperands } from '../kernels/broadcast.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { unbroadcast } from './broadcast-to.js';
import { equal } from './equal.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { scaledMul } from './scaled-mul.js';
import { sub } from './sub.js';
import { sumTerms } from './tangents.js';
import { where } from './where.js';

export const powPrim: Primitive = definePrimitive({
  name: 'pow',
  impl: ([x, y]) => {
    const { a, b, sa, sb, n, shape } = binaryOperands(x, y, 'pow');
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = a[i * sa], v = b[i * sb];
      let r = Math.pow(u, v);
      // JavaScript deviates from IEEE 754 pow here: 1^y = 1 for any y (even NaN) and (-1)^±∞ = 1.
      if (r !== r && (u === 1 || (u === -1 && (v === Infinity || v === -Infinity)))) r = 1;
      o[i] = r;
    }
    return new Tensor(o, shape);
  },
  jvp: ([tx, ty], [x, y], out) =>
    sumTerms(out.shape, tx && timesDPowDx(tx, x, y), ty && mul(ty, dPowDy(x, out))),
  vjp: (ct, [x, y], out, _, needs) => [
    needs[0] ? unbroadcast(timesDPowDx(ct, x, y), x.shape) : null,
    needs[1] ? unbroadcast(mul(ct, dPowDy(x, out)), y.shape) : null,
  ],
});

/** True when the concrete value under `v` has a zero element (decides only which equivalent formula is built). */
function hasZero(v: Value): boolean {
  const d = primalValue(v).data;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) return true;
  return false;
}

/**
 * `t · ∂x^y/∂x = t · y·x^(y-1)`, taken as 0 where y = 0 (x^0 is constant; avoids 0·∞ at x = 0), as in JAX. A constant
 * scalar exponent (the common `pow(x, 2)`) gets a cheaper formula with the same value.
 */
function timesDPowDx(t: Value, x: Value, y: Value): Value {
  if (y instanceof Tensor && y.shape.length === 0) {
    const c = y.data[0];
    if (c === 0) return mul(t, 0);
    if (c === 1) return t;
    return scaledMul(t, c === 2 ? x : pow(x, c - 1), c);
  }
  const d = mul(y, pow(x, sub(y, 1)));
  return mul(t, hasZero(y) ? where(equal(y, 0), 0, d) : d);
}

/** ∂x^y/∂y = log(x)·x^y, with log(x) taken as 0 where x = 0 (0^y is constant there for y > 0), as in JAX. */
function dPowDy(x: Value, out: Value): Value {
  const lx = hasZero(x) ? log(where(equal(x, 0), 1, x)) : log(x);
  return mul(lx, out);
}

/**
 * Elementwise `x^y` with broadcasting (IEEE 754 pow: NaN for a negative base with a non-integer exponent, `1^y = 1`).
 * The derivative in y involves log(x) and is only formed when y carries a derivative, so a negative base with a
 * constant exponent differentiates fine.
 */
export function pow<A extends ArrayInput, B extends ArrayInput>(x: A, y: B): Result<A | B> {
  return bind(powPrim, [asValue(x), asValue(y)], undefined) as Result<A | B>;
}
