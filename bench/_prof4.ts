import { Tensor, ops, cholesky } from '@natgrad/core';
import { meanCholesky, naturalGradient } from '@natgrad/distributions';
import { lcgSpd, lcgUniform, time } from './harness.js';
function problem(d: number) {
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
  const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: ops.mul(new Tensor(lcgSpd(d, d + 3), [d, d]), 0.1) as Tensor };
  return { q, g };
}
function floor(mu: Float64Array, L: Float64Array, g1: Float64Array, G: Float64Array, d: number) {
  const v = new Float64Array(d), w = new Float64Array(d), dmu = new Float64Array(d);
  for (let i = 0; i < d; i++) { let s = g1[i]; for (let j = 0; j < d; j++) s += (G[i*d+j] + G[j*d+i]) * mu[j]; v[i] = s; }
  for (let i = 0; i < d; i++) { let s = 0; for (let k = i; k < d; k++) s += L[k*d+i] * v[k]; w[i] = s; }
  for (let i = 0; i < d; i++) { let s = 0; for (let k = 0; k <= i; k++) s += L[i*d+k] * w[k]; dmu[i] = s; }
  const A = new Float64Array(d*d), X = new Float64Array(d*d), Y = new Float64Array(d*d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { let s = 0; for (let k = j; k < d; k++) s += (G[i*d+k] + G[k*d+i]) * L[k*d+j]; A[i*d+j] = s; }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) { let s = 0; for (let k = i; k < d; k++) s += L[k*d+i] * A[k*d+j]; X[i*d+j] = i === j ? 0.5 * s : s; }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) { let s = 0; for (let k = j; k <= i; k++) s += L[i*d+k] * X[k*d+j]; Y[i*d+j] = s; }
  return [dmu, Y];
}
for (const d of [4, 16]) {
  const { q, g } = problem(d);
  const warm = performance.now(); while (performance.now() - warm < 500) { naturalGradient(meanCholesky, q, g, { method: 'closed-form' }); floor(q.mu.data, q.L.data, g.eta1.data, g.eta2.data, d); }
  const [fm, fy] = floor(q.mu.data, q.L.data, g.eta1.data, g.eta2.data, d);
  const r = naturalGradient(meanCholesky, q, g, { method: 'closed-form' }) as any;
  let e = 0; for (let i = 0; i < d*d; i++) e = Math.max(e, Math.abs(r.L.data[i] - fy[i])); for (let i = 0; i < d; i++) e = Math.max(e, Math.abs(r.mu.data[i]-fm[i]));
  const rows: [string, () => unknown][] = [
    ['floor', () => floor(q.mu.data, q.L.data, g.eta1.data, g.eta2.data, d)],
    ['closed', () => naturalGradient(meanCholesky, q, g, { method: 'closed-form' })],
    ['closed novalidate', () => naturalGradient(meanCholesky, q, g, { method: 'closed-form', validate: false })],
    ['raw closed', () => meanCholesky.unchecked.closedFormNaturalGradient!(q, g)],
    ['ad', () => naturalGradient(meanCholesky, q, g, { method: 'ad' })],
    ['check q', () => meanCholesky.validate(q)],
  ];
  for (const [n, f] of rows) console.log(d, n, (time(f) * 1e3).toFixed(2), 'us');
  console.log('err', e);
}
