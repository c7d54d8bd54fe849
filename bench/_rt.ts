import { Tensor, cholesky, primalValue, ArrayValue } from '@natgrad/core';
import { readTree } from '../packages/distributions/src/structure.js';
import { meanCholesky } from '@natgrad/distributions';
import { lcgSpd, lcgUniform } from './harness.js';
import { interleave, local } from './interleave.js';
const d = 4;
const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(new Tensor(lcgSpd(d, d), [d, d])) as Tensor };
const coords = meanCholesky.coordinates as any;
const plain = { mu: 'vector', L: 'cholesky' } as any;
const nullp = Object.assign(Object.create(null), plain);
const r = await interleave({
  readTree: local(() => readTree('x', q, coords, 'q')),
  readTreePlain: local(() => readTree('x', q, plain, 'q')),
  keysNull: local(() => Object.keys(nullp)),
  keysCoords: local(() => Object.keys(coords)),
  names: local(() => Object.getOwnPropertyNames(q).length + Object.getOwnPropertySymbols(q).length),
  desc: local(() => Object.getOwnPropertyDescriptor(q, 'L')),
  prim: local(() => primalValue(q.L)),
  inst: local(() => q.L instanceof ArrayValue),
  nullrec: local(() => { const o: any = Object.create(null); o.mu = 1; o.L = 2; return o; }),
}, { rounds: 7, batchMs: 30 });
for (const [k, v] of Object.entries(r)) console.log(k, (v.median * 1e6).toFixed(0), 'ns');
console.log(Object.getPrototypeOf(coords), Object.isFrozen(coords));
