/** Reproducible logistic-regression data and comparison helpers for the parallel tests. */
import { Tensor, random, treeLeaves } from '@natgrad/core';
import { expect } from 'vitest';
import type { LogisticParams } from '../fixtures/shard-objectives.js';

/** x [n, d] standard normal, y ∈ {0, 1} from a logistic model with weights (1, −1, 0.5, …). */
export function logisticData(n: number, d: number, seed: number): { x: Tensor; y: Tensor } {
  const [kx, ky] = random.split(random.key(seed));
  const x = random.normal(kx, [n, d]);
  const u = random.uniform(ky, [n]).data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0.25;
    for (let j = 0; j < d; j++) f += x.data[i * d + j] * (j % 2 === 0 ? 1 : -1) / (1 + j);
    y[i] = u[i] < 1 / (1 + Math.exp(-f)) ? 1 : 0;
  }
  return { x, y: new Tensor(y, [n]) };
}

/** Parameters away from the optimum, so that the gradient is not small. */
export function logisticParams(d: number, seed = 1): LogisticParams {
  return { w: random.normal(random.key(seed), [d]), b: Tensor.from([0.3]) };
}

/** ‖a − b‖∞ / ‖b‖∞ over all leaves of two trees of tensors (0 when both are 0). */
export function relativeError(a: unknown, b: unknown): number {
  const la = treeLeaves<Tensor>(a);
  const lb = treeLeaves<Tensor>(b);
  expect(la.length).toBe(lb.length);
  let diff = 0;
  let scale = 0;
  la.forEach((t, i) => {
    expect(t.shape).toEqual(lb[i].shape);
    for (let j = 0; j < t.size; j++) {
      diff = Math.max(diff, Math.abs(t.data[j] - lb[i].data[j]));
      scale = Math.max(scale, Math.abs(lb[i].data[j]));
    }
  });
  return scale === 0 ? diff : diff / scale;
}

/** Bitwise equality of two trees of tensors. */
export function expectSameBits(a: unknown, b: unknown): void {
  const la = treeLeaves<Tensor>(a);
  const lb = treeLeaves<Tensor>(b);
  expect(la.map((t) => [t.shape, Array.from(t.data)])).toEqual(lb.map((t) => [t.shape, Array.from(t.data)]));
}
