/**
 * PRNG keys: immutable pairs of uint32 words, derived and split with Threefry-2x32 exactly as `jax.random` does with
 * its default `threefry2x32` implementation and `jax_threefry_partitionable=True` (the default since JAX 0.5).
 * @module
 */
import { describeValue } from '../describe.js';
import { InvalidArgumentError } from '../errors.js';
import { MAX_ARRAY_LENGTH } from '../limits.js';
import { TWO32, threefryBlock, threefryCounters } from './threefry.js';

const TWO53 = 9007199254740992;
const TWO64 = 18446744073709551616n;

function isUint32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < TWO32;
}

/**
 * A PRNG key: two uint32 words, immutable (the instance is frozen). Keys are values: every draw is a pure function of
 * the key and the shape, so reusing a key repeats its numbers. Derive fresh keys with {@link split} or
 * {@link foldIn}; never draw from a key you have already split.
 *
 * Serialisable: `JSON.stringify(key)` gives `[k0, k1]` (see {@link Key.toJSON}); rebuild it with
 * {@link wrapKeyData}. A key is a leaf for the tree utilities (it is not a plain object).
 *
 * @example
 * const k = new Key(0, 42); // same as key(42)
 * k.k1 // 42
 */
export class Key {
  /** First word (for `key(seed)`: the high 32 bits of the seed). */
  readonly k0: number;
  /** Second word (for `key(seed)`: the low 32 bits of the seed). */
  readonly k1: number;

  /**
   * Wraps two uint32 words. Prefer {@link key} (from a seed) or {@link wrapKeyData} (from stored data).
   * @throws {InvalidArgumentError} if a word is not an integer in [0, 2³²).
   */
  constructor(k0: number, k1: number) {
    if (!isUint32(k0) || !isUint32(k1)) {
      throw new InvalidArgumentError(`Key: words must be integers in [0, 2^32), got [${describeValue(k0)}, ${describeValue(k1)}]`);
    }
    this.k0 = k0;
    this.k1 = k1;
    Object.freeze(this);
  }

  /**
   * The raw words, for `JSON.stringify`.
   * @example JSON.stringify({ step: 3, key: key(1) }) // '{"step":3,"key":[0,1]}'
   */
  toJSON(): [number, number] {
    return [this.k0, this.k1];
  }

  /** @example String(key(1)) // 'Key(0x00000000, 0x00000001)' */
  toString(): string {
    const hex = (w: number) => `0x${w.toString(16).padStart(8, '0')}`;
    return `Key(${hex(this.k0)}, ${hex(this.k1)})`;
  }
}

/** Throws {@link InvalidArgumentError} unless `k` is a {@link Key}. */
export function checkKey(k: unknown, where: string): Key {
  if (!(k instanceof Key)) {
    const got = Array.isArray(k) ? 'an array (use random.wrapKeyData to rebuild a key from stored data)' : typeof k;
    throw new InvalidArgumentError(`${where}: expected a random.Key, got ${got}`);
  }
  return k;
}

/**
 * Splits a non-negative integer below 2⁶⁴ (a number up to 2⁵³, or a bigint) into its high and low uint32 words.
 * @throws {InvalidArgumentError} for anything else.
 */
function toWords(x: number | bigint, what: string, where: string): [number, number] {
  if (typeof x === 'bigint') {
    if (x < 0n || x >= TWO64) {
      throw new InvalidArgumentError(`${where}: ${what} must be in [0, 2^64), got ${x}n`);
    }
    return [Number(x >> 32n), Number(x & 0xffffffffn)];
  }
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
    throw new InvalidArgumentError(`${where}: ${what} must be a non-negative integer, got ${describeValue(x)}`);
  }
  if (x > TWO53) {
    throw new InvalidArgumentError(
      `${where}: ${what} ${x} exceeds 2^53, where numbers stop being exact integers; pass a bigint instead`,
    );
  }
  return [Math.floor(x / TWO32), x >>> 0];
}

/**
 * A key from an integer seed, like `jax.random.PRNGKey(seed)`: the words are the high and low 32 bits of the seed,
 * so distinct seeds give distinct keys. Seeds are non-negative integers up to 2⁵³ as numbers, or bigints below 2⁶⁴;
 * `key(n)` and `key(BigInt(n))` are the same key.
 * @throws {InvalidArgumentError} for negative, fractional, non-finite or too large seeds.
 * @example
 * const k = key(0);
 * random.uniform(k, [3]); // the same three numbers on every run and every platform
 */
export function key(seed: number | bigint): Key {
  const [hi, lo] = toWords(seed, 'seed', 'random.key');
  return new Key(hi, lo);
}

