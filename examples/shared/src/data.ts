/**
 * Preparing tabular data for the examples: choosing columns, dropping incomplete rows, standardising with
 * training-set statistics, seeded train/test splits. Browser-safe (no Node APIs): the web example uses it too.
 */
import { Tensor, random } from '@natgrad/core';

/** One row of a data set, as in vega-datasets' JSON files. */
export type Row = Readonly<Record<string, unknown>>;

/** Rows where every listed column holds a finite number (or, for `categorical` columns, a listed value). */
export function completeRows<R extends Row>(
  rows: readonly R[],
  numeric: readonly string[],
  categorical: Readonly<Record<string, readonly unknown[]>> = {},
): R[] {
  return rows.filter(
    (r) =>
      numeric.every((c) => typeof r[c] === 'number' && Number.isFinite(r[c])) &&
      Object.entries(categorical).every(([c, allowed]) => allowed.includes(r[c])),
  );
}

/** The listed numeric columns of `rows`, one array per row. */
export function columns(rows: readonly Row[], names: readonly string[]): number[][] {
  return rows.map((r) => names.map((c) => r[c] as number));
}

/** Column means and standard deviations (population, divisor n) of a matrix given as rows. */
export interface Standardiser {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** (x − mean) / std, column by column. */
  apply(rows: readonly (readonly number[])[]): number[][];
  /** mean + std · z, column by column (back to the data's units). */
  invert(rows: readonly (readonly number[])[]): number[][];
}

/**
 * Learns column means and standard deviations from `rows` (the TRAINING rows: statistics of the test rows must not
 * leak into the model) and returns a standardiser to apply to any rows.
 */
export function fitStandardiser(rows: readonly (readonly number[])[]): Standardiser {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n) || 1);
  return {
    mean,
    std,
    apply: (xs) => xs.map((r) => r.map((v, j) => (v - mean[j]) / std[j])),
    invert: (zs) => zs.map((r) => r.map((v, j) => mean[j] + std[j] * v)),
  };
}

/** Prepends a column of ones (the intercept) to each row. */
export function withIntercept(rows: readonly (readonly number[])[]): number[][] {
  return rows.map((r) => [1, ...r]);
}

/** A split of row indices into a training and a test set. */
export interface Split {
  readonly train: number[];
  readonly test: number[];
}

/**
 * A seeded random split: a permutation of 0…n−1 drawn with core's `random.permutation` (Threefry: the same seed gives
 * the same split on every machine and in the browser); the first ⌈(1 − testFraction)·n⌉ indices train.
 */
export function trainTestSplit(n: number, testFraction: number, seed: number): Split {
  const order = random.permutation(random.key(seed), n);
  const nTrain = Math.ceil((1 - testFraction) * n);
  return { train: order.slice(0, nTrain), test: order.slice(nTrain) };
}

/** `items[i]` for each index. */
export function pick<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => items[i]);
}

/** A [rows, columns] tensor from rows of numbers. */
export function matrix(rows: readonly (readonly number[])[]): Tensor {
  return Tensor.from(rows.map((r) => [...r]));
}

/** A vector tensor. */
export function vector(values: readonly number[]): Tensor {
  return Tensor.from([...values]);
}
