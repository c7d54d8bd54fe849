import { Tensor, cholesky, setBackend } from '@natgrad/core';
if (process.env.BACKEND) setBackend(process.env.BACKEND as 'js');
import { choleskyStepLoops } from '../packages/distributions/src/fused/cholesky-step-loops.js';
import { choleskyStepBlocked } from '../packages/distributions/src/fused/cholesky-step-blocked.js';
import { lcgSpd } from './harness.js';
import { interleave, local, pairedRatio } from './interleave.js';
const dims = process.argv.slice(2).map(Number);
for (const d of dims) {
  const L = cholesky(new Tensor(lcgSpd(d, d), [d, d])) as Tensor;
  const G = new Tensor(lcgSpd(d, d + 3), [d, d]);
  const y = new Float64Array(d * d);
  const s: Record<string, any> = { loops: local(() => choleskyStepLoops(false, d, L.data, 0, G.data, 0, y, 0)) };
  for (const b of [16, 24, 32, 48, 64, 128]) if (b / 2 < d) s['b' + b] = local(() => choleskyStepBlocked(false, d, L.data, 0, G.data, 0, y, 0, b));
  const r = await interleave(s, { rounds: 9, batchMs: 30 });
  console.log(d, Object.entries(r).map(([k, v]) => `${k} ${(v.median * 1e3).toFixed(1)}us (${pairedRatio(v, r.loops).toFixed(2)})`).join('  '));
}
