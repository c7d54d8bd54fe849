/** k-means (Lloyd's algorithm) on row-major Float64Array data, to place the inducing inputs. */
import { InvalidArgumentError, random } from '@natgrad/core';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Seed of the subsample and of the initial centres. */
  readonly seed: number;
  /** Lloyd iterations (default 10). */
  readonly iterations?: number;
  /** Run on at most this many rows, drawn at random (default 20 000): the centres of 3 million flights do not need them all. */
  readonly sample?: number;
}

/**
 * k centres of the n×d row-major `x`, as a k×d row-major array. Started from k distinct rows of a seeded random
 * subsample; an empty cluster keeps its centre.
 * @throws {InvalidArgumentError} if k is not an integer in [1, min(n, sample)]
 */
export function kMeans(x: Float64Array, n: number, d: number, k: number, options: KMeansOptions): Float64Array {
  const { seed, iterations = 10, sample = 20_000 } = options;
  const rows = random.permutation(random.key(seed), n).slice(0, Math.min(n, sample));
  const m = rows.length;
  if (!Number.isInteger(k) || k < 1 || k > m) throw new InvalidArgumentError(`kMeans: k must be an integer in [1, ${m}], got ${k}`);
  const data = new Float64Array(m * d);
  rows.forEach((r, i) => data.set(x.subarray(r * d, (r + 1) * d), i * d));
  const centres = data.slice(0, k * d);
  const sums = new Float64Array(k * d);
  const counts = new Uint32Array(k);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const e = data[i * d + j] - centres[c * d + j];
          dist += e * e;
        }
        if (dist < bestD) [best, bestD] = [c, dist];
      }
      counts[best]++;
      for (let j = 0; j < d; j++) sums[best * d + j] += data[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j] / counts[c];
  }
  return centres;
}
