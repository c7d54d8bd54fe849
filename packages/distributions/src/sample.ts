/**
 * Reparameterised sampling x = μ + Lε.
 * @module
 */
import {
  type ArrayInput,
  ShapeError,
  type Value,
  add,
  matmul,
  matrixTranspose,
  mul,
  random,
  reshape,
  transpose,
} from '@natgrad/core';
import { MAX_ARRAY_SIZE, checkArray, checkInteger, checkKey, checkNoNaN, checkSize } from './arguments.js';
import { checkParametrisation, validateGaussian } from './checks.js';
import type { Gaussian, Parametrisation } from './types.js';
import { INTERMEDIATE } from './checked-maps.js';
import { computing } from './context.js';

/**
 * @internal `μ + Lε` for standard-normal `eps` of shape [...S, ...batch, D] (S any leading sample axes) without
 * checks. Unbatched q takes one matrix product `ε Lᵀ` over all samples; batched q moves the sample axes next to the
 * matrices so each Gaussian of the batch is one product too, instead of one tiny product per sample.
 */
export function reparameteriseUnchecked<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, eps: Value): Value {
  const m = P.unchecked.toMoments(q);
  const scale = P.unchecked.toScale(q);
  if (P.family === 'diagonal') return add(m.mu, mul(eps, scale));
  const nb = scale.shape.length - 2;
  const d = scale.shape[nb + 1];
  const lt = matrixTranspose(scale);
  if (nb === 0) return add(m.mu, matmul(eps, lt));
  const batch = scale.shape.slice(0, nb);
  const lead = eps.shape.slice(0, eps.shape.length - nb - 1);
  // The sample count is computed, not inferred with −1: with an empty batch every size is 0 and −1 is ambiguous.
  const samples = lead.reduce((x, y) => x * y, 1);
  const flat = reshape(eps, [samples, ...batch, d]); // [s, ...batch, D]
  const perm = [...batch.map((_, i) => i + 1), 0, nb + 1]; // → [...batch, s, D]
  const y = matmul(transpose(flat, perm), lt);
  const back = [nb, ...batch.map((_, i) => i), nb + 1]; // → [s, ...batch, D]
  return add(m.mu, reshape(transpose(y, back), [...lead, ...batch, d]));
}

/**
 * Maps standard-normal noise `eps` ([...S, ...batch, D]) to samples of q: x = μ + Lε with L = `P.toScale(q)` (the
 * Cholesky factor, or σ elementwise for the diagonal family). Differentiable with respect to q (the
 * reparameterisation trick); `eps` is a constant.
 * @throws {ShapeError} if the trailing axes of `eps` are not q's batch axes and D;
 * {@link @natgrad/core!NonFiniteError} for NaN or ∞ in `eps`; q's validation errors.
 */
export function reparameterise<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, eps: ArrayInput): Value {
  const where = 'reparameterise';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  const e = checkArray(where, 'eps', eps);
  const tail = [...c.batch, c.dim];
  const s = e.shape;
  if (s.length < tail.length || tail.some((t, i) => s[s.length - tail.length + i] !== t)) {
    throw new ShapeError(`${where}: eps has shape [${s.join(', ')}], expected [..., ${tail.join(', ')}] (q's batch axes and D)`);
  }
  const x = computing(where, INTERMEDIATE, () => reparameteriseUnchecked(P, q, e));
  checkNoNaN(where, 'a sample', x);
  return x;
}

/**
 * `n` reparameterised samples of q: an array [n, ...batch, D] with x = μ + Lε, ε standard normal drawn from `key`
 * (JAX-style: the same key gives the same samples; split keys for fresh ones). Differentiable with respect to q.
 * `n = 0` gives an empty array [0, ...batch, D].
 * @throws {@link @natgrad/core!InvalidArgumentError} unless n is an integer ≥ 0 with n·batch·D ≤
 * {@link MAX_ARRAY_SIZE}, or if `key` is not a `random.Key`; q's validation errors.
 * @example
 * const x = sample(meanCholesky, q, random.key(0), 1000); // [1000, D]
 */
export function sample<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, key: random.Key, n: number): Value {
  const where = 'sample';
  checkParametrisation(P, where);
  const c = validateGaussian(P, q, where);
  checkKey(where, 'key', key);
  checkInteger(where, 'n', n, 0, MAX_ARRAY_SIZE);
  const shape = [n, ...c.batch, c.dim];
  checkSize(where, 'the samples', shape);
  const eps = random.normal(key, shape);
  const x = computing(where, INTERMEDIATE, () => reparameteriseUnchecked(P, q, eps));
  checkNoNaN(where, 'a sample', x);
  return x;
}
