import { Tensor, cholesky, dense } from '@natgrad/core';
import { choleskyStepBlocked } from '../packages/distributions/src/fused/cholesky-step-blocked.js';
import { lcgSpd } from './harness.js';
import { interleave, local, pairedRatio } from './interleave.js';
for (const d of [256, 512]) {
  const L = cholesky(new Tensor(lcgSpd(d, d), [d, d])) as Tensor;
  const G = new Tensor(lcgSpd(d, d + 3), [d, d]);
  const y = new Float64Array(d * d), c = new Float64Array(d * d);
  const s: Record<string, any> = {
    gemm: local(() => dense.gemm(false, false, d, d, d, 1, L.data, 0, d, G.data, 0, d, 0, c, 0, d)),
    gemmTA: local(() => dense.gemm(true, false, d, d, d, 1, L.data, 0, d, G.data, 0, d, 0, c, 0, d)),
  };
  for (const b of [32, 64, 96, 128, 192]) s['b' + b] = local(() => choleskyStepBlocked(false, d, L.data, 0, G.data, 0, y, 0, b));
  const r = await interleave(s, { rounds: 5, batchMs: 60 });
  console.log(d, Object.entries(r).map(([k, v]) => `${k} ${(v.median).toFixed(2)}ms (${pairedRatio(v, r.gemm).toFixed(2)} gemm)`).join('  '));
}
