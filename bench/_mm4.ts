import { Tensor, ops, dense } from '@natgrad/core';
import { matmulPrim } from '../packages/core/src/primitives/matmul.js';
import { lcgUniform } from './harness.js';
import { interleave, local } from './interleave.js';
const a = new Tensor(lcgUniform(16, 1), [4, 4]), b = new Tensor(lcgUniform(16, 2), [4, 4]);
const c = new Float64Array(16);
const P = { transA: false, transB: false };
const r = await interleave({
  op: local(() => ops.matmul(a, b)),
  impl: local(() => matmulPrim.impl([a, b], P)),
  gemm: local(() => dense.gemm(false, false, 4, 4, 4, 1, a.data, 0, 4, b.data, 0, 4, 0, c, 0, 4)),
  alloc16: local(() => new Float64Array(16)),
  add: local(() => ops.add(a, b)),
}, { rounds: 9, batchMs: 30 });
for (const [k, v] of Object.entries(r)) console.log(k, (v.median * 1e6).toFixed(0), 'ns');
