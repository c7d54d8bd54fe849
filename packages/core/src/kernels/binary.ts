/**
 * Strided inner loops of the binary elementwise primitives, `o[io + i] = f(a[ia + i·sa], b[ib + i·sb])` for i < n,
 * one hand-written function per op (see `broadcast.ts` for the driver that calls them per row). The arithmetic ones
 * also have a loop for a number on either side (`mul(x, 2)`, `sub(1, x)`): with the operand hoisted it runs about 1.5×
 * as fast as the strided loop with a zero stride.
 * @module
 */

type F = Float64Array;

export function addLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  if (sb === 0 && sa === 1) {
    const v = b[ib];
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i] + v;
  } else if (sa === 0 && sb === 1) {
    const u = a[ia];
    for (let i = 0; i < n; i++) o[io + i] = u + b[ib + i];
  } else {
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] + b[ib + i * sb];
  }
}

export function subLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  if (sb === 0 && sa === 1) {
    const v = b[ib];
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i] - v;
  } else if (sa === 0 && sb === 1) {
    const u = a[ia];
    for (let i = 0; i < n; i++) o[io + i] = u - b[ib + i];
  } else {
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] - b[ib + i * sb];
  }
}

export function mulLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  if (sb === 0 && sa === 1) {
    const v = b[ib];
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i] * v;
  } else if (sa === 0 && sb === 1) {
    const u = a[ia];
    for (let i = 0; i < n; i++) o[io + i] = u * b[ib + i];
  } else {
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] * b[ib + i * sb];
  }
}

export function divLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  if (sb === 0 && sa === 1) {
    const v = b[ib];
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i] / v;
  } else if (sa === 0 && sb === 1) {
    const u = a[ia];
    for (let i = 0; i < n; i++) o[io + i] = u / b[ib + i];
  } else {
    for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] / b[ib + i * sb];
  }
}

/** `scale · a · b` in one pass (derivative rules such as square's `2·x·t`). */
export function scaledMulLoop(
  a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number, p: { readonly scale: number },
): void {
  const s = p.scale;
  for (let i = 0; i < n; i++) o[io + i] = s * a[ia + i * sa] * b[ib + i * sb];
}

/** IEEE 754 pow: JavaScript's `**` gives NaN for `1^NaN`, `1^±∞` and `(-1)^±∞`, where IEEE (and C, NumPy) give 1. */
export function powLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const u = a[ia + i * sa], v = b[ib + i * sb];
    let r = Math.pow(u, v);
    if (r !== r && (u === 1 || (u === -1 && (v === Infinity || v === -Infinity)))) r = 1;
    o[io + i] = r;
  }
}

/** `Math.max` is a V8 intrinsic: NaN propagates from either side and +0 > -0 (IEEE 754-2019 maximum). */
export function maximumLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = Math.max(a[ia + i * sa], b[ib + i * sb]);
}

/** `Math.min`: NaN propagates from either side and -0 < +0 (IEEE 754-2019 minimum). */
export function minimumLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = Math.min(a[ia + i * sa], b[ib + i * sb]);
}

/**
 * Derivative weight of the first operand of maximum (`min: false`) or minimum (`min: true`): 1 where it is the strict
 * winner, ½ on a tie, 0 where it loses or either is NaN (JAX's balanced tie rule).
 */
export function extremumWeightLoop(
  a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number, p: { readonly min: boolean },
): void {
  if (p.min) {
    for (let i = 0; i < n; i++) {
      const u = a[ia + i * sa], v = b[ib + i * sb];
      o[io + i] = u < v ? 1 : u === v ? 0.5 : 0;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const u = a[ia + i * sa], v = b[ib + i * sb];
      o[io + i] = u > v ? 1 : u === v ? 0.5 : 0;
    }
  }
}

export function greaterLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] > b[ib + i * sb] ? 1 : 0;
}

export function greaterEqualLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] >= b[ib + i * sb] ? 1 : 0;
}

export function lessLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] < b[ib + i * sb] ? 1 : 0;
}

export function lessEqualLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] <= b[ib + i * sb] ? 1 : 0;
}

export function equalLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] === b[ib + i * sb] ? 1 : 0;
}

export function notEqualLoop(a: F, ia: number, sa: number, b: F, ib: number, sb: number, o: F, io: number, n: number): void {
  for (let i = 0; i < n; i++) o[io + i] = a[ia + i * sa] !== b[ib + i * sb] ? 1 : 0;
}

/** `where`: `c ? x : y`, any non-zero (and NaN) condition counting as true. */
export function selectLoop(
  c: F, ic: number, sc: number, x: F, ix: number, sx: number, y: F, iy: number, sy: number, o: F, io: number, n: number,
): void {
  for (let i = 0; i < n; i++) o[io + i] = c[ic + i * sc] !== 0 ? x[ix + i * sx] : y[iy + i * sy];
}
