/**
 * Baseline 2: Bayesian linear regression on the same standardised features plus an intercept, y = φ(x)ᵀw + ε with
 * w ~ N(0, α⁻¹I) and ε ~ N(0, β⁻¹) (in standardised delay), both precisions fitted by maximising the evidence
 * (MacKay's fixed point, Bishop 2006 §3.5.2). With 9 weights and millions of rows everything needed is the
 * sufficient statistics ΦᵀΦ, Φᵀy, yᵀy and n, accumulated in one pass.
 */
import { type ArrayInput, Tensor, type Value, ops } from '@natgrad/core';
import type { Table } from '../data/dataset.js';
import { D } from '../data/features.js';
import type { Predictions } from '../metrics.js';

/** Number of weights: the intercept and one per feature. */
const P = D + 1;

/** ΦᵀΦ [P, P], Φᵀy [P], yᵀy and n of a design with an intercept column, y standardised. */
export interface SufficientStats {
  readonly gram: Tensor;
  readonly moment: Tensor;
  readonly yy: number;
  readonly n: number;
}

/** The fitted model, in standardised delay units. */
export interface LinearModel {
  /** Posterior mean of the weights (intercept first). */
  readonly mean: Tensor;
  /** Posterior covariance A⁻¹ = (αI + βΦᵀΦ)⁻¹. */
  readonly covariance: Tensor;
  /** Prior precision α and noise precision β at the evidence maximum. */
  readonly alpha: number;
  readonly beta: number;
  /** log p(y | α, β) there. */
  readonly logEvidence: number;
  /** Fixed-point iterations used. */
  readonly iterations: number;
  /** The delay's standardisation (training mean and std, minutes). */
  readonly target: { readonly mean: number; readonly std: number };
}

/** Accumulates the sufficient statistics of `table` (delays standardised with `target`). */
export function sufficientStats(table: Table, target: { mean: number; std: number }): SufficientStats {
  const gram = new Float64Array(P * P);
  const moment = new Float64Array(P);
  const phi = new Float64Array(P);
  let yy = 0;
  for (let i = 0; i < table.n; i++) {
    phi[0] = 1;
    for (let j = 0; j < D; j++) phi[j + 1] = table.x[i * D + j];
    const y = (table.y[i] - target.mean) / target.std;
    yy += y * y;
    for (let a = 0; a < P; a++) {
      moment[a] += phi[a] * y;
      for (let b = 0; b <= a; b++) gram[a * P + b] += phi[a] * phi[b];
    }
  }
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) gram[b * P + a] = gram[a * P + b];
  return { gram: new Tensor(gram, [P, P]), moment: new Tensor(moment, [P]), yy, n: table.n };
}

/** The posterior N(m, A⁻¹) given α, β, and the quantities the evidence needs. */
function posterior(s: SufficientStats, alpha: ArrayInput, beta: ArrayInput) {
  const A = ops.add(ops.mul(alpha, Tensor.eye(P)), ops.mul(beta, s.gram));
  const LA = ops.cholesky(A);
  const m = ops.mul(beta, ops.choleskySolve(LA, s.moment));
  // ‖y − Φm‖² = yᵀy − 2mᵀΦᵀy + mᵀΦᵀΦm
  const rss = ops.add(ops.sub(s.yy, ops.mul(2, ops.dot(m, s.moment))), ops.dot(m, ops.matmul(s.gram, m)));
  return { LA, m, rss };
}

/**
 * log p(y | α, β) = (P/2) log α + (n/2) log β − (β/2)‖y − Φm‖² − (α/2)‖m‖² − ½ log|A| − (n/2) log 2π, as a function
 * of (log α, log β) written with core's ops (the tests differentiate it).
 */
export function logEvidence(s: SufficientStats, logAlpha: Value, logBeta: Value): Value {
  const [alpha, beta] = [ops.exp(logAlpha), ops.exp(logBeta)];
  const { LA, m, rss } = posterior(s, alpha, beta);
  const logDetA = ops.mul(2, ops.sum(ops.log(ops.diagonal(LA))));
  const fit = ops.add(ops.mul(ops.mul(0.5, beta), rss), ops.mul(ops.mul(0.5, alpha), ops.dot(m, m)));
  const norm = ops.add(ops.mul(P / 2, logAlpha), ops.mul(s.n / 2, ops.sub(logBeta, Math.log(2 * Math.PI))));
  return ops.sub(ops.sub(norm, fit), ops.mul(0.5, logDetA));
}

/**
 * Fits α and β by MacKay's fixed point: with γ = P − α tr(A⁻¹) the number of well-determined weights,
 * α ← γ/‖m‖², β ← (n − γ)/‖y − Φm‖², until both change by less than 1e-12 relatively (at most 500 iterations).
 */
export function fitLinear(train: Table, target: { mean: number; std: number }): LinearModel {
  const s = sufficientStats(train, target);
  let [alpha, beta] = [1, 1];
  let iterations = 0;
  for (; iterations < 500; iterations++) {
    const { LA, m, rss } = posterior(s, alpha, beta);
    const gamma = P - alpha * ops.trace(ops.choleskyInverse(LA)).item();
    const next = [gamma / ops.dot(m, m).item(), (s.n - gamma) / rss.item()];
    const change = Math.max(Math.abs(next[0] / alpha - 1), Math.abs(next[1] / beta - 1));
    [alpha, beta] = next;
    if (change < 1e-12) break;
  }
  const { LA, m } = posterior(s, alpha, beta);
  return {
    mean: m as Tensor,
    covariance: ops.choleskyInverse(LA) as Tensor,
    alpha,
    beta,
    logEvidence: logEvidence(s, Tensor.scalar(Math.log(alpha)), Tensor.scalar(Math.log(beta))).item(),
    iterations: iterations + 1,
    target,
  };
}

/** Predictive N(φᵀm, 1/β + φᵀA⁻¹φ) for each row of `table`, in minutes. */
export function predictLinear(model: LinearModel, table: Table): Predictions {
  const mean = new Float64Array(table.n);
  const variance = new Float64Array(table.n);
  const [w, S] = [model.mean.data, model.covariance.data];
  const { mean: mu, std } = model.target;
  const phi = new Float64Array(P);
  for (let i = 0; i < table.n; i++) {
    phi[0] = 1;
    for (let j = 0; j < D; j++) phi[j + 1] = table.x[i * D + j];
    let [f, v] = [0, 1 / model.beta];
    for (let a = 0; a < P; a++) {
      f += w[a] * phi[a];
      for (let b = 0; b < P; b++) v += phi[a] * S[a * P + b] * phi[b];
    }
    mean[i] = mu + std * f;
    variance[i] = std * std * v;
  }
  return { mean, variance };
}
