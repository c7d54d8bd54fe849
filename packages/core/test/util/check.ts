/**
 * Derivative checks shared by the core tests. Every check compares an AD result with an independent route:
 *  - JVP vs central finite differences of the primal;
 *  - VJP vs JVP through the adjoint identity ⟨u, J v⟩ = ⟨Jᵀ u, v⟩;
 *  - linearize vs jvp;
 *  - optionally second order: forward-over-forward and forward-over-reverse vs finite differences of the JVP.
 */
import { expect } from 'vitest';
import { Tensor, type Value, jvp, linearize, vjp } from '@natgrad/core';

export type Fn = (...args: Value[]) => Value;

/** Deterministic pseudo-random numbers (mulberry32) for directions, independent of the library's generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tensor of the given shape with entries uniform in [lo, hi). */
export function randomTensor(shape: number[], next: () => number, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * next();
  return new Tensor(d, shape);
}

function axpy(x: Tensor, a: number, d: Tensor): Tensor {
  const o = new Float64Array(x.size);
  for (let i = 0; i < o.length; i++) o[i] = x.data[i] + a * d.data[i];
  return new Tensor(o, x.shape);
}

function inner(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

function asT(v: Value): Tensor {
  return v as Tensor;
}

export interface CheckOptions {
  /** Relative tolerance of the finite-difference comparison. */
  rtol?: number;
  /** Absolute tolerance of the finite-difference comparison. */
  atol?: number;
  /** Finite-difference step (relative to 1 + |x|∞). */
  eps?: number;
  /** Which arguments get tangents (default all). */
  wrt?: number[];
  seed?: number;
  /** Also check second derivatives. */
  secondOrder?: boolean;
  /** Maps a random direction before use (e.g. symmetrise for functions of symmetric matrices). */
  direction?: (argIndex: number, d: Tensor) => Tensor;
}

/** Central difference of `f` at `args` along `dirs` with a fourth-order (Richardson) stencil. */
export function finiteDifference(f: Fn, args: Tensor[], dirs: (Tensor | null)[], eps: number): Tensor {
  const at = (h: number) => asT(f(...args.map((a, i) => (dirs[i] ? axpy(a, h, dirs[i]!) : a))));
  const f1 = at(eps), f_1 = at(-eps), f2 = at(2 * eps), f_2 = at(-2 * eps);
  const o = new Float64Array(f1.size);
  for (let i = 0; i < o.length; i++) o[i] = (8 * (f1.data[i] - f_1.data[i]) - (f2.data[i] - f_2.data[i])) / (12 * eps);
  return new Tensor(o, f1.shape);
}

export function expectClose(actual: Tensor, expected: Tensor, rtol: number, atol: number, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  let scale = 0;
  for (let i = 0; i < expected.size; i++) scale = Math.max(scale, Math.abs(expected.data[i]));
  for (let i = 0; i < actual.size; i++) {
    const err = Math.abs(actual.data[i] - expected.data[i]);
    if (!(err <= atol + rtol * Math.max(Math.abs(expected.data[i]), scale))) {
      throw new Error(`${what}: element ${i}: got ${actual.data[i]}, expected ${expected.data[i]} (|err| = ${err})`);
    }
  }
}

/**
 * Checks first (and optionally second) derivatives of `f` at `args`. Returns nothing; throws with a precise message on
 * the first disagreement.
 */
export function checkDerivatives(f: Fn, args: Tensor[], options: CheckOptions = {}): void {
  const { rtol = 1e-6, atol = 1e-8, seed = 1 } = options;
  const next = rng(seed);
  const wrt = options.wrt ?? args.map((_, i) => i);
  const scale = Math.max(1, ...args.map((a) => Math.max(0, ...Array.from(a.data, Math.abs))));
  const eps = (options.eps ?? 1e-4) * scale;
  const dir = (i: number): Tensor | null => {
    if (!wrt.includes(i)) return null;
    const d = randomTensor([...args[i].shape], next);
    return options.direction ? options.direction(i, d) : d;
  };
  const dirs = args.map((_, i) => dir(i));
  const tangents = args.map((a, i) => dirs[i] ?? Tensor.zeros(a.shape));

  // JVP vs finite differences.
  const [out, tOut] = jvp(f, args, tangents) as [Value, Value];
  const fd = finiteDifference(f, args, dirs, eps);
  expectClose(asT(tOut), fd, rtol, atol, 'jvp vs finite differences');

  // linearize vs jvp.
  const [out2, lin] = linearize(f, args);
  expectClose(asT(out2 as Value), asT(out), 0, 0, 'linearize primal');
  expectClose(asT(lin(...tangents) as Value), asT(tOut), 1e-12, 1e-12, 'linearize vs jvp');

  // VJP vs JVP: <u, J v> = <J^T u, v>.
  const u = randomTensor([...(out as Tensor).shape], next);
  const [, pullback] = vjp(f, args);
  const cts = pullback(u) as Tensor[];
  let lhs = inner(u, asT(tOut));
  let rhs = 0;
  for (const i of wrt) rhs += inner(cts[i], tangents[i]);
  const tol = 1e-10 * Math.max(1, Math.abs(lhs), Math.abs(rhs)) + atol;
  if (!(Math.abs(lhs - rhs) <= tol)) throw new Error(`vjp/jvp adjoint identity: <u, Jv> = ${lhs}, <J^T u, v> = ${rhs}`);
  for (let i = 0; i < args.length; i++) expect(cts[i].shape, `vjp cotangent ${i} shape`).toEqual(args[i].shape);

  if (options.secondOrder) {
    // Forward-over-forward: d/dh [J(x + h w) v] vs finite differences of the JVP.
    const w = args.map((a, i) => {
      if (!wrt.includes(i)) return null;
      const d = randomTensor([...a.shape], next);
      return options.direction ? options.direction(i, d) : d;
    });
    const wT = args.map((a, i) => w[i] ?? Tensor.zeros(a.shape));
    const jv = (...xs: Value[]) => jvp(f, xs, tangents)[1] as Value;
    const [, second] = jvp(jv, args, wT);
    expectClose(asT(second as Value), finiteDifference(jv, args, w, eps), rtol * 10, atol * 10, 'forward-over-forward');
    // Forward-over-reverse: d/dh [J(x + h w)^T u] vs finite differences of the VJP.
    for (const i of wrt) {
      const ju = (...xs: Value[]) => (vjp(f, xs)[1](u) as Value[])[i];
      const [, secondR] = jvp(ju, args, wT);
      expectClose(asT(secondR as Value), finiteDifference(ju, args, w, eps), rtol * 10, atol * 10, `forward-over-reverse (arg ${i})`);
    }
  }
}

/** The error `f` throws (a test failure if it returns). */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw, but the call returned');
}
