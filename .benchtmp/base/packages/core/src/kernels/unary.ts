/**
 * Inner loops of the unary elementwise primitives: `o[i] = f(a[i])` for i < n, one hand-written function per op so
 * that each is a tight monomorphic loop (a callback per element would not be inlined: 5× slower in V8).
 * @module
 */

/** Signature of a unary elementwise loop. */
export type UnaryLoop = (a: Float64Array, o: Float64Array, n: number) => void;

export function negLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = -a[i];
}

export function expLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]);
}

export function logLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.log(a[i]);
}

export function log1pLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.log1p(a[i]);
}

export function expm1Loop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.expm1(a[i]);
}

export function sqrtLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]);
}

export function squareLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = v * v;
  }
}

export function sinLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]);
}

export function cosLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]);
}

export function tanhLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]);
}

/** 1/(1 + e^-x) for x ≥ 0 and e^x/(1 + e^x) below: exp is only taken of non-positive numbers, so never overflows. */
export function sigmoidLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v >= 0) {
      o[i] = 1 / (1 + Math.exp(-v));
    } else {
      // exp(v) cannot overflow here; NaN also takes this branch and propagates.
      const e = Math.exp(v);
      o[i] = e / (1 + e);
    }
  }
}

/** max(x, 0) + log1p(e^-|x|): no overflow for large x, no lost digits for very negative x. */
export function softplusLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }
}

export function absLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]);
}

/** -1, 0 or 1; ±0 and NaN map to themselves. */
export function signLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = v > 0 ? 1 : v < 0 ? -1 : v;
  }
}

/** 1 for finite values; NaN and ±Infinity give `v - v = NaN`. */
export function isFiniteLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = v - v === 0 ? 1 : 0;
  }
}

export function isNaNLoop(a: Float64Array, o: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    o[i] = v !== v ? 1 : 0;
  }
}
