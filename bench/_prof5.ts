import { Tensor, ops, cholesky } from '@natgrad/core';
import { meanCholesky, naturalGradient } from '@natgrad/distributions';
import { lcgSpd, lcgUniform } from './harness.js';
const d = Number(process.argv[2] ?? 4);
const sigma = new Tensor(lcgSpd(d, d), [d, d]);
const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
const opts = process.argv[3] === 'ad' ? { method: 'ad' as const } : process.argv[3] === 'v' ? undefined : { validate: false };
const t0 = performance.now(); let k = 0;
while (performance.now() - t0 < 6000) { naturalGradient(meanCholesky, q, g, opts); k++; }
console.log(k, (6000 / k * 1000).toFixed(2), 'us per call');
