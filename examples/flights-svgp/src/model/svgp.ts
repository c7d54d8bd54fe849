/**
 * Sparse variational GP regression (Hensman, Fusi & Lawrence 2013, "Gaussian processes for big data"), whitened.
 *
 * Prior f ~ GP(0, k) with the ARD RBF kernel; inducing values u = f(Z) at M points Z (learned). Whitening: u = L_Z v
 * with L_Z = chol(K_ZZ), so p(v) = N(0, I) whatever the kernel and Z are, and q(v) = N(m, LLᵀ) (meanCholesky, the
 * block natural gradients act on). Why whitened: with the prior fixed, a natural step for q and an Adam step for
 * the kernel do not fight over the same quantity (an unwhitened q(u) would have to follow every change of K_ZZ), the
 * KL is cheap and well conditioned, and the posterior over v is close to isotropic where the data say little.
 *
 * With a_n = L_Z⁻¹ k_Z(x_n), q(f_n) = N(a_nᵀm, s² − ‖a_n‖² + a_nᵀLLᵀa_n), and for the Gaussian likelihood
 * N(y_n | f_n, σ²) the expected log-likelihood is closed form. Summed over a batch it only needs
 *
 *   P = L_Z⁻¹ Φ L_Z⁻ᵀ with Φ = K_ZX K_XZ,   c = L_Z⁻¹ K_ZX y,   yᵀy,
 *
 *   Σ_n E_q[log N(y_n | f_n, σ²)] = −(B/2) log(2πσ²) − [yᵀy − 2mᵀc + B s² − tr P + ⟨P, mmᵀ + LLᵀ⟩] / (2σ²),
 *
 * so the only O(M²B) work is one product K_ZX K_XZ (plus its two in the backward pass); everything else is M×M.
 * The minibatch ELBO (an unbiased estimate of the full one) is (N/B)·Σ_batch E_q[log p(y|f)] − KL(q(v) ‖ N(0, I)).
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import { minibatchScale } from '@natgrad/distributions';
import { gram } from './gram.js';
import { type RbfHyperparams, rbf } from './kernel.js';

/** The whitened variational distribution q(v) = N(mu, L Lᵀ) over the M inducing values. */
export type WhitenedQ<V = Tensor> = {
  readonly mu: V;
  readonly L: V;
};

/** Every parameter of the model, one tree: `q` takes natural steps, the rest Adam steps (a type, not an interface,
 * so that it is an optim `Params` tree). */
export type SvgpParams<V = Tensor> = {
  readonly q: WhitenedQ<V>;
  readonly kernel: RbfHyperparams<V>;
  /** log σ², shape []: the Gaussian likelihood's noise variance. */
  readonly logNoise: V;
  /** Inducing inputs, shape [M, D], in standardised feature units. */
  readonly Z: V;
};

/** A minibatch: inputs [B, D] and (standardised) targets [B]. (A type, not an interface, so that it is also a batch
 * of columns for `@natgrad/optim/parallel`.) */
export type Batch = {
  readonly x: Tensor;
  readonly y: Tensor;
};

/** Jitter added to K_ZZ's diagonal before its Cholesky factorisation, relative to the kernel variance s². */
export const JITTER = 1e-6;

/** L_Z = chol(K_ZZ + jitter·s²·I). */
export function inducingCholesky(Z: Value, kernel: RbfHyperparams): Value {
  const M = Z.shape[0];
  const jitter = ops.mul(ops.mul(JITTER, ops.exp(kernel.logVariance)), Tensor.eye(M));
  return ops.cholesky(ops.add(rbf(Z, Z, kernel), jitter));
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Σ_n E_q[log N(y_n | f_n, σ²)] over one batch, in the Gram form of the module comment. */
export function expectedLogLikelihood(p: SvgpParams<Value>, batch: Batch): Value {
  const B = batch.x.shape[0];
  const Lz = inducingCholesky(p.Z, p.kernel);
  const Kzx = rbf(p.Z, batch.x, p.kernel); // [M, B]
  const W = ops.triangularSolve(Lz, gram(Kzx), { lower: true }); // L_Z⁻¹Φ
  const P = ops.triangularSolve(Lz, ops.matrixTranspose(W), { lower: true }); // L_Z⁻¹ΦL_Z⁻ᵀ (Φ is symmetric)
  const c = ops.triangularSolve(Lz, ops.matmul(Kzx, batch.y), { lower: true }); // L_Z⁻¹K_ZX y, [M]
  const secondMoment = ops.add(gram(p.q.L), ops.outer(p.q.mu, p.q.mu)); // E_q[vvᵀ] = LLᵀ + mmᵀ
  const yy = ops.sum(ops.square(batch.y)).item();
  const residual = ops.add(
    ops.sub(ops.mul(B, ops.exp(p.kernel.logVariance)), ops.trace(P)),
    ops.add(ops.sub(yy, ops.mul(2, ops.dot(p.q.mu, c))), ops.sum(ops.mul(P, secondMoment))),
  );
  return ops.sub(ops.mul(-0.5 * B, ops.add(LOG_2PI, p.logNoise)), ops.mul(0.5, ops.mul(residual, ops.exp(ops.neg(p.logNoise)))));
}

/**
 * KL(q(v) ‖ N(0, I)) = ½(‖L‖²_F + ‖m‖² − M) − Σ_i log L_ii: the whitened prior makes it O(M²) (the general `kl` of
 * distributions solves with the prior's factor and validates both Gaussians: 15 ms at M = 200, for an identity).
 * L's diagonal is positive (meanCholesky's invariant, which NaturalGradient maintains).
 */
export function whitenedKl(q: WhitenedQ<Value>): Value {
  const M = q.mu.shape[0];
  const squares = ops.add(ops.sum(ops.square(q.L)), ops.sum(ops.square(q.mu)));
  return ops.sub(ops.mul(0.5, ops.sub(squares, M)), ops.sum(ops.log(ops.diagonal(q.L))));
}

/** The minibatch ELBO (N/B)·Σ_batch E_q[log p(y|f)] − KL(q(v) ‖ p(v)): unbiased for the ELBO on all N points. */
export function minibatchElbo(p: SvgpParams<Value>, batch: Batch, n: number): Value {
  return ops.sub(ops.mul(minibatchScale(n, batch.x.shape[0]), expectedLogLikelihood(p, batch)), whitenedKl(p.q));
}
