/** Statistics helpers shared by the random-number tests. */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Central moments 2, 3, 4 (biased estimators; n = 10⁵ makes the bias irrelevant). */
export function moments(x: ArrayLike<number>): { mean: number; variance: number; skewness: number; exkurtosis: number } {
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= x.length;
  m3 /= x.length;
  m4 /= x.length;
  return { mean: m, variance: m2, skewness: m3 / m2 ** 1.5, exkurtosis: m4 / (m2 * m2) - 3 };
}

/** Kolmogorov–Smirnov statistic sup |F_n - F|. */
export function ksStatistic(x: ArrayLike<number>, cdf: (v: number) => number): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
