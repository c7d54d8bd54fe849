/**
 * Draws: determinism, stream independence, distributional checks, shape/range properties and argument errors.
 *
 * About the statistical tolerances. Every sample comes from a fixed key, so each check is deterministic and cannot
 * flake; the tolerances are still chosen as if the data were random, so that a correct generator passes for (almost)
 * every key and a broken one fails:
 *  - moments: 5 standard errors of the estimator under the null (two-sided probability 6e-7 of a false alarm);
 *  - Kolmogorov–Smirnov: √n·D < 1.95, the 0.1 % point of the Kolmogorov distribution (n = 10⁵, so D < 0.0062);
 *  - chi-square: the 0.01 % point of the χ² distribution with the stated degrees of freedom (Wilson–Hilferty).
 * A generator bug of practical consequence (a biased bit, a wrong scale, correlated streams) moves these statistics by
 * far more than the tolerances.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, ShapeError, Tensor, grad, ops, random } from '@natgrad/core';

import { ksStatistic, mean, moments } from './util/stats.js';

const { key, split, foldIn, keyData, uniform, normal, bernoulli, randint, permutation } = random;

const N = 100_000;




function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function chiSquare(counts: ArrayLike<number>, expected: number): number {
  let c = 0;
  for (let i = 0; i < counts.length; i++) c += (counts[i] - expected) ** 2 / expected;
  return c;
}

/** The raw bytes of a tensor's data, for bit-for-bit comparisons (distinguishes -0 and NaN payloads). */
const bytes = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

const samplers: [string, (k: random.Key, shape: number[]) => Tensor][] = [
  ['uniform', (k, s) => uniform(k, s)],
  ['uniform [-3, 5)', (k, s) => uniform(k, s, { minval: -3, maxval: 5 })],
  ['normal', (k, s) => normal(k, s)],
  ['normal (mean 1, std 2)', (k, s) => normal(k, s, { mean: 1, std: 2 })],
  ['bernoulli', (k, s) => bernoulli(k, 0.3, s)],
  ['randint', (k, s) => randint(k, s, -5, 17)],
];

