/**
 * Reproducible, splittable random numbers with functional keys, modelled on `jax.random`: no hidden global state;
 * every draw is a pure function of a {@link Key} and a shape, bit-identical on every platform.
 *
 * ```ts
 * import { random } from '@natgrad/core';
 * let k = random.key(0);
 * let sub: random.Key;
 * [k, sub] = random.split(k);
 * const eps = random.normal(sub, [3]);
 * ```
 *
 * The generator is Threefry-2x32 with 20 rounds (counter-based): keys, `split` and `foldIn` match
 * `jax.random` with its default Threefry implementation (`jax_threefry_partitionable=True`, the default since JAX 0.5),
 * and element `i` of any draw hashes counter `i` under the key (so draws are prefix-consistent across shapes).
 * @module
 */
export { Key, key, keyData, wrapKeyData, split, foldIn, threefry2x32 } from './key.js';
export {
  uniform,
  normal,
  bernoulli,
  randint,
  permutation,
  type UniformOptions,
  type NormalOptions,
} from './sample.js';
