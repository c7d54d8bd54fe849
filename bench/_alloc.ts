import { interleave, local } from './interleave.js';
const r = await interleave({
  a10k: local(() => new Float64Array(10000)),
  a20k: local(() => new Float64Array(20000)),
  two10k: local(() => [new Float64Array(10000), new Float64Array(10000)]),
  a1k: local(() => new Float64Array(1000)),
  ab: local(() => new Float64Array(new ArrayBuffer(80000))),
}, { rounds: 9, batchMs: 30 });
for (const [k, v] of Object.entries(r)) console.log(k, (v.median * 1e3).toFixed(2), 'us');
