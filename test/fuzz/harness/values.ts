/**
 * Deterministic valid values: tensors with entries in a range, SPD matrices, Cholesky factors, and a way to put one
 * non-finite number into a copy. No randomness at run time, so a case builds the same arguments every time.
 * @module
 */
import { Tensor } from '@natgrad/core';

/** `n` numbers in [lo, hi], rounded to 1e-3, from a fixed linear congruential sequence. */
export function numbers(n: number, lo: number, hi: number, seed = 1): number[] {
  let s = (seed * 2654435761) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.round((lo + ((hi - lo) * s) / 4294967296) * 1000) / 1000);
  }
  return out;
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A tensor of `shape` with entries in [lo, hi]. */
export function tensor(shape: readonly number[], lo = -1, hi = 1, seed = 1): Tensor {
  return Tensor.from(numbers(count(shape), lo, hi, seed), shape);
}

/** A tensor of `shape` whose entries are drawn from `values` (e.g. labels 0 and 1). */
export function choice(shape: readonly number[], values: readonly number[], seed = 1): Tensor {
  return Tensor.from(numbers(count(shape), 0, 1, seed).map((u) => values[Math.min(values.length - 1, Math.floor(u * values.length))]), shape);
}

/** An SPD matrix B Bᵀ + n·I (or a batch of them, `[...batch, n, n]`), well conditioned. */
export function spd(n: number, batch: readonly number[] = [], seed = 3): Tensor {
  const nb = count(batch);
  const out: number[] = [];
  for (let b = 0; b < nb; b++) {
    const m = numbers(n * n, -1, 1, seed + b);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
        out.push(s);
      }
    }
  }
  return Tensor.from(out, [...batch, n, n]);
}

/** A lower-triangular matrix with a positive diagonal in [1, 2] and entries in [−0.5, 0.5] below it. */
export function lowerFactor(n: number, batch: readonly number[] = [], seed = 5): Tensor {
  const nb = count(batch);
  const out: number[] = [];
  for (let b = 0; b < nb; b++) {
    const m = numbers(n * n, -0.5, 0.5, seed + b);
    const d = numbers(n, 1, 2, seed + 100 + b);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(j > i ? 0 : j === i ? d[i] : m[i * n + j]);
  }
  return Tensor.from(out, [...batch, n, n]);
}

/** A well-conditioned non-symmetric invertible matrix (diagonally dominant). */
export function invertible(n: number, batch: readonly number[] = [], seed = 7): Tensor {
  const t = tensor([...batch, n, n], -1, 1, seed);
  const d = t.data.slice();
  for (let b = 0; b < count(batch); b++) for (let i = 0; i < n; i++) d[b * n * n + i * n + i] += n + 1;
  return new Tensor(d, t.shape);
}

/** A copy of `t` with element `index` (flat) set to `value`. */
export function withValue(t: Tensor, index: number, value: number): Tensor {
  const d = t.data.slice();
  d[index % Math.max(1, d.length)] = value;
  return new Tensor(d, t.shape);
}

/** Nested arrays holding the same numbers as `t` (the other accepted form of an array argument). */
export function nested(t: Tensor): unknown {
  return t.toArray();
}

/** A short, JSON-like rendering of a generated value for labels (NaN and ±Infinity spelled out, long ones cut). */
export function show(x: unknown): string {
  const s = JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return `§${String(v)}§`;
    if (typeof v === 'bigint') return `§${v}n§`;
    if (v instanceof Tensor) return `§Tensor[${v.shape.join(',')}]§`;
    return v;
  });
  const out = (s ?? String(x)).replace(/"§|§"/g, '');
  return out.length > 60 ? `${out.slice(0, 57)}...` : out;
}
