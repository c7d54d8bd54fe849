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

function positive(v: unknown): boolean {
  const d = primalValue(v as Tensor).data;
  for (let i = 0; i < d.length; i++) if (!(d[i] > 0 && d[i] < Infinity)) return false;
  return true;
}

/**
 * True when `q` passes `P.validate`, its covariance (Σ, or σ²) is finite and numerically positive definite (a
 * Cholesky of Σ succeeds), and its natural parameters are finite with −2θ₂ positive definite — so the next step,
 * which starts from θ(q), can be computed. False (never a throw) for anything a natgrad error rejects.
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
      cholesky(m.Sigma as Tensor); // throws NotPositiveDefiniteError on a numerically singular Σ
      cholesky(ops.mul(-2, theta.theta2)); // and the precision the next natural step starts from
      return true;
    }
    return positive(m.sigma2) && positive(ops.mul(-2, theta.theta2));
  } catch (e) {
    if (e instanceof NatgradError) return false;
    throw e;
  }
}
