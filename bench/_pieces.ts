import { Tensor, ops, cholesky } from '@natgrad/core';
import { meanCholesky, naturalGradient } from '@natgrad/distributions';
import { validateGaussian, checkDirection, pairCoordinates } from '../packages/distributions/src/checks.js';
import { pushForward } from '../packages/distributions/src/natural-gradient.js';
import { gradientResult } from '../packages/distributions/src/checked-maps.js';
import { naturalGradientByHand } from '../packages/distributions/bench/floor.js';
import { lcgSpd, lcgUniform } from './harness.js';
import { interleave, local } from './interleave.js';
const d = 4;
const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(new Tensor(lcgSpd(d, d), [d, d])) as Tensor };
const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
const c = validateGaussian(meanCholesky, q, 'x', true);
const out = pushForward(meanCholesky, q, g, 'auto', 'x');
const eta = pairCoordinates('full', ['eta1', 'eta2']);
const r = await interleave({
  whole: local(() => naturalGradient(meanCholesky, q, g)),
  novalidate: local(() => naturalGradient(meanCholesky, q, g, { validate: false })),
  validateQ: local(() => validateGaussian(meanCholesky, q, 'x', true)),
  direction: local(() => checkDirection('x', 'dLdEta', g, eta, c, true)),
  push: local(() => pushForward(meanCholesky, q, g, 'auto', 'x')),
  raw: local(() => meanCholesky.unchecked.closedFormNaturalGradient!(q, g)),
  result: local(() => gradientResult('x', 'the natural gradient', out, meanCholesky.coordinates, c)),
  floor: local(() => naturalGradientByHand(q.mu.data, q.L.data, g.eta1.data, g.eta2.data, d)),
}, { rounds: 9, batchMs: 30 });
for (const [k, v] of Object.entries(r)) console.log(k.padEnd(12), (v.median * 1e3).toFixed(2), 'us');
