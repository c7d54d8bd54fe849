/**
 * The conjugate models of MATH.md with their ELBO written with core ops only (expected log-likelihood in closed form
 * minus the KL to the prior), so it is differentiable and independent of the package's own density code.
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import type { FullMoments, Gaussian, Parametrisation } from '@natgrad/distributions';

export interface ConjugateModel {
  /** Prior covariance K (prior mean 0). */
  K: Tensor;
  /** Observation noise variance. */
  noise: number;
  /** Observations y = f + ε (X = I). */
  y: Tensor;
}

/** MATH.md 2-D model: K = [[1, 0.5], [0.5, 1]], noise 0.5, y = [1, −0.5]. */
export const model2d: ConjugateModel = {
  K: Tensor.from([[1, 0.5], [0.5, 1]]),
  noise: 0.5,
  y: Tensor.from([1, -0.5]),
};

/** MATH.md 1-D model: prior N(0, 1), y = 1, noise 1. */
export const model1d: ConjugateModel = { K: Tensor.from([[1]]), noise: 1, y: Tensor.from([1]) };

/** MATH.md 2-D q: μ = [0.2, −0.1], L = [[0.8, 0], [0.3, 0.6]]. */
export const q2d = { mu: Tensor.from([0.2, -0.1]), L: Tensor.from([[0.8, 0], [0.3, 0.6]]) };

/** ELBO(μ, Σ) = E_q[log N(y | f, σ²I)] − KL(N(μ, Σ) ‖ N(0, K)), closed form, written with core ops. */
export function elboFromMoments(model: ConjugateModel, m: FullMoments): Value {
  const d = model.y.shape[0];
  const s2 = model.noise;
  const kInv = ops.inv(model.K);
  const r = ops.sub(model.y, m.mu);
  const ell = ops.sub(-0.5 * d * Math.log(2 * Math.PI * s2), ops.div(ops.add(ops.sum(ops.square(r)), ops.trace(m.Sigma)), 2 * s2));
  const klTerm = ops.mul(
    ops.add(
      ops.add(ops.trace(ops.matmul(kInv, m.Sigma)), ops.dot(m.mu, ops.matmul(kInv, m.mu))),
      ops.sub(ops.logdet(model.K).item() - d, ops.logdet(m.Sigma)),
    ),
    0.5,
  );
  return ops.sub(ell, klTerm);
}

/** The ELBO as a function of q in any full-family parametrisation. */
export function elboIn<K extends string>(P: Parametrisation<K>, model: ConjugateModel = model2d): (q: Gaussian<K>) => Value {
  return (q) => elboFromMoments(model, P.toMoments(q) as FullMoments);
}

/** Loss ℒ = −ELBO in P. */
export function lossIn<K extends string>(P: Parametrisation<K>, model: ConjugateModel = model2d): (q: Gaussian<K>) => Value {
  const e = elboIn(P, model);
  return (q) => ops.neg(e(q));
}

/** log p(y, f) of the model for points f [n, D] → [n] (the exact log-joint, a target for Monte-Carlo ELBOs). */
export function logJoint(model: ConjugateModel = model2d): (f: Value) => Value {
  const d = model.y.shape[0];
  const kInv = ops.inv(model.K);
  const logDetK = ops.logdet(model.K).item();
  const c = -0.5 * d * Math.log(2 * Math.PI * model.noise) - 0.5 * (d * Math.log(2 * Math.PI) + logDetK);
  return (f) => {
    const lik = ops.div(ops.sum(ops.square(ops.sub(model.y, f)), -1), -2 * model.noise);
    const prior = ops.mul(ops.sum(ops.mul(ops.matmul(f, kInv), f), -1), -0.5);
    return ops.add(ops.add(lik, prior), c);
  };
}

/** Reference values of MATH.md (2-D model). */
export const ref2d = {
  elbo: -3.238191358,
  gradMu: [-1.2666666667, 0.5333333333],
  gradSigma: [[0.6901041667, 0.1875], [0.1875, 0.2777777778]],
  gradEta1: [-1.5052083333, 0.5138888889],
  natgradMu: [-0.6826666667, -0.064],
  natgradL: [[0.4453333333, 0], [0.335, 0.06]],
  natgradSigma: [[0.7125333333, 0.4016], [0.4016, 0.273]],
  posteriorMu: [0.5625, -0.1875],
  posteriorSigma: [[0.3125, 0.0625], [0.0625, 0.3125]],
  logZ: -2.7782006567,
  elboAfterCholeskyStep: -3.1301279238,
};
