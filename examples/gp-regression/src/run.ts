/**
 * GP regression, the conjugate case: fuel economy (mpg) against horsepower (cars.json), both standardised, with a
 * GP prior f ~ GP(0, k) and Gaussian noise, y = f(x) + ε, ε ~ N(0, σ²). Kernel hyperparameters are fixed.
 *
 * The variational posterior q(u) = N(μ, LLᵀ) is over u = f(z) at the distinct horsepower values z (the "inducing
 * points at the data": several cars share a horsepower, so the 392 cars have 93 distinct inputs). Every f(xₙ) is one
 * of the u's, f = Su with S the 0/1 matrix that picks it, so
 *
 *   ELBO(q) = E_q[log N(y | Su, σ²I)] − KL(q ‖ N(0, K_zz))
 *
 * with a closed-form expectation. Its gradient with respect to the expectation parameters η is constant (the ELBO is
 * linear in η apart from the entropy), so ONE natural-gradient step of size 1 in natural parameters, from any q,
 * lands on the exact posterior, where the ELBO equals the exact log marginal likelihood log N(y | 0, K_xx + σ²I).
 */
import { Tensor, type Value, cholesky, choleskySolve, grad, ops } from '@natgrad/core';
import { expectedGaussianLogLikelihood, kl, meanCholesky, meanCovariance } from '@natgrad/distributions';
import { Descent, setup, update } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { cars, columns, completeRows, fitStandardiser } from '@natgrad-examples/shared';

export interface GpRegressionOptions {
  /** Kernel lengthscale and variance (standardised units; defaults 1 and 1) and noise variance σ² (default 0.25). */
  readonly lengthscale?: number;
  readonly variance?: number;
  readonly noiseVariance?: number;
  /** Points of the prediction grid for the plot (default 200). */
  readonly gridPoints?: number;
}

export interface GpRegressionResult {
  readonly n: number;
  /** Number of distinct inputs (inducing points). */
  readonly m: number;
  /** ELBO at the prior, q₀ = N(0, K_zz). */
  readonly elboBefore: number;
  /** ELBO after one natural-gradient step. */
  readonly elboAfter: number;
  /** log N(y | 0, K_xx + σ²I), computed directly from the N × N covariance of all cars. */
  readonly logMarginalLikelihood: number;
  /** Largest |difference| between the stepped q's mean and covariance and the textbook posterior's. */
  readonly posteriorError: number;
  /** Data (original units) and the posterior on a grid of horsepower values, for the plot. */
  readonly data: readonly { horsepower: number; mpg: number }[];
  readonly grid: readonly { horsepower: number; mean: number; fLow: number; fHigh: number; yLow: number; yHigh: number }[];
}

/**
 * k(x, x') = s²·exp(−(x − x')²/(2ℓ²)) + τ²·[x = x']: an RBF kernel plus a tiny "nugget" τ² = 1e-6 on equal inputs,
 * which keeps K_zz invertible (neighbouring distinct inputs are nearly collinear under the RBF). The nugget is part
 * of the model, so the exact log marginal likelihood below uses the same kernel.
 */
export function kernel(a: readonly number[], b: readonly number[], lengthscale: number, variance: number): Tensor {
  const NUGGET = 1e-6;
  return Tensor.from(a.map((x) => b.map((z) => variance * Math.exp(-((x - z) ** 2) / (2 * lengthscale ** 2)) + (x === z ? NUGGET : 0))));
}

