import { Tensor, ops, cholesky } from '@natgrad/core';
import { meanCholesky, naturalGradient } from '@natgrad/distributions';
import { naturalGradientByHand } from '../packages/distributions/bench/floor.js';
import { lcgSpd, lcgUniform } from './harness.js';
import { interleave, local } from './interleave.js';
function problem(d: number) {
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
  const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
  return { q, g };
}
const ps = [4, 16, 64].map(problem);
const warm = performance.now();
while (performance.now() - warm < 1500) for (const p of ps.slice(0, 2)) { naturalGradient(meanCholesky, p.q, p.g, { method: 'ad' }); naturalGradient(meanCholesky, p.q, p.g); }
const p = ps[0];
if (process.argv[2] === 'prof') {
  const t0 = performance.now(); let k = 0;
  while (performance.now() - t0 < 5000) { naturalGradient(meanCholesky, p.q, p.g); k++; }
  console.log((5000 / k * 1000).toFixed(2), 'us');
} else {
  const r = await interleave({ closed: local(() => naturalGradient(meanCholesky, p.q, p.g)), floor: local(() => naturalGradientByHand(p.q.mu.data, p.q.L.data, p.g.eta1.data, p.g.eta2.data, 4)) }, { rounds: 9, batchMs: 25 });
  for (const [k, v] of Object.entries(r)) console.log(k, (v.median * 1e3).toFixed(2), 'us');
}