describe('determinism', () => {
  for (const [name, draw] of samplers) {
    it(`${name}: same key and shape give bit-identical output; other keys give other streams`, () => {
      const k = key(31337);
      const a = draw(k, [40, 25]);
      expect(a).toBeInstanceOf(Tensor);
      expect(a.shape).toEqual([40, 25]);
      expect(bytes(draw(k, [40, 25]))).toEqual(bytes(a));
      expect(bytes(draw(random.wrapKeyData(keyData(k)), [40, 25]))).toEqual(bytes(a));
      // element i depends on the key and i only: reshaping and prefixes agree
      expect(bytes(draw(k, [1000]))).toEqual(bytes(a));
      expect(Array.from(draw(k, [7]).data)).toEqual(Array.from(a.data.subarray(0, 7)));
      // other seeds, split keys and folded keys give different streams (foldIn(k, i) is split(k, n)[i], as in JAX)
      const others = [key(31338), ...split(k, 3), foldIn(k, 1000), foldIn(k, 1001), foldIn(key(31338), 0)];
      const seen = new Set([bytes(a).join()]);
      for (const o of others) seen.add(bytes(draw(o, [40, 25])).join());
      expect(seen.size).toBe(others.length + 1);
    });
  }

  it('permutation: same key gives the same permutation, different keys different ones', () => {
    const k = key(99);
    expect(permutation(k, 50)).toEqual(permutation(k, 50));
    const perms = new Set([key(100), ...split(k, 3), foldIn(k, 1000)].map((o) => permutation(o, 50).join()));
    perms.add(permutation(k, 50).join());
    expect(perms.size).toBe(6);
  });

  it('pins the streams of key(0) (regression: checkpoints must replay identically)', () => {
    // Element i of uniform is built from the words of split(key, n)[i] (both hash counter i): top 53 bits · 2^-53.
    const parts = split(key(0), 4).map((k) => keyData(k));
    const fromWords = parts.map(([w0, w1]) => (w0 * 2 ** 21 + Math.floor(w1 / 2 ** 11)) * 2 ** -53);
    expect(Array.from(uniform(key(0), [4]).data)).toEqual(fromWords);
    expect(fromWords[0]).toBe(0.41845711171638655);
    expect(Array.from(normal(key(0), [3]).data)).toEqual([-0.2058421394796433, -0.784765776446741, 1.8160866726679847]);
    expect(Array.from(randint(key(0), [5], 0, 10).data)).toEqual([5, 6, 0, 3, 4]);
    expect(permutation(key(0), 5)).toEqual([3, 1, 4, 2, 0]);
  });

  it('never calls Math.random', () => {
    const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    try {
      const k = key(1);
      split(k, 3);
      foldIn(k, 3);
      uniform(k, [10]);
      normal(k, [10]);
      bernoulli(k, 0.5, [10]);
      randint(k, [10], 0, 2 ** 52 + 1);
      permutation(k, 10);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('uniform', () => {
  const x = uniform(key(1), [N]).data;

  it('has mean 1/2 and variance 1/12', () => {
    const m = moments(x);
    // standard errors: √(1/12/n) = 9.1e-4 for the mean; √((1/80 − 1/144)/n) = 2.4e-4 for the variance
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(5 * 9.1e-4);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(5 * 2.4e-4);
  });

  it('passes a Kolmogorov–Smirnov test against U(0, 1)', () => {
    const d = ksStatistic(x, (v) => Math.min(Math.max(v, 0), 1));
    expect(Math.sqrt(N) * d).toBeLessThan(1.95);
  });

  it('uses the full 53 bits: the low bits of the mantissa are random too', () => {
    // m = u·2^53 is an integer; its lowest bit and its bit 20 are fair coins (5 standard errors: 5·√(0.25/n) = 0.0079)
    let low = 0;
    let mid = 0;
    for (let i = 0; i < N; i++) {
      const m = x[i] * 2 ** 53;
      expect(Number.isInteger(m)).toBe(true);
      low += m % 2;
      mid += Math.floor(m / 2 ** 20) % 2;
    }
    expect(Math.abs(low / N - 0.5)).toBeLessThan(0.0079);
    expect(Math.abs(mid / N - 0.5)).toBeLessThan(0.0079);
  });

  it('scales to [minval, maxval) and never returns maxval, even when rounding would', () => {
    const y = uniform(key(2), [N], { minval: -2, maxval: 6 }).data;
    expect(Math.abs(mean(y) - 2)).toBeLessThan(5 * 8 * 9.1e-4);
    for (const v of y) expect(v >= -2 && v < 6).toBe(true);
    // [1, 1 + 2^-52) holds a single double; [0, 5e-324) holds only 0; a negative upper bound
    expect(new Set(uniform(key(3), [1000], { minval: 1, maxval: 1 + 2 ** -52 }).data)).toEqual(new Set([1]));
    expect(new Set(uniform(key(3), [1000], { minval: 0, maxval: Number.MIN_VALUE }).data)).toEqual(new Set([0]));
    for (const v of uniform(key(3), [1000], { minval: -1e-300, maxval: -1e-301 }).data) {
      expect(v >= -1e-300 && v < -1e-301).toBe(true);
    }
  });
});

describe('independence of streams', () => {
  // Pearson correlation of independent streams has standard error 1/√n = 0.0032; tolerance 5/√n.
  const tol = 5 / Math.sqrt(N);

  it('split keys give uncorrelated uniform and normal streams', () => {
    const keys = split(key(2024), 4);
    const streams = [...keys.map((k) => uniform(k, [N]).data), ...keys.map((k) => normal(k, [N]).data)];
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        if (j === i + 4) continue; // uniform and normal of the same key are monotone transforms of the same bits
        expect(Math.abs(correlation(streams[i], streams[j]))).toBeLessThan(tol);
      }
    }
  });

  it('adjacent seeds, folded keys and neighbouring elements are uncorrelated', () => {
    const pairs: [random.Key, random.Key][] = [
      [key(0), key(1)],
      [foldIn(key(8), 0), foldIn(key(8), 1)],
      [key(2 ** 32), key(1)],
    ];
    for (const [a, b] of pairs) {
      expect(Math.abs(correlation(normal(a, [N]).data, normal(b, [N]).data))).toBeLessThan(tol);
    }
    const u = uniform(key(10), [N + 1]).data;
    expect(Math.abs(correlation(u.subarray(0, N), u.subarray(1)))).toBeLessThan(tol);
  });
});

describe('bernoulli', () => {
  it('has frequency p (scalar p)', () => {
    const b = bernoulli(key(11), 0.3, [N]).data;
    // 5 standard errors: 5·√(0.3·0.7/n) = 0.0072
    expect(Math.abs(mean(b) - 0.3)).toBeLessThan(0.0072);
    expect(new Set(b)).toEqual(new Set([0, 1]));
    expect(new Set(bernoulli(key(11), 0, [1000]).data)).toEqual(new Set([0]));
    expect(new Set(bernoulli(key(11), 1, [1000]).data)).toEqual(new Set([1]));
  });

  it('broadcasts a tensor p over the requested shape, and defaults to the shape of p', () => {
    const p = Tensor.from([0.1, 0.9]);
    const b = bernoulli(key(12), p, [N / 2, 2]);
    expect(b.shape).toEqual([N / 2, 2]);
    const col = [0, 0];
    for (let i = 0; i < b.data.length; i++) col[i % 2] += b.data[i];
    // 5·√(0.09/(n/2)) = 0.0067
    expect(Math.abs(col[0] / (N / 2) - 0.1)).toBeLessThan(0.0067);
    expect(Math.abs(col[1] / (N / 2) - 0.9)).toBeLessThan(0.0067);
    expect(bernoulli(key(12), Tensor.from([[0, 1, 1]]), undefined).shape).toEqual([1, 3]);
    expect(Array.from(bernoulli(key(12), Tensor.from([[0, 1, 1]])).data)).toEqual([0, 1, 1]);
    // equivalent to comparing the 53-bit uniforms with p
    const u = uniform(key(13), [6]).data;
    const pp = Tensor.from([0.2, 0.4, 0.6, 0.8, 0.5, 0.5]);
    expect(Array.from(bernoulli(key(13), pp).data)).toEqual(Array.from(u, (v, i) => (v < pp.data[i] ? 1 : 0)));
  });

  it('treats a traced p as a constant (samples carry no derivative)', () => {
    const p = Tensor.from([0.25, 0.75, 0.5]);
    const expected = bernoulli(key(14), p).data;
    let inside: Tensor | undefined;
    const g = grad((q: Tensor) => {
      inside = bernoulli(key(14), q);
      return ops.sum(q);
    })(p) as Tensor;
    expect(Array.from(inside!.data)).toEqual(Array.from(expected));
    expect(Array.from(g.data)).toEqual([1, 1, 1]);
  });
});

describe('randint', () => {
  it('is uniform on [minval, maxval) (chi-square, 9 degrees of freedom)', () => {
    const r = randint(key(15), [N], 0, 10).data;
    const counts = new Array<number>(10).fill(0);
    for (const v of r) counts[v]++;
    // χ²(9) 0.01 % point: 33.7
    expect(chiSquare(counts, N / 10)).toBeLessThan(33.7);
  });

  it('handles negative bounds and ranges that force rejection, staying exact where no retry is needed', () => {
    const neg = randint(key(16), [1000], -3, 3).data;
    for (const v of neg) expect(Number.isInteger(v) && v >= -3 && v < 3).toBe(true);
    expect(new Set(neg).size).toBe(6);

    // range R = 2^52 + 1: the accepted 53-bit integers are those below 2^52 + 1, so about half the first attempts are
    // rejected and redrawn. Where the first attempt is accepted, the value is m mod R with m from split's words.
    const R = 2 ** 52 + 1;
    const n = 4000;
    const k = key(17);
    const r = randint(k, [n], 10, 10 + R).data;
    const words = split(k, n).map((kk) => keyData(kk));
    let retried = 0;
    for (let i = 0; i < n; i++) {
      expect(Number.isInteger(r[i]) && r[i] >= 10 && r[i] < 10 + R).toBe(true);
      const m = words[i][0] * 2 ** 21 + Math.floor(words[i][1] / 2 ** 11);
      if (m < R) expect(r[i]).toBe(10 + m);
      else retried++;
    }
    expect(retried).toBeGreaterThan(n / 2 - 5 * Math.sqrt(n / 4));
    expect(retried).toBeLessThan(n / 2 + 5 * Math.sqrt(n / 4));
    // the redrawn values are uniform too: mean R/2 with standard error R/√(12 n)
    expect(Math.abs(mean(r) - 10 - R / 2) / R).toBeLessThan(5 / Math.sqrt(12 * n));
  });
});

describe('permutation', () => {
  it('returns a permutation of 0 … n-1 for every n and key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 }), fc.integer({ min: 0, max: 60 }), (seed, n) => {
        const p = permutation(key(seed), n);
        expect(p).toHaveLength(n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('is uniform over the 24 permutations of 4 items (chi-square, 23 degrees of freedom)', () => {
    const draws = 24_000;
    const counts = new Map<string, number>();
    for (const k of split(key(18), draws)) {
      const p = permutation(k, 4).join('');
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // χ²(23) 0.01 % point: 57.3
    expect(chiSquare([...counts.values()], draws / 24)).toBeLessThan(57.3);
  });

  it('sends every item to every position equally often (n = 10, contingency chi-square, 81 degrees of freedom)', () => {
    const draws = 20_000;
    const table = new Array<number>(100).fill(0);
    for (const k of split(key(19), draws)) permutation(k, 10).forEach((v, pos) => table[pos * 10 + v]++);
    // χ²(81) 0.01 % point: 137
    expect(chiSquare(table, draws / 10)).toBeLessThan(137);
  });

  it('shuffles a copy of an array with the same swaps as the index permutation', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const k = key(20);
    const shuffled = permutation(k, items);
    expect(shuffled).toEqual(permutation(k, items.length).map((i) => items[i]));
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(permutation(k, [])).toEqual([]);
    expect(permutation(k, 1)).toEqual([0]);
  });
});

describe('properties over random seeds and shapes', () => {
  const seed = fc.oneof(fc.integer({ min: 0, max: 2 ** 53 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
  const shape = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 });
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

  it('uniform: requested shape, finite, in [minval, maxval)', () => {
    const bound = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(seed, shape, bound, bound, (sd, s, a, b) => {
        fc.pre(a !== b);
        const [minval, maxval] = a < b ? [a, b] : [b, a];
        const t = uniform(key(sd), s, { minval, maxval });
        expect(t.shape).toEqual(s);
        expect(t.data.length).toBe(size(s));
        for (const v of t.data) expect(Number.isFinite(v) && v >= minval && v < maxval).toBe(true);
      }),
    );
  });

  it('normal: requested shape, finite, within the 8.21σ the sampler can reach', () => {
    fc.assert(
      fc.property(seed, shape, fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), (sd, s, m, sdev) => {
        const t = normal(key(sd), s, { mean: m, std: sdev });
        expect(t.shape).toEqual(s);
        for (const v of t.data) expect(Number.isFinite(v) && Math.abs(v - m) <= 8.21 * sdev + 1e-12).toBe(true);
      }),
    );
  });

  it('randint and bernoulli: requested shape, integers in range, 0/1', () => {
    fc.assert(
      fc.property(seed, shape, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (sd, s, lo, span, p) => {
        const k = key(sd);
        const r = randint(k, s, lo, lo + span);
        expect(r.shape).toEqual(s);
        for (const v of r.data) expect(Number.isInteger(v) && v >= lo && v < lo + span).toBe(true);
        const b = bernoulli(k, p, s);
        expect(b.shape).toEqual(s);
        for (const v of b.data) expect(v === 0 || v === 1).toBe(true);
      }),
    );
  });
});

describe('argument errors', () => {
  const k = key(0);
  const invalid = (f: () => unknown) => expect(f).toThrowError(InvalidArgumentError);

  it('rejects bad shapes', () => {
    for (const s of [[-1], [1.5], [NaN], [2, Infinity]]) {
      invalid(() => uniform(k, s));
      invalid(() => normal(k, s));
      invalid(() => randint(k, s, 0, 2));
      invalid(() => bernoulli(k, 0.5, s));
    }
    invalid(() => uniform(k, 3 as unknown as number[]));
    invalid(() => normal(k, 'ab' as unknown as number[]));
  });

  it('rejects bad uniform bounds', () => {
    invalid(() => uniform(k, [2], { minval: 1, maxval: 1 }));
    invalid(() => uniform(k, [2], { minval: 2, maxval: 1 }));
    invalid(() => uniform(k, [2], { minval: NaN }));
    invalid(() => uniform(k, [2], { maxval: Infinity }));
    invalid(() => uniform(k, [2], { minval: -1e308, maxval: 1e308 })); // maxval - minval overflows
  });

  it('rejects bad normal parameters', () => {
    invalid(() => normal(k, [2], { std: -1 }));
    invalid(() => normal(k, [2], { std: NaN }));
    invalid(() => normal(k, [2], { mean: Infinity }));
  });

  it('rejects probabilities outside [0, 1] and p that does not broadcast', () => {
    for (const p of [-0.1, 1.1, NaN]) invalid(() => bernoulli(k, p, [2]));
    invalid(() => bernoulli(k, Tensor.from([0.5, 1.5]), [2]));
    invalid(() => bernoulli(k, 'x' as unknown as number, [2]));
    expect(() => bernoulli(k, Tensor.from([0.5, 0.5, 0.5]), [2])).toThrowError(ShapeError);
    expect(() => bernoulli(k, Tensor.from([0.5, 0.5]), [2, 3])).toThrowError(ShapeError);
    expect(() => bernoulli(k, Tensor.from([[0.5], [0.5]]), [2])).toThrowError(ShapeError);
  });

  it('rejects bad randint bounds', () => {
    invalid(() => randint(k, [2], 3, 3));
    invalid(() => randint(k, [2], 4, 3));
    invalid(() => randint(k, [2], 0.5, 3));
    invalid(() => randint(k, [2], 0, 2 ** 53));
    invalid(() => randint(k, [2], -(2 ** 52), 2 ** 52)); // range 2^53
    invalid(() => randint(k, [2], 0, NaN));
  });

  it('rejects bad permutation sizes', () => {
    for (const n of [-1, 2.5, NaN, 2 ** 32]) invalid(() => permutation(k, n));
  });

  it('errors carry the INVALID_ARGUMENT code and name the function', () => {
    expect(() => normal(k, [2], { std: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => normal(k, [2], { std: -1 })).toThrow(/random\.normal/);
  });
});
