/**
 * The normal sampler: the inverse CDF (Wichura's AS 241) behind `random.normal`, checked against an independent
 * erf-based CDF written here, and the distribution of the draws.
 *
 * Statistical tolerances (fixed keys, so deterministic; sized as if the data were random, see random-sample.test.ts):
 * 5 standard errors for moments, √n·D < 1.95 (0.1 % point of the Kolmogorov distribution) for KS with n = 10⁵.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { random } from '@natgrad/core';
import { ndtri } from '../src/random/ndtri.js';

import { ksStatistic, moments } from './util/stats.js';

const { key, normal } = random;

const N = 100_000;

// ---- Reference error function and normal CDF, independent of the library's generator and inverse CDF. Accurate to a
// few ulp, erfc in relative terms even far in the tails (1 − erf is used only where erfc > 0.15).

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_PI = 1.772453850905516;

/** erf(x) for small |x| by the series e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), whose terms all have one sign. */
function erfSeries(x: number): number {
  if (x < 0) return -erfSeries(-x);
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x ≥ 1 by the continued fraction e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated
 * backwards from 300 terms (converged to the last bit for x ≥ 1).
 */
function erfcContinuedFraction(x: number): number {
  let t = x;
  for (let k = 300; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / SQRT_PI / t;
}

/** Complementary error function. */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return x < 1 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** Error function. */
function erf(x: number): number {
  if (Math.abs(x) < 1) return erfSeries(x);
  return x > 0 ? 1 - erfcContinuedFraction(x) : erfcContinuedFraction(-x) - 1;
}

/** Standard normal CDF Φ(z) = erfc(-z/√2)/2, accurate in relative terms in the lower tail. */
function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}




describe('reference normal CDF (test utility)', () => {
  it('matches known values of erf, erfc and Φ', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 15);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 13);
    expect(erfc(6) / 2.1519736712498913e-17).toBeCloseTo(1, 13);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(normalCdf(0)).toBe(0.5);
  });
});

describe('inverse normal CDF (AS 241) behind random.normal', () => {
  it('gives known quantiles', () => {
    expect(ndtri(0.5)).toBe(0);
    expect(ndtri(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(ndtri(0.8413447460685429)).toBeCloseTo(1, 14);
    expect(ndtri(1e-10) / -6.361340902404056).toBeCloseTo(1, 14);
  });

  it('inverts the erf-based CDF to a few ulp, from p = 1e-300 to 1/2', () => {
    // An error δz = ε|z| in z moves Φ by the relative amount |z|·δz ≈ ε z², and the reference CDF's exp(-z²/2) carries
    // a relative rounding error of order ε z² too, so the tolerance is 1e-14·(1 + z²) (≈ 45 ε·(1 + z²); observed
    // worst case 4.5 ε·(1 + z²)).
    const ps: number[] = [];
    for (let e = -300; e <= -1; e += 0.25) ps.push(10 ** e);
    for (let i = 1; i <= 200; i++) ps.push(i / 400);
    for (const p of ps) {
      const z = ndtri(p);
      expect(Number.isFinite(z)).toBe(true);
      expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-14 * (1 + z * z));
    }
  });

  it('is exactly odd on the sampling grid and finite at its extreme points', () => {
    const eps = 2 ** -53;
    const lo = ndtri(eps); // smallest probability random.normal can produce: (2·0 + 1)·2^-53
    const hi = ndtri((2 * (2 ** 52 - 1) + 1) * eps); // largest: 1 - 2^-53
    expect(lo).toBe(-hi);
    expect(lo).toBeGreaterThan(-8.3);
    expect(lo).toBeLessThan(-8.2);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 52 - 1 }), (m) => {
        const p = (2 * m + 1) * eps;
        expect(ndtri(1 - p)).toBe(-ndtri(p));
      }),
      { numRuns: 500 },
    );
  });

  it('returns ±Infinity at 0 and 1 and NaN outside [0, 1]', () => {
    expect(ndtri(0)).toBe(-Infinity);
    expect(ndtri(1)).toBe(Infinity);
    expect(ndtri(-0.1)).toBeNaN();
    expect(ndtri(1.5)).toBeNaN();
    expect(ndtri(NaN)).toBeNaN();
  });
});

describe('normal', () => {
  const z = normal(key(4), [N]).data;

  it('has mean 0, variance 1, skewness 0 and excess kurtosis 0', () => {
    const m = moments(z);
    // standard errors under N(0, 1): √(1/n), √(2/n), √(6/n), √(24/n)
    expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(1 / N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m.skewness)).toBeLessThan(5 * Math.sqrt(6 / N));
    expect(Math.abs(m.exkurtosis)).toBeLessThan(5 * Math.sqrt(24 / N));
  });

  it('passes a Kolmogorov–Smirnov test against the erf-based normal CDF', () => {
    expect(Math.sqrt(N) * ksStatistic(z, normalCdf)).toBeLessThan(1.95);
  });

  it('puts the right mass in the tails', () => {
    // P(|Z| > 3) = 0.0026998; count ~ Binomial(n, p): 5 standard errors = 5·√(n p (1 − p)) = 82
    let tail = 0;
    for (const v of z) if (Math.abs(v) > 3) tail++;
    expect(Math.abs(tail - N * 0.0026998)).toBeLessThan(82);
  });

  it('applies mean and std exactly as mean + std·z, and std = 0 gives the mean', () => {
    const k = key(5);
    const base = normal(k, [100]).data;
    const shifted = normal(k, [100], { mean: -3, std: 0.25 }).data;
    base.forEach((v, i) => expect(shifted[i]).toBe(-3 + 0.25 * v));
    expect(new Set(normal(k, [10], { mean: 7, std: 0 }).data)).toEqual(new Set([7]));
  });
});
