/** The conjugate Gaussian models of MATH.md, with their ELBO written with core ops (differentiable by `grad`). */
import { Tensor, type Value, ops } from '@natgrad/core';

/** Prior N(0, K), observations y = f + noise with noise variance σ² (a number or a differentiable value). */
export interface ConjugateModel {
  readonly K: Tensor;
  readonly y: Tensor;
}

/** The 2-D model: K = [[1, 0.5], [0.5, 1]], y = [1, −0.5], σ² = 0.5. */
export const model2d: ConjugateModel = { K: Tensor.from([[1, 0.5], [0.5, 1]]), y: Tensor.from([1, -0.5]) };
export const noise2d = 0.5;
/** The starting q of MATH.md: μ = [0.2, −0.1], L = [[0.8, 0], [0.3, 0.6]]. */
export const q2d = () => ({ mu: Tensor.from([0.2, -0.1]), L: Tensor.from([[0.8, 0], [0.3, 0.6]]) });

/** The 1-D model: prior N(0, 1), y = 1, σ² = 1 (posterior N(0.5, 0.5), precision 2). */
export const model1d: ConjugateModel = { K: Tensor.from([[1]]), y: Tensor.from([1]) };

/**
 * ELBO(q) = E_q[log N(y | f, σ²I)] + E_q[log N(f | 0, K)] + H[q] for q = N(μ, LLᵀ):
 * −n/2·log(2πσ²) − (‖y − μ‖² + tr Σ)/(2σ²) − D/2·log 2π − ½log|K| − ½(μᵀK⁻¹μ + tr(K⁻¹Σ)) + D/2·log(2πe) + Σ log|Lᵢᵢ|.
 */
export function elbo(q: { mu: Value; L: Value }, m: ConjugateModel, noise: number | Value): Value {
  const D = m.y.size;
  const Kinv = ops.inv(m.K) as Tensor;
  const logdetK = (ops.logdet(m.K) as Tensor).item();
  const Sigma = ops.matmul(q.L, ops.matrixTranspose(q.L));
  const r = ops.sub(m.y, q.mu);
  const ell = ops.sub(
    ops.mul(-D / 2, ops.log(ops.mul(2 * Math.PI, noise))),
    ops.div(ops.add(ops.sum(ops.square(r)), ops.trace(Sigma)), ops.mul(2, noise)),
  );
  const quad = ops.sum(ops.mul(q.mu, ops.matmul(Kinv, q.mu)));
  const prior = ops.sub(-(D / 2) * Math.log(2 * Math.PI) - 0.5 * logdetK, ops.mul(0.5, ops.add(quad, ops.trace(ops.matmul(Kinv, Sigma)))));
  const entropy = ops.add((D / 2) * Math.log(2 * Math.PI * Math.E), ops.sum(ops.log(ops.abs(ops.diagonal(q.L)))));
  return ops.add(ops.add(ell, prior), entropy);
}

/** log Z = log N(y | 0, K + σ²I). */
export function logZ(m: ConjugateModel, noise: number): number {
  const D = m.y.size;
  const C = ops.add(m.K, ops.mul(noise, Tensor.eye(D))) as Tensor;
  const a = ops.solve(C, m.y) as Tensor;
  let quad = 0;
  for (let i = 0; i < D; i++) quad += m.y.data[i] * a.data[i];
  return -0.5 * quad - 0.5 * (ops.logdet(C) as Tensor).item() - (D / 2) * Math.log(2 * Math.PI);
}
