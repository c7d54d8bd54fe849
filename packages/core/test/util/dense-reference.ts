/**
 * Naive dense linear algebra on row-major n×m arrays (plain textbook loops, no blocking), the independent reference
 * the backend kernels are tested against, plus random well-conditioned inputs embedded in larger buffers.
 */

/** A matrix embedded at an offset with a leading dimension ≥ its width, in a buffer filled with a guard value. */
export interface Embedded {
  data: Float64Array;
  off: number;
  ld: number;
  rows: number;
  cols: number;
}

export const GUARD = 12345.678;

/** Embeds the compact rows×cols `x` at offset `off` with row stride `ld` in a guard-filled buffer. */
export function embed(x: Float64Array, rows: number, cols: number, off: number, pad: number): Embedded {
  const ld = cols + pad;
  const data = new Float64Array(off + rows * ld + pad + 1).fill(GUARD);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[off + i * ld + j] = x[i * cols + j];
  return { data, off, ld, rows, cols };
}

/** The compact matrix held by an embedded one. */
export function extract(e: Embedded): Float64Array {
  const out = new Float64Array(e.rows * e.cols);
  for (let i = 0; i < e.rows; i++) for (let j = 0; j < e.cols; j++) out[i * e.cols + j] = e.data[e.off + i * e.ld + j];
  return out;
}

/** Every buffer entry outside the matrix (and outside `inside(i, j)` when given) still holds the guard. */
export function guardsIntact(e: Embedded, inside: (i: number, j: number) => boolean = () => true): boolean {
  for (let q = 0; q < e.data.length; q++) {
    const r = q - e.off;
    const i = Math.floor(r / e.ld), j = r - i * e.ld;
    const inMatrix = r >= 0 && i < e.rows && j < e.cols && inside(i, j);
    if (!inMatrix && e.data[q] !== GUARD) return false;
  }
  return true;
}

/** max |a − b| / max(1, max |b|): the normwise relative difference the kernels are held to (≤ 1e-12). */
export function relDiff(a: Float64Array, b: Float64Array): number {
  let d = 0, s = 1;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return Number.isNaN(d) || a.length !== b.length ? Infinity : d / s;
}

export function uniform(n: number, next: () => number, lo = -1, hi = 1): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * next();
  return d;
}

/** A triangular-friendly matrix: off-diagonal entries in [−1, 1)/√n, diagonal in ±[1.5, 2.5) (well conditioned). */
export function wellConditioned(n: number, next: () => number): Float64Array {
  const a = uniform(n * n, next);
  const s = 1 / Math.sqrt(Math.max(1, n));
  for (let i = 0; i < n * n; i++) a[i] *= s;
  for (let i = 0; i < n; i++) a[i * n + i] = (next() < 0.5 ? -1 : 1) * (1.5 + next());
  return a;
}

/** A symmetric positive-definite matrix B·Bᵀ/n + I. */
export function spd(n: number, next: () => number): Float64Array {
  const b = uniform(n * n, next);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = a[j * n + i] = s / Math.max(1, n) + (i === j ? 1 : 0);
    }
  }
  return a;
}

export function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
  return t;
}

export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  }
  return c;
}

/** The n×n triangle of `a` as a full matrix (zeros elsewhere; unit diagonal when `unit`). */
export function triangle(a: Float64Array, n: number, lower: boolean, unit: boolean): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) t[i * n + j] = unit ? 1 : a[i * n + j];
      else if (lower ? j < i : j > i) t[i * n + j] = a[i * n + j];
    }
  }
  return t;
}

/** X = T⁻¹·B for a full triangular T (n×n; `lower` says which) and B n×m, by textbook substitution. */
export function substitute(t: Float64Array, b: Float64Array, n: number, m: number, lower: boolean): Float64Array {
  const x = b.slice();
  for (let s = 0; s < n; s++) {
    const i = lower ? s : n - 1 - s;
    for (let j = 0; j < m; j++) {
      let v = x[i * m + j];
      for (let k = 0; k < n; k++) if (k !== i && (lower ? k < i : k > i)) v -= t[i * n + k] * x[k * m + j];
      x[i * m + j] = v / t[i * n + i];
    }
  }
  return x;
}

/** Cholesky–Banachiewicz: the lower factor (zeros above) of the lower triangle of `a`, or null if not SPD. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

/** Textbook LU with partial pivoting (largest |pivot|, first on ties): packed factors and the row permutation. */
export function lu(a: Float64Array, n: number): { lu: Float64Array; perm: number[]; singular: number } {
  const w = a.slice();
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i * n + k]) > Math.abs(w[p * n + k])) p = i;
    if (w[p * n + k] === 0) return { lu: w, perm, singular: k };
    for (let j = 0; j < n; j++) [w[k * n + j], w[p * n + j]] = [w[p * n + j], w[k * n + j]];
    [perm[k], perm[p]] = [perm[p], perm[k]];
    for (let i = k + 1; i < n; i++) {
      const c = (w[i * n + k] /= w[k * n + k]);
      for (let j = k + 1; j < n; j++) w[i * n + j] -= c * w[k * n + j];
    }
  }
  return { lu: w, perm, singular: -1 };
}

/**
 * Textbook LU with partial pivoting of an m×n matrix that completes past zero pivots (LAPACK's convention: a column
 * whose candidates are all zero is skipped): packed factors, the row permutation and the first zero column (−1).
 */
export function luRect(a: Float64Array, m: number, n: number): { lu: Float64Array; perm: number[]; singular: number } {
  const w = a.slice();
  const perm = Array.from({ length: m }, (_, i) => i);
  let singular = -1;
  for (let k = 0; k < Math.min(m, n); k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(w[i * n + k]) > Math.abs(w[p * n + k])) p = i;
    if (w[p * n + k] === 0) {
      if (singular < 0) singular = k;
      continue;
    }
    for (let j = 0; j < n; j++) [w[k * n + j], w[p * n + j]] = [w[p * n + j], w[k * n + j]];
    [perm[k], perm[p]] = [perm[p], perm[k]];
    for (let i = k + 1; i < m; i++) {
      const c = (w[i * n + k] /= w[k * n + k]);
      for (let j = k + 1; j < n; j++) w[i * n + j] -= c * w[k * n + j];
    }
  }
  return { lu: w, perm, singular };
}

/** L (m×k, unit lower) · U (k×n, upper) of packed m×n factors, k = min(m, n). */
export function luProduct(lu: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p <= Math.min(i, j, k - 1); p++) s += (p === i ? 1 : lu[i * n + p]) * lu[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}