export function run(options: GpRegressionOptions = {}): GpRegressionResult {
  const { lengthscale = 1, variance = 1, noiseVariance = 0.25, gridPoints = 200 } = options;

  // ── data: standardised horsepower x and mpg y
  const rows = completeRows(cars(), ['Horsepower', 'Miles_per_Gallon']);
  const hp = columns(rows, ['Horsepower']);
  const mpg = columns(rows, ['Miles_per_Gallon']);
  const [hpScale, mpgScale] = [fitStandardiser(hp), fitStandardiser(mpg)];
  const x = hpScale.apply(hp).map((r) => r[0]);
  const y = Tensor.from(mpgScale.apply(mpg).map((r) => r[0]));
  const N = x.length;

  // ── inducing points at the distinct inputs, and the selection matrix S (row n: a 1 at xₙ's inducing point)
  const z = [...new Set(x)].sort((a, b) => a - b);
  const M = z.length;
  const S = Tensor.from(x.map((xn) => z.map((zm) => (xn === zm ? 1 : 0))));
  const Kzz = kernel(z, z, lengthscale, variance);
  const prior = { mu: Tensor.zeros([M]), Sigma: Kzz };

  const elbo = (q: { mu: Value; L: Value }) =>
    ops.sub(expectedGaussianLogLikelihood(S, y, noiseVariance, meanCholesky, q), kl(meanCholesky, q, meanCovariance, prior));

  // ── one natural-gradient step of size 1, in natural coordinates, from the prior
  const q0 = { mu: Tensor.zeros([M]), L: cholesky(Kzz) };
  const g = grad((q: typeof q0) => ops.neg(elbo(q)))(q0); // Euclidean gradient of the loss −ELBO
  const [, q1] = update(setup(NaturalGradient(Descent(1)), q0), q0, g) as [unknown, typeof q0]; // (update returns Params)

  // ── the textbook answer from the N × N covariance of all cars: log N(y | 0, K_xx + σ²I)
  const Ky = ops.add(kernel(x, x, lengthscale, variance), ops.mul(noiseVariance, Tensor.eye(N)));
  const Ly = cholesky(Ky);
  const alpha = choleskySolve(Ly, y);
  const logMarginalLikelihood =
    -0.5 * ops.sum(ops.mul(y, alpha)).item() - ops.sum(ops.log(ops.diagonal(Ly))).item() - 0.5 * N * Math.log(2 * Math.PI);

  // and the textbook posterior of u: Σ = (K_zz⁻¹ + SᵀS/σ²)⁻¹, μ = ΣSᵀy/σ²
  const St = ops.matrixTranspose(S);
  const Sigma = ops.inv(ops.add(ops.inv(Kzz), ops.div(ops.matmul(St, S), noiseVariance)));
  const mu = ops.div(ops.matmul(Sigma, ops.matmul(St, y)), noiseVariance);
  const Sigma1 = ops.matmul(q1.L, ops.matrixTranspose(q1.L));
  const posteriorError = Math.max(maxAbs(ops.sub(q1.mu, mu)), maxAbs(ops.sub(Sigma1, Sigma)));

  // ── predictions on a grid: f(x*) | u is Gaussian with mean A u, A = k(x*, z) K_zz⁻¹; under q(u) = N(μ, Σ):
  //    mean A μ, variance k(x*, x*) − A k(z, x*) + A Σ Aᵀ (diagonal only)
  const [lo, hi] = [Math.min(...hp.map((r) => r[0])), Math.max(...hp.map((r) => r[0]))];
  const gridHp = Array.from({ length: gridPoints }, (_, i) => lo - 5 + ((hi - lo + 10) * i) / (gridPoints - 1));
  const xs = hpScale.apply(gridHp.map((h) => [h])).map((r) => r[0]);
  const Ksz = kernel(xs, z, lengthscale, variance);
  const A = ops.matrixTranspose(choleskySolve(cholesky(Kzz), ops.matrixTranspose(Ksz))); // K_zz symmetric
  const mean = ops.matmul(A, q1.mu).toFlatArray();
  const reduced = ops.sum(ops.mul(A, Ksz), -1).toFlatArray(); // diag(A k(z, x*))
  const AL = ops.matmul(A, q1.L);
  const explained = ops.sum(ops.square(AL), -1).toFlatArray(); // diag(A Σ Aᵀ)
  const [mMean, mStd] = [mpgScale.mean[0], mpgScale.std[0]];
  const grid = gridHp.map((h, i) => {
    const fVar = Math.max(variance - reduced[i] + explained[i], 0); // k(x*, x*) = s² off the data
    const [fSd, ySd] = [Math.sqrt(fVar), Math.sqrt(fVar + noiseVariance)];
    const toMpg = (v: number) => mMean + mStd * v;
    return {
      horsepower: h,
      mean: toMpg(mean[i]),
      fLow: toMpg(mean[i] - 2 * fSd),
      fHigh: toMpg(mean[i] + 2 * fSd),
      yLow: toMpg(mean[i] - 2 * ySd),
      yHigh: toMpg(mean[i] + 2 * ySd),
    };
  });

  return {
    n: N,
    m: M,
    elboBefore: elbo(q0).item(),
    elboAfter: elbo(q1).item(),
    logMarginalLikelihood,
    posteriorError,
    data: rows.map((r) => ({ horsepower: r.Horsepower as number, mpg: r.Miles_per_Gallon as number })),
    grid,
  };
}

const maxAbs = (t: Tensor) => Math.max(...t.toFlatArray().map(Math.abs));
