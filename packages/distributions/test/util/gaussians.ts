/**
 * Random Gaussians for property tests: SPD matrices with a prescribed condition number, q in any parametrisation,
 * random directions, and comparison helpers with scale-aware tolerances.
 */
import { expect } from 'vitest';
import { Tensor, type Value, ops } from '@natgrad/core';
import {
  type AnyParametrisation,
  type Gaussian,
  type Parametrisation,
  convert,
  diagonal,
  meanCovariance,
} from '@natgrad/distributions';

// The same generator as core's derivative checks (mulberry32), independent of the library's random keys.
export { rng } from '../../../core/test/util/check.js';

/** Standard normal by Box–Muller. */
export function gauss(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

export function randn(shape: number[], next: () => number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = scale * gauss(next);
  return new Tensor(d, shape);
}

/** A random orthogonal matrix (Gram–Schmidt twice on a Gaussian matrix). */
export function orthogonal(d: number, next: () => number): Float64Array {
  const q = randn([d, d], next).data.slice();
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[i * d + j] * q[i * d + k];
        for (let i = 0; i < d; i++) q[i * d + j] -= dot * q[i * d + k];
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += q[i * d + j] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < d; i++) q[i * d + j] /= norm;
    }
  }
  return q;
}

/**
 * Σ = Q diag(s) Qᵀ with eigenvalues log-spaced from `scale` down to `scale / cond` (exactly symmetric): the
 * condition number is `cond` (1 gives a multiple of the identity rotated, i.e. scale·I).
 */
export function randomSpd(d: number, next: () => number, cond = 10, scale = 1): Tensor {
  const q = orthogonal(d, next);
  const s = Array.from({ length: d }, (_, i) => scale * cond ** (-(d === 1 ? next() : i / (d - 1))));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += q[i * d + k] * s[k] * q[j * d + k];
      out[i * d + j] = out[j * d + i] = acc;
    }
  }
  return new Tensor(out, [d, d]);
}

/** A random full-family Gaussian in (μ, Σ), optionally batched. */
export function randomMoments(d: number, next: () => number, cond = 10, batch: number[] = []): Gaussian<'mu' | 'Sigma'> {
  const nb = batch.reduce((a, b) => a * b, 1);
  const mus: Tensor[] = [], sigmas: Tensor[] = [];
  for (let b = 0; b < nb; b++) {
    mus.push(randn([d], next));
    sigmas.push(randomSpd(d, next, cond, 0.5 + next()));
  }
  const mu = ops.reshape(ops.stack(mus), [...batch, d]) as Tensor;
  const Sigma = ops.reshape(ops.stack(sigmas), [...batch, d, d]) as Tensor;
  return { mu, Sigma };
}

/** A random diagonal Gaussian in (μ, σ²) with variances spanning a factor `cond`. */
export function randomDiagonal(d: number, next: () => number, cond = 10, batch: number[] = []): Gaussian<'mu' | 'sigma2'> {
  const n = batch.reduce((a, b) => a * b, 1) * d;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = (0.5 + next()) * cond ** -next();
  return { mu: randn([...batch, d], next), sigma2: new Tensor(s, [...batch, d]) };
}

/** A random Gaussian in parametrisation P (built in moments, converted exactly as the library does). */
export function randomIn<K extends string>(P: Parametrisation<K>, d: number, next: () => number, cond = 10, batch: number[] = []): { [k in K]: Tensor } {
  const base: AnyParametrisation = P.family === 'full' ? meanCovariance : diagonal;
  const m = P.family === 'full' ? randomMoments(d, next, cond, batch) : randomDiagonal(d, next, cond, batch);
  return asTensors(convert(m as Gaussian<string>, base, P));
}

/** A random direction with q's keys and shapes (unprojected). */
export function randomLike<K extends string>(q: Gaussian<K>, next: () => number, scale = 1): Gaussian<K> {
  const out = {} as Record<K, Value>;
  for (const k of Object.keys(q) as K[]) out[k] = randn([...q[k].shape], next, scale);
  return out;
}

/** Narrows a tree of values to tensors (everything here is concrete). */
export function asTensors<K extends string>(q: Gaussian<K>): { [k in K]: Tensor } {
  return q as { [k in K]: Tensor };
}

export function maxAbs(t: Value): number {
  let m = 0;
  for (const v of (t as Tensor).data) m = Math.max(m, Math.abs(v));
  return m;
}

/** Largest |a − b| relative to max|b| (with a floor so zero references compare absolutely). */
export function relErr(a: Value, b: Value, floor = 1e-300): number {
  const x = a as Tensor, y = b as Tensor;
  expect(x.shape).toEqual(y.shape);
  let e = 0;
  for (let i = 0; i < x.size; i++) e = Math.max(e, Math.abs(x.data[i] - y.data[i]));
  return e / Math.max(maxAbs(y), floor);
}

/** Expects every coordinate of `a` to match `b` to `tol` relative to that coordinate's largest entry. */
export function expectGaussianClose(a: Record<string, Value>, b: Record<string, Value>, tol: number, what = ''): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(b)) {
    const e = relErr(a[k], b[k]);
    if (!(e <= tol)) throw new Error(`${what} ${k}: relative error ${e} > ${tol}\n got ${a[k].toString()}\n expected ${b[k].toString()}`);
  }
}

/** Expects a tensor to equal nested reference numbers within an absolute tolerance. */
export function expectValues(t: Value, ref: number | number[] | number[][], tol: number, what = ''): void {
  const x = t as Tensor;
  const flat = [ref].flat(2) as number[];
  expect(x.size, `${what}: size`).toBe(flat.length);
  for (let i = 0; i < flat.length; i++) {
    if (!(Math.abs(x.data[i] - flat[i]) <= tol)) {
      throw new Error(`${what}: element ${i} is ${x.data[i]}, expected ${flat[i]} (tolerance ${tol})`);
    }
  }
}
