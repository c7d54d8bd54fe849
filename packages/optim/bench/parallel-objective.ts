/** The shard objective of parallel.bench.ts: logistic regression, Σ softplus(f) − y·f with f = Xw + b. */
import { type Value, ops } from '@natgrad/core';
import type { Batch } from '@natgrad/optim/parallel';

export default function logistic(p: { w: Value; b: Value }, shard: Batch): Value {
  const f = ops.add(ops.matmul(shard.x, p.w), p.b);
  return ops.sum(ops.sub(ops.softplus(f), ops.mul(shard.y, f)));
}
