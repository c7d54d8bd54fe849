/** Baseline 1: predict every flight's delay by the training mean, with the training variance. */
import type { Table } from '../data/dataset.js';
import type { Predictions } from '../metrics.js';

/** N(ȳ, s²) with the training delays' mean and (population) variance, for each of `n` held-out rows. */
export function predictTrainingMean(train: Table, n: number): Predictions {
  let mean = 0;
  for (let i = 0; i < train.n; i++) mean += train.y[i];
  mean /= train.n;
  let variance = 0;
  for (let i = 0; i < train.n; i++) variance += (train.y[i] - mean) ** 2;
  variance /= train.n;
  return { mean: new Float64Array(n).fill(mean), variance: new Float64Array(n).fill(variance) };
}
