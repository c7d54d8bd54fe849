/**
 * When is a Gaussian block good enough to emit? Structural validity is not enough: (μ, L) with diag(L) = [1e-200, 1]
 * passes `meanCholesky.validate`, yet LLᵀ underflows to a singular matrix and θ = (Σ⁻¹μ, −½Σ⁻¹) overflows, so nothing
 * downstream — a density, a KL, the next natural-gradient step — can use it.
 * @module
 */
import { NatgradError, type Tensor, cholesky, ops, primalValue } from '@natgrad/core';
import type { AnyParametrisation, Gaussian } from '@natgrad/distributions';

function finite(v: unknown): boolean {
  const d = primalValue(v as Tensor).data;
  for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) return false;
  return true;
}

/**
 * A Cholesky factorisation with room to spare: every pivot Lⱼⱼ² is at least τ·Aⱼⱼ with τ = 100·n·ε. The rounding
 * error of a pivot is about n·ε·Aⱼⱼ, so a matrix closer to singular than that (relative to its own diagonal, which
 * makes the test blind to scale: Σ = diag(1e-34, 1) passes) factorises or not depending on the order of summation;
 * such a Gaussian is degenerate for every practical purpose, and refusing it means any other Cholesky succeeds too.
 */
function factorisesWithMargin(a: Tensor): boolean {
  const l = cholesky(a) as Tensor; // throws NotPositiveDefiniteError on a numerically singular matrix
  const n = a.shape[a.shape.length - 1];
  const tau = 100 * n * Number.EPSILON;
  const x = a.data;
  const y = l.data;
  for (let o = 0; o < x.length; o += n * n) {
    for (let j = 0; j < n; j++) {
      const d = y[o + j * n + j];
      if (!(d * d >= tau * x[o + j * n + j])) return false;
    }
  }
  return true;
}

function positive(v: unknown): boolean {
  const d = primalValue(v as Tensor).data;
  for (let i = 0; i < d.length; i++) if (!(d[i] > 0 && d[i] < Infinity)) return false;
  return true;
}

/**
 * True when `q` passes `P.validate`, its covariance (Σ, or σ²) is finite and positive definite with a margin (a
 * Cholesky of Σ succeeds with every pivot clear of rounding), and its natural parameters are finite with −2θ₂
 * positive definite in the same sense — so the next step, which starts from θ(q), can be computed. False (never a
 * throw) for anything a natgrad error rejects.
 */
export function usableGaussian(P: AnyParametrisation, q: Readonly<Record<string, Tensor>>): boolean {
  try {
    for (const k of P.keys as readonly string[]) if (!finite(q[k])) return false;
    P.validate(q as Gaussian, 'NaturalGradient');
    const m = P.toMoments(q as Gaussian) as unknown as Readonly<Record<string, unknown>>;
    const theta = P.toNatural(q as Gaussian);
    if (!finite(m.mu) || !finite(theta.theta1) || !finite(theta.theta2)) return false;
    if (P.family === 'full') {
      if (!finite(m.Sigma)) return false;
      // Σ, and the precision the next natural step starts from.
      return factorisesWithMargin(primalValue(m.Sigma as Tensor)) && factorisesWithMargin(ops.mul(-2, primalValue(theta.theta2 as Tensor)) as Tensor);
    }
    return positive(m.sigma2) && positive(ops.mul(-2, theta.theta2));
  } catch (e) {
    if (e instanceof NatgradError) return false;
    throw e;
  }
}