/**
 * The raw words of a key, for checkpoints: `wrapKeyData(keyData(k))` equals `k`. Same layout as
 * `jax.random.key_data`.
 * @example keyData(key(2 ** 32 + 5)) // [1, 5]
 */
export function keyData(k: Key): [number, number] {
  checkKey(k, 'random.keyData');
  return [k.k0, k.k1];
}

/**
 * Rebuilds a key from the two words returned by {@link keyData} (or stored by `JSON.stringify(key)`), like
 * `jax.random.wrap_key_data`.
 * @throws {InvalidArgumentError} unless `data` is two integers in [0, 2³²) (an array, or a `Uint32Array`).
 * @example
 * const saved = JSON.stringify(key(7));
 * const k = wrapKeyData(JSON.parse(saved)); // Key(0, 7)
 */
export function wrapKeyData(data: readonly [number, number] | readonly number[] | Uint32Array): Key {
  const where = 'random.wrapKeyData';
  if (!(Array.isArray(data) || data instanceof Uint32Array) || data.length !== 2) {
    throw new InvalidArgumentError(`${where}: expected an array of two uint32 words, got ${describeValue(data)}`);
  }
  const k0: unknown = data[0], k1: unknown = data[1];
  if (!isUint32(k0) || !isUint32(k1)) {
    throw new InvalidArgumentError(`${where}: words must be integers in [0, 2^32), got [${describeValue(k0)}, ${describeValue(k1)}]`);
  }
  return new Key(k0, k1);
}

/**
 * `num` new keys derived from `k`, like `jax.random.split`: key `i` is the Threefry hash of counter `i` under `k`.
 * The new keys are statistically independent of each other; stop using `k` itself after splitting it. The result is
 * a plain array, so `num` is at most `MAX_ARRAY_LENGTH` (2²⁴).
 * @throws {InvalidArgumentError} unless `num` is a non-negative integer up to `MAX_ARRAY_LENGTH`.
 * @example
 * let k = key(0);
 * let sub: Key;
 * [k, sub] = split(k);            // carry k forward, consume sub
 * const eps = random.normal(sub, [10]);
 * const keys = split(k, 4);       // one key per worker
 */
export function split(k: Key, num = 2): Key[] {
  checkKey(k, 'random.split');
  if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num > MAX_ARRAY_LENGTH) {
    throw new InvalidArgumentError(
      `random.split: num must be a non-negative integer up to ${MAX_ARRAY_LENGTH} (MAX_ARRAY_LENGTH), got ${describeValue(num)}`,
    );
  }
  const words = new Uint32Array(2 * num);
  threefryCounters(k.k0, k.k1, 0, num, words);
  const out = new Array<Key>(num);
  for (let i = 0; i < num; i++) out[i] = new Key(words[2 * i], words[2 * i + 1]);
  return out;
}

/**
 * A new key from `k` and an integer, like `jax.random.fold_in`: the Threefry hash of the counter `data` under `k`.
 * Use it to derive per-step or per-item keys without threading keys through a loop. `data` is a non-negative integer
 * up to 2⁵³ or a bigint below 2⁶⁴.
 *
 * `foldIn(k, i)` equals `split(k, n)[i]` (as in JAX), so derive keys from a given key either by folding in or by
 * splitting, not both.
 * @throws {InvalidArgumentError} for a negative, fractional or too large `data`.
 * @example
 * const base = key(0);
 * for (let step = 0; step < 3; step++) {
 *   const stepKey = foldIn(base, step); // distinct, reproducible key per step
 * }
 */
export function foldIn(k: Key, data: number | bigint): Key {
  checkKey(k, 'random.foldIn');
  const [hi, lo] = toWords(data, 'data', 'random.foldIn');
  const out = new Uint32Array(2);
  threefryBlock(k.k0, k.k1, hi, lo, out);
  return new Key(out[0], out[1]);
}

/**
 * The Threefry-2x32 (20 rounds) block function: hashes the counter `(c0, c1)` under the key `(k0, k1)` and returns
 * the two output words. Every input must be an integer in [0, 2³²). This is the primitive under every draw, exposed
 * for interoperability (it is Random123's `threefry2x32_20` and JAX's `threefry_2x32` on one block).
 * @throws {InvalidArgumentError} for a word outside [0, 2³²).
 * @example threefry2x32(0, 0, 0, 0) // [0x6b200159, 0x99ba4efe]
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): [number, number] {
  if (!isUint32(k0) || !isUint32(k1) || !isUint32(c0) || !isUint32(c1)) {
    throw new InvalidArgumentError(
      `random.threefry2x32: words must be integers in [0, 2^32), got ${[k0, k1, c0, c1].map(describeValue).join(', ')}`,
    );
  }
  const out = new Uint32Array(2);
  threefryBlock(k0, k1, c0, c1, out);
  return [out[0], out[1]];
}
