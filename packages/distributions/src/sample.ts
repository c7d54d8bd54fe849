/**
 * Reparameterised sampling x = μ + Lε.
 * @module
 */
import {
  type ArrayInput,
  InvalidArgumentError,
  ShapeError,
  type Value,
  add,
  asValue,
  matmul,
  matrixTranspose,
  mul,
  random,
  reshape,
  transpose,
} from '@natgrad/core';
import { checkParametrisation, validateGaussian } from './checks.js';
import type { Gaussian, Parametrisation } from './types.js';

/**
 * @internal `μ + Lε` for standard-normal `eps` of shape [...S, ...batch, D] (S any leading sample axes) without
 * checks. Unbatched q takes one matrix product `ε Lᵀ` over all samples; batched q moves the sample axes next to the
 * matrices so each Gaussian of the batch is one product too, instead of one tiny product per sample.
 */
export function reparameteriseUnchecked<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, eps: Value): Value {
  const m = P.toMoments(q);
  const scale = P.toScale(q);
  if (P.family === 'diagonal') return add(m.mu, mul(eps, scale));
  const nb = scale.shape.length - 2;
  const d = scale.shape[nb + 1];
  const lt = matrixTranspose(scale);
  if (nb === 0) return add(m.mu, matmul(eps, lt));
  const batch = scale.shape.slice(0, nb);
  const lead = eps.shape.slice(0, eps.shape.length - nb - 1);
  const flat = reshape(eps, [-1, ...batch, d]); // [s, ...batch, D]
  const perm = [...batch.map((_, i) => i + 1), 0, nb + 1]; // → [...batch, s, D]
  const y = matmul(transpose(flat, perm), lt);
  const back = [nb, ...batch.map((_, i) => i), nb + 1]; // → [s, ...batch, D]
  return add(m.mu, reshape(transpose(y, back), [...lead, ...batch, d]));
}

/**
 * Maps standard-normal noise `eps` ([...S, ...batch, D]) to samples of q: x = μ + Lε with L = `P.toScale(q)` (the
 * Cholesky factor, or σ elementwise for the diagonal family). Differentiable with respect to q (the
 * reparameterisation trick); `eps` is a constant.
 * @throws {ShapeError} if the trailing axes of `eps` are not q's batch axes and D.
 */
export function reparameterise<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, eps: ArrayInput): Value {
  const where = 'reparameterise';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const e = asValue(eps);
  const tail = [...c.batch, c.dim];
  const s = e.shape;
  if (s.length < tail.length || tail.some((t, i) => s[s.length - tail.length + i] !== t)) {
    throw new ShapeError(`${where}: eps has shape [${s.join(', ')}], expected [..., ${tail.join(', ')}] (q's batch axes and D)`);
  }
  return reparameteriseUnchecked(P, q, e);
}

/**
 * `n` reparameterised samples of q: an array [n, ...batch, D] with x = μ + Lε, ε standard normal drawn from `key`
 * (JAX-style: the same key gives the same samples; split keys for fresh ones). Differentiable with respect to q.
 * @example
 * const x = sample(meanCholesky, q, random.key(0), 1000); // [1000, D]
 */
export function sample<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, key: random.Key, n: number): Value {
  const where = 'sample';
  checkParametrisation(P, where);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${where}: n must be a non-negative integer, got ${n}`);
  const c = validateGaussian(P, q, where);
  return reparameteriseUnchecked(P, q, random.normal(key, [n, ...c.batch, c.dim]));
}
