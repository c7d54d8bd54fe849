// Row operations on contiguous f64 vectors shared by the decompositions (Jacobi and Givens rotations, Householder
// updates). Pointers are byte addresses; lanes run over even/odd elements, so `dot` adds in the order of the
// JavaScript kernels' two accumulators and rotations are elementwise: both backends give the same numbers.

/** x·y over `len` elements: lane 0 sums the even elements, lane 1 the odd ones, then lane 0 + lane 1. */
export function dotRows(x: usize, y: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  let k = 0;
  for (; k + 1 < len; k += 2) {
    const o = <usize>k << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  const s1 = f64x2.extract_lane(acc, 1);
  if (k < len) s0 += load<f64>(x + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return s0 + s1;
}

/** (x, y) ← (c·x − s·y, s·x + c·y) over `len` elements. */
export function rotateRows(x: usize, y: usize, len: i32, c: f64, s: f64): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s);
  let k = 0;
  for (; k + 1 < len; k += 2) {
    const o = <usize>k << 3;
    const a = v128.load(x + o), b = v128.load(y + o);
    v128.store(x + o, f64x2.sub(f64x2.mul(vc, a), f64x2.mul(vs, b)));
    v128.store(y + o, f64x2.add(f64x2.mul(vs, a), f64x2.mul(vc, b)));
  }
  if (k < len) {
    const o = <usize>k << 3;
    const a = load<f64>(x + o), b = load<f64>(y + o);
    store<f64>(x + o, c * a - s * b);
    store<f64>(y + o, s * a + c * b);
  }
}

/** y ← y + α·x over `len` elements. */
export function axpyRow(alpha: f64, x: usize, y: usize, len: i32): void {
  const va = f64x2.splat(alpha);
  let k = 0;
  for (; k + 1 < len; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
  }
  if (k < len) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** Swaps the `len` elements at x and y. */
export function swapRows(x: usize, y: usize, len: i32): void {
  let k = 0;
  for (; k + 1 < len; k += 2) {
    const o = <usize>k << 3;
    const t = v128.load(x + o);
    v128.store(x + o, v128.load(y + o));
    v128.store(y + o, t);
  }
  if (k < len) {
    const o = <usize>k << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** 1, or the power of two that brings `big` near 1 when squares of numbers that size could overflow or underflow. */
export function powerOfTwoScale(big: f64): f64 {
  if (big == 0 || (big <= 2.037035976334486e90 && big >= 4.909093465297727e-91)) return 1; // [2⁻³⁰⁰, 2³⁰⁰]
  return Math.pow(2, -Math.floor(Math.log2(big)));
}

/** y ← y − (α·x + β·z) over `len` elements (the symmetric rank-2 update of one row). */
export function subTwoRows(alpha: f64, x: usize, beta: f64, z: usize, y: usize, len: i32): void {
  const va = f64x2.splat(alpha), vb = f64x2.splat(beta);
  let k = 0;
  for (; k + 1 < len; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(f64x2.mul(va, v128.load(x + o)), f64x2.mul(vb, v128.load(z + o)))));
  }
  if (k < len) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) - (alpha * load<f64>(x + o) + beta * load<f64>(z + o)));
  }
}
