/**
 * Draws from a key into float64 tensors. Element `i` (row-major flat index) of every draw is a function of the key and
 * `i` only: it hashes the 64-bit counter `i` with Threefry-2x32 under the key, giving 64 random bits
 * `(w0 << 32) | w1` (the same words as `jax.random.bits(key, shape, uint64)` under partitionable Threefry). So a
 * draw of shape `[n]` is a prefix of a draw of shape `[m]`, m ≥ n, with the same key, and results do not depend on how
 * the work is chunked.
 * @module
 */
import { readOptions } from '../args.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { MAX_ARRAY_LENGTH } from '../limits.js';
import { primalValue } from '../ad/trace.js';
import { broadcastData } from '../kernels/broadcast.js';
import { type Shape, broadcastShapes, checkShape, formatShape, shapesEqual, sizeOf } from '../shape.js';
import { type Tensor, tensorOf } from '../tensor.js';
import { allocF64, allocOwn } from '../kernels/alloc.js';
import { ArrayValue, type Value } from '../value.js';
import { type Key, checkKey } from './key.js';
import { ndtri } from './ndtri.js';
import { threefryBlock, threefryCounters } from './threefry.js';

const TWO53 = 9007199254740992;
/** 2⁻⁵³: weight of the lowest of 53 random bits. */
const EPS53 = 1.1102230246251565e-16;
/** 2²¹ and 2²⁰: shift the high word left so that high and low words form 53- and 52-bit integers. */
const TWO21 = 2097152;
const TWO20 = 1048576;
/**
 * High counter word of the keys used by rejection-sampling retries (attempt `j` draws from the key obtained by hashing
 * the counter `(RETRY_HI, j)`). Draws and `split` use counters below 2⁵³, whose high word is below 2²¹, so retry keys
 * never coincide with first-attempt words or split keys (nor with `foldIn` keys for data below 2⁶⁴ − 2³²).
 */
const RETRY_HI = 0xffffffff;

