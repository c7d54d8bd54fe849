/** Column statistics of row-major Float64Array matrices, and standardising with them (in place, one loop). */

/** Per-column mean and standard deviation (population, divisor n). */
export interface ColumnStats {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Means and standard deviations of the d columns of the n×d row-major `x` (two passes, so no cancellation). A
 * constant column gets std 1, so standardising it gives zeros rather than NaN.
 */
export function columnStats(x: Float64Array, n: number, d: number): ColumnStats {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = x[i * d + j] - mean[j];
      std[j] += e * e;
    }
  }
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / n) || 1;
  return { mean, std };
}

/** x ← (x − mean)/std column by column, in place (only on arrays you own). */
export function standardiseInPlace(x: Float64Array, n: number, stats: ColumnStats): void {
  const d = stats.mean.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (x[i * d + j] - stats.mean[j]) / stats.std[j];
}
