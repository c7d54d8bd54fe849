import { Tensor, ops, cholesky } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';
import { opsClosedForm, opsClosedFormFromEuclidean } from '../packages/distributions/test/util/mean-cholesky-reference.js';
import { lcgSpd, lcgUniform } from './harness.js';
const rel = (a: any, b: any) => { let e = 0, m = 0; for (let i = 0; i < b.data.length; i++) { e = Math.max(e, Math.abs(a.data[i] - b.data[i])); m = Math.max(m, Math.abs(b.data[i])); } return e / m; };
for (const d of [1, 2, 4, 16, 47, 48, 63, 64, 65, 100, 128, 129, 200]) {
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
  const G = new Tensor(lcgUniform(d * d, d + 3), [d, d]);
  const g = { eta1: new Tensor(lcgUniform(d, d + 2), [d]), eta2: G };
  const gs = { eta1: g.eta1, eta2: ops.mul(ops.add(G, ops.matrixTranspose(G)), 0.5) };
  const a = meanCholesky.unchecked.closedFormNaturalGradient!(q, g) as any, b = opsClosedForm(q, gs) as any;
  const ge = { mu: g.eta1, L: G };
  const c = meanCholesky.unchecked.closedFormNaturalGradientFromEuclidean!(q, ge) as any, e = opsClosedFormFromEuclidean(q, { mu: g.eta1, L: ops.tril(G) }) as any;
  console.log(d, rel(a.mu, b.mu).toExponential(2), rel(a.L, b.L).toExponential(2), rel(c.mu, e.mu).toExponential(2), rel(c.L, e.L).toExponential(2));
}
{
  const d = 5;
  const sigma = new Tensor(lcgSpd(d, d), [d, d]);
  const q = { mu: new Tensor(lcgUniform(d, d + 1), [d]), L: cholesky(sigma) as Tensor };
  const G = new Tensor(lcgUniform(d * d, d + 3), [d, d]);
  const a = meanCholesky.unchecked.closedFormNaturalGradient!(q, { eta1: q.mu, eta2: G }) as any;
  console.log(a.L.toString(), opsClosedForm(q, { eta1: q.mu, eta2: ops.mul(ops.add(G, ops.matrixTranspose(G)), 0.5) }).L.toString());
}
