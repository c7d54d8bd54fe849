/**
 * Dual-number loops of the elementwise primitives: the primal output and its tangent in one pass,
 * `o[i] = f(a[i])`, `t[i] = f'(a[i])·ta[i]` — forward mode's first-order fast path (`Primitive.jvpFused`). Each
 * computes exactly what the primal loop and the derivative rule compute (same operations in the same order), so
 * the fast path is bit-identical to the rule path. Binary loops take strides (1, or 0 for a scalar operand) as the
 * primal loops do.
 * @module
 */

type F = Float64Array;

/** Signature of a unary dual loop: input a with tangent ta; output o with tangent t. */
export type UnaryDualLoop = (a: F, ta: F, o: F, t: F, n: number) => void;

export function negDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    o[i] = -a[i];
    t[i] = -ta[i];
  }
}

/** t = (2·g)·x, as `lax.scaledMul(g, x, 2)`. */
export function squareDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = v * v;
    t[i] = 2 * ta[i] * v;
  }
}

/** t = g·y. */
export function expDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = Math.exp(a[i]);
    o[i] = y;
    t[i] = ta[i] * y;
  }
}

/** t = g / x. */
export function logDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = Math.log(v);
    t[i] = ta[i] / v;
  }
}

/** t = g / (y·2). */
export function sqrtDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = Math.sqrt(a[i]);
    o[i] = y;
    t[i] = ta[i] / (y * 2);
  }
}

/** t = g·cos(x). */
export function sinDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = Math.sin(v);
    t[i] = ta[i] * Math.cos(v);
  }
}

/** t = (−1·g)·sin(x), as `lax.scaledMul(g, sin(x), −1)`. */
export function cosDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = Math.cos(v);
    t[i] = -1 * ta[i] * Math.sin(v);
  }
}

/** t = g·(1 − y·y). */
export function tanhDual(a: F, ta: F, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = Math.tanh(a[i]);
    o[i] = y;
    t[i] = ta[i] * (1 - y * y);
  }
}

/**
 * Signature of a binary dual loop with strides: operands a, b (strides sa, sb) and their tangents ta, tb (strides
 * sta, stb); a tangent that is a symbolic zero is not read (its loop variant does not take it).
 */
export type BinaryDualLoop = (
  a: F, sa: number, b: F, sb: number, ta: F, sta: number, tb: F, stb: number, o: F, t: F, n: number,
) => void;

export function addDual(a: F, sa: number, b: F, sb: number, ta: F, sta: number, tb: F, stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    o[i] = a[i * sa] + b[i * sb];
    t[i] = ta[i * sta] + tb[i * stb];
  }
}

export function subDual(a: F, sa: number, b: F, sb: number, ta: F, sta: number, tb: F, stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    o[i] = a[i * sa] - b[i * sb];
    t[i] = ta[i * sta] - tb[i * stb];
  }
}

/** `a − b` with only b carrying a tangent: t = −tb. */
export function subDualB(a: F, sa: number, b: F, sb: number, _ta: F, _sta: number, tb: F, stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    o[i] = a[i * sa] - b[i * sb];
    t[i] = -tb[i * stb];
  }
}

/** t = ta·b + a·tb, as `add(mul(tx, y), mul(x, ty))`. */
export function mulDual(a: F, sa: number, b: F, sb: number, ta: F, sta: number, tb: F, stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const u = a[i * sa], v = b[i * sb];
    o[i] = u * v;
    t[i] = ta[i * sta] * v + u * tb[i * stb];
  }
}

/** Only a carries a tangent: t = ta·b. */
export function mulDualA(a: F, sa: number, b: F, sb: number, ta: F, sta: number, _tb: F, _stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = b[i * sb];
    o[i] = a[i * sa] * v;
    t[i] = ta[i * sta] * v;
  }
}

/** Only b carries a tangent: t = a·tb. */
export function mulDualB(a: F, sa: number, b: F, sb: number, _ta: F, _sta: number, tb: F, stb: number, o: F, t: F, n: number): void {
  for (let i = 0; i < n; i++) {
    const u = a[i * sa];
    o[i] = u * b[i * sb];
    t[i] = u * tb[i * stb];
  }
}
