/**
 * The 2-D problem of the live demo: a Bayesian logistic regression of penguin sex on bill depth and body mass (both
 * standardised; the sexes are balanced, so no intercept), prior w ~ N(0, I). Two coefficients, so q and the exact
 * posterior can be drawn in the plane.
 */
import penguins from '@data/penguins.json';
import { Tensor, type Value, grad, ops } from '@natgrad/core';
import { bernoulliLogLikelihood, expectedLogLikelihood, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Descent, setup, update } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { columns, completeRows, fitStandardiser, matrix, vector } from '@natgrad-examples/shared/data';

const FEATURES = ['Beak Depth (mm)', 'Body Mass (g)'];

const birds = completeRows(penguins, FEATURES, { Sex: ['MALE', 'FEMALE'] });
const raw = columns(birds, FEATURES);
export const X = matrix(fitStandardiser(raw).apply(raw));
export const y = vector(birds.map((b) => (b.Sex === 'MALE' ? 1 : 0)));
export const nBirds = birds.length;

const prior = { mu: Tensor.zeros([2]), Sigma: Tensor.eye(2) };
/** log p(y | f) = log σ((2y − 1)f). */

export type Q = { mu: Tensor; L: Tensor };

/** ELBO(q) = Σₙ E_q[log σ(±xₙᵀw)] − KL(q ‖ prior), each expectation by 20-point Gauss–Hermite. */
export const elbo = (q: { mu: Value; L: Value }): Value =>
  ops.sub(expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q), kl(meanCholesky, q, meanCovariance, prior));

/** Log joint density log p(y, w) at points W [n, 2]: for the contours of the exact posterior. */
export function logJoint(W: Tensor): Float64Array {
  const f = ops.matmul(W, ops.matrixTranspose(X)); // [n, N]
  const logLik = ops.sum(bernoulliLogLikelihood(y, f), -1);
  return (ops.sub(logLik, ops.mul(0.5, ops.sum(ops.square(W), -1))) as Tensor).data;
}

/** The optimum ELBO and q, by natural-gradient steps of size 1 until the ELBO stops changing (a few ms). */
export function solve(): { elbo: number; q: Q } {
  let q: Q = { mu: Tensor.zeros([2]), L: Tensor.eye(2) };
  let opt = setup(NaturalGradient(Descent(1)), q);
  let previous = -Infinity;
  const negElbo = grad((qq: Q) => ops.neg(elbo(qq)));
  for (let i = 0; i < 100; i++) {
    [opt, q] = update(opt, q, negElbo(q)) as [typeof opt, Q];
    const e = elbo(q).item();
    if (Math.abs(e - previous) < 1e-12) break;
    previous = e;
  }
  return { elbo: elbo(q).item(), q };
}