function checkDrawShape(shape: unknown, where: string): Shape {
  if (!Array.isArray(shape)) {
    throw new InvalidArgumentError(`${where}: shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
  return checkShape(shape, where);
}

/** Counters are hashed a chunk at a time into this scratch (samplers never re-enter each other). */
const CHUNK = 4096;
const chunkWords = new Uint32Array(2 * CHUNK);

/**
 * `out[i]` = the top `top` (53 or 52) of element i's 64 random bits `(w0 << 32) | w1`, as an integer-valued double
 * (exact: below 2⁵³), for i < n. No buffer of 2n words is ever allocated.
 */
function drawTopBits(k: Key, out: Float64Array, n: number, top: 52 | 53): void {
  const hi = top === 53 ? TWO21 : TWO20;
  const shift = 64 - top;
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    threefryCounters(k.k0, k.k1, start, len, chunkWords);
    for (let j = 0; j < len; j++) out[start + j] = chunkWords[2 * j] * hi + (chunkWords[2 * j + 1] >>> shift);
  }
}

/** The largest double below the finite number `x`. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x); // big-endian: word 0 holds sign, exponent and the top of the mantissa
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (x > 0) {
    if (lo === 0) hi -= 1;
    lo = (lo - 1) >>> 0;
  } else {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi += 1;
  }
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

function checkFinite(x: unknown, what: string, where: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new InvalidArgumentError(`${where}: ${what} must be a finite number, got ${describeValue(x)}`);
  }
  return x;
}

/** Options of {@link uniform}. */
export interface UniformOptions {
  /** Inclusive lower bound (default 0). */
  minval?: number;
  /** Exclusive upper bound (default 1). */
  maxval?: number;
}

/**
 * Uniform doubles in [minval, maxval), like `jax.random.uniform`.
 *
 * Each element takes the top 53 of its 64 random bits as an integer m, so u = m·2⁻⁵³ is uniform on the 2⁵³ equally
 * spaced doubles of [0, 1) (every double in [½, 1) is reachable, 0 included, 1 excluded); the result is
 * `minval + u·(maxval − minval)`, clamped below `maxval` should rounding reach it.
 * @throws {InvalidArgumentError} for a bad shape, non-finite bounds, `minval >= maxval`, a range that overflows, or
 * options other than `minval` and `maxval`.
 * @example
 * uniform(key(0), [2, 3]);                             // shape [2, 3], entries in [0, 1)
 * uniform(key(0), [1000], { minval: -1, maxval: 1 });  // entries in [-1, 1)
 */
export function uniform(k: Key, shape: readonly number[] = [], options: UniformOptions = {}): Tensor {
  const where = 'random.uniform';
  checkKey(k, where);
  const s = checkDrawShape(shape, where);
  const opts = readOptions(options, where, ['minval', 'maxval']);
  const minval = checkFinite(opts.minval === undefined ? 0 : opts.minval, 'minval', where);
  const maxval = checkFinite(opts.maxval === undefined ? 1 : opts.maxval, 'maxval', where);
  if (!(minval < maxval)) {
    throw new InvalidArgumentError(`${where}: need minval < maxval, got minval=${minval}, maxval=${maxval}`);
  }
  const span = maxval - minval;
  if (!Number.isFinite(span)) {
    throw new InvalidArgumentError(`${where}: range [${minval}, ${maxval}) is too wide (maxval - minval overflows)`);
  }
  const n = sizeOf(s);
  const out = allocF64(n);
  drawTopBits(k, out, n, 53);
  if (minval === 0 && maxval === 1) {
    for (let i = 0; i < n; i++) out[i] *= EPS53;
  } else {
    const below = nextDown(maxval);
    for (let i = 0; i < n; i++) {
      const v = minval + out[i] * EPS53 * span;
      out[i] = v < maxval ? v : below;
    }
  }
  return tensorOf(out, s);
}

/** Options of {@link normal}. */
export interface NormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation, ≥ 0 (default 1). */
  std?: number;
}

/**
 * Normal samples `mean + std·z`, z standard normal (with the defaults, like `jax.random.normal`).
 *
 * Inverse-CDF method: each element takes the top 52 of its random bits as an integer m and evaluates
 * z = Φ⁻¹((2m + 1)·2⁻⁵³) with Wichura's AS 241 (relative error ≈ 1e-16). The probabilities are the midpoints of 2⁵²
 * equal cells of (0, 1), never 0 or 1, so every z is finite (|z| ≤ 8.21) and the distribution is exactly symmetric.
 * For differentiable sampling (the reparameterisation trick) draw `z = normal(key, shape)` and compute
 * `mu + sigma * z` with tensor ops.
 * @throws {InvalidArgumentError} for a bad shape, a non-finite mean, a negative or non-finite std, or options other
 * than `mean` and `std`.
 * @example
 * const z = normal(key(0), [1000]);                 // standard normal
 * const x = normal(key(1), [3], { mean: 2, std: 0.5 });
 */
export function normal(k: Key, shape: readonly number[] = [], options: NormalOptions = {}): Tensor {
  const where = 'random.normal';
  checkKey(k, where);
  const s = checkDrawShape(shape, where);
  const opts = readOptions(options, where, ['mean', 'std']);
  const mean = checkFinite(opts.mean === undefined ? 0 : opts.mean, 'mean', where);
  const std = checkFinite(opts.std === undefined ? 1 : opts.std, 'std', where);
  if (std < 0) throw new InvalidArgumentError(`${where}: std must be >= 0, got ${std}`);
  const n = sizeOf(s);
  const out = allocF64(n);
  drawTopBits(k, out, n, 52);
  for (let i = 0; i < n; i++) out[i] = ndtri((2 * out[i] + 1) * EPS53); // the midpoint of cell out[i] of 2^52
  if (mean !== 0 || std !== 1) for (let i = 0; i < n; i++) out[i] = mean + std * out[i];
  return tensorOf(out, s);
}

/**
 * Bernoulli samples as float64 0/1: element i is 1 when u_i < p_i with u_i the 53-bit uniform of {@link uniform}
 * (so p = 0 never gives 1 and p = 1 always does), like `jax.random.bernoulli`.
 *
 * `p` is a number or a tensor broadcastable to `shape` (default: the shape of `p`). It is used as a constant: a tracer
 * contributes its primal value and samples carry no derivative.
 * @throws {InvalidArgumentError} for a bad shape or a probability outside [0, 1] (or NaN).
 * @throws {ShapeError} if `p` does not broadcast to `shape`.
 * @example
 * bernoulli(key(0), 0.3, [10]);                       // ten coin flips with P(1) = 0.3
 * bernoulli(key(0), Tensor.from([0.1, 0.9]), [4, 2]); // per-column probabilities
 */
export function bernoulli(k: Key, p: number | Value, shape?: readonly number[]): Tensor {
  const where = 'random.bernoulli';
  checkKey(k, where);
  let probs: Float64Array;
  let s: Shape;
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`${where}: p must be in [0, 1], got ${p}`);
    s = checkDrawShape(shape === undefined ? [] : shape, where);
    probs = Float64Array.of(p);
  } else if (p instanceof ArrayValue) {
    const pt = primalValue(p);
    for (let i = 0; i < pt.data.length; i++) {
      const v = pt.data[i];
      if (!(v >= 0 && v <= 1)) {
        throw new InvalidArgumentError(`${where}: p must be in [0, 1], got ${v} at flat index ${i}`);
      }
    }
    s = shape === undefined ? pt.shape : checkDrawShape(shape, where);
    if (!shapesEqual(broadcastShapes(pt.shape, s, where), s)) {
      throw new ShapeError(`${where}: p of shape ${formatShape(pt.shape)} does not broadcast to ${formatShape(s)}`);
    }
    probs = pt.data.length === 1 ? pt.data : broadcastData(pt.data, pt.shape, s);
  } else {
    throw new InvalidArgumentError(`${where}: p must be a number or a tensor, got ${describeValue(p)}`);
  }
  const n = sizeOf(s);
  const out = allocF64(n);
  drawTopBits(k, out, n, 53);
  const step = probs.length === 1 ? 0 : 1;
  for (let i = 0; i < n; i++) out[i] = out[i] * EPS53 < probs[i * step] ? 1 : 0;
  return tensorOf(out, s);
}

/** Scratch words for the rare retry path of {@link boundedInt}. */
const retryWords = new Uint32Array(2);

/**
 * An exactly uniform integer in [0, range), 1 ≤ range ≤ 2⁵³, for element/step `index` whose first attempt drew the
 * 53-bit integer `m` (see {@link drawTopBits}). Accepts m below the largest multiple of `range` not above 2⁵³ and
 * returns m mod range; otherwise retries with the same counter under retry key `j` (probability < range / 2⁵³).
 */
function boundedInt(k: Key, index: number, range: number, first: number): number {
  const limit = TWO53 - (TWO53 % range);
  let m = first;
  for (let attempt = 1; m >= limit; attempt++) {
    threefryBlock(k.k0, k.k1, RETRY_HI, attempt, retryWords);
    threefryCounters(retryWords[0], retryWords[1], index, 1, retryWords);
    m = retryWords[0] * TWO21 + (retryWords[1] >>> 11);
  }
  return m % range;
}

/** Largest span accepted by {@link randint}: spans up to 2⁵³ − 1 are computed exactly from safe integers. */
const MAX_SPAN = TWO53 - 1;

/**
 * Uniform integers in [minval, maxval), as float64, like `jax.random.randint`. Exactly uniform (rejection sampling on
 * 53-bit integers, not a biased modulo). `minval` and `maxval` are safe integers with `0 < maxval − minval < 2⁵³`.
 * @throws {InvalidArgumentError} for a bad shape, non-integer bounds, `minval >= maxval`, or too wide a range.
 * @example
 * randint(key(0), [5], 0, 10);  // five integers in 0…9: [5, 6, 0, 3, 4]
 * randint(key(0), [2, 2], -3, 3);
 */
export function randint(k: Key, shape: readonly number[], minval: number, maxval: number): Tensor {
  const where = 'random.randint';
  checkKey(k, where);
  const s = checkDrawShape(shape, where);
  if (!Number.isSafeInteger(minval) || !Number.isSafeInteger(maxval)) {
    throw new InvalidArgumentError(`${where}: minval and maxval must be safe integers, got ${describeValue(minval)}, ${describeValue(maxval)}`);
  }
  if (!(minval < maxval)) {
    throw new InvalidArgumentError(`${where}: need minval < maxval, got minval=${minval}, maxval=${maxval}`);
  }
  const range = maxval - minval;
  if (range > MAX_SPAN) {
    throw new InvalidArgumentError(`${where}: range [${minval}, ${maxval}) is wider than 2^53 - 1`);
  }
  const n = sizeOf(s);
  const out = allocF64(n);
  drawTopBits(k, out, n, 53);
  for (let i = 0; i < n; i++) out[i] = minval + boundedInt(k, i, range, out[i]);
  return tensorOf(out, s);
}

/**
 * A uniformly random permutation by Fisher–Yates: of `0 … n-1` when given a count, or a shuffled copy when given an
 * array (the input is not modified). Step t (t = 0 … n-2) swaps position `n-1-t` with an exactly uniform position in
 * `0 … n-1-t` drawn from counter t, so `permutation(k, n)` and `permutation(k, [0, …, n-1])` agree.
 * The result is a plain array, so a count is limited to `MAX_ARRAY_LENGTH` (2²⁴) elements: larger plain arrays can
 * exhaust the engine's heap, which aborts the process instead of throwing.
 * @throws {InvalidArgumentError} unless `n` is a non-negative integer up to `MAX_ARRAY_LENGTH`, or an array is given.
 * @example
 * permutation(key(0), 5);                 // [3, 1, 4, 2, 0]
 * permutation(key(0), ['a', 'b', 'c']);   // a shuffled copy
 */
export function permutation(k: Key, n: number): number[];
export function permutation<T>(k: Key, items: readonly T[]): T[];
export function permutation<T>(k: Key, nOrItems: number | readonly T[]): (number | T)[] {
  const where = 'random.permutation';
  checkKey(k, where);
  let a: (number | T)[];
  if (Array.isArray(nOrItems)) {
    a = nOrItems.slice();
  } else {
    const n = nOrItems as number;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) {
      throw new InvalidArgumentError(
        `${where}: n must be a non-negative integer up to ${MAX_ARRAY_LENGTH} (MAX_ARRAY_LENGTH), got ${describeValue(n)}`,
      );
    }
    a = new Array<number>(n);
    for (let i = 0; i < n; i++) a[i] = i;
  }
  const n = a.length;
  if (n < 2) return a;
  const m = allocOwn(n - 1);
  drawTopBits(k, m, n - 1, 53);
  for (let t = 0; t < n - 1; t++) {
    const i = n - 1 - t;
    const j = boundedInt(k, t, i + 1, m[t]);
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  return a;
}
