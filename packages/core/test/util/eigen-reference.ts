/**
 * Independent references for the decomposition tests: textbook cyclic Jacobi for symmetric eigenproblems (Golub &
 * Van Loan, Algorithm 8.5.3: no tridiagonalisation, no QL, no shared code with the kernels), modified Gram–Schmidt
 * QR, and matrix helpers on plain row-major arrays.
 */
import { matmul, transpose } from './dense-reference.js';

export const EPS = 2 ** -52;

/** Eigenvalues (ascending) and eigenvectors (columns of `v`) of the symmetric n×n `a` by cyclic Jacobi. */
export function jacobiEigen(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const x = a.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        total += x[i * n + j] ** 2;
        if (i !== j) off += x[i * n + j] ** 2;
      }
    }
    if (off <= 1e-34 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = x[p * n + q];
        if (apq === 0) continue;
        const theta = (x[q * n + q] - x[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const xkp = x[k * n + p], xkq = x[k * n + q];
          x[k * n + p] = c * xkp - s * xkq;
          x[k * n + q] = s * xkp + c * xkq;
        }
        for (let k = 0; k < n; k++) {
          const xpk = x[p * n + k], xqk = x[q * n + k];
          x[p * n + k] = c * xpk - s * xqk;
          x[q * n + k] = s * xpk + c * xqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i * n + i] - x[j * n + j]);
  const w = Float64Array.from(order, (i) => x[i * n + i]);
  const vs = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) vs[r * n + c] = v[r * n + order[c]];
  return { w, v: vs };
}

/** Singular values (descending) of the m×n `a`: square roots of the eigenvalues of AᵀA or AAᵀ by cyclic Jacobi. */
export function referenceSingularValues(a: Float64Array, m: number, n: number): Float64Array {
  const at = transpose(a, m, n);
  const gram = m >= n ? matmul(at, a, n, m, n) : matmul(a, at, m, n, m);
  const k = Math.min(m, n);
  return jacobiEigen(gram, k).w.map((x) => Math.sqrt(Math.max(0, x))).reverse();
}

/** Modified Gram–Schmidt QR of a full-column-rank m×n `a` (m ≥ n): Q (m×n) and R (n×n) with R's diagonal > 0. */
export function gramSchmidt(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array } {
  const q = a.slice(), r = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      let d = 0;
      for (let k = 0; k < m; k++) d += q[k * n + i] * q[k * n + j];
      r[i * n + j] = d;
      for (let k = 0; k < m; k++) q[k * n + j] -= d * q[k * n + i];
    }
    let s = 0;
    for (let k = 0; k < m; k++) s += q[k * n + j] ** 2;
    s = Math.sqrt(s);
    r[j * n + j] = s;
    for (let k = 0; k < m; k++) q[k * n + j] /= s;
  }
  return { q, r };
}

/** max |x|. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** max |QᵀQ − I| for the m×k Q with orthonormal columns (row-major). */
export function orthogonalityError(q: Float64Array, m: number, k: number): number {
  const g = matmul(transpose(q, m, k), q, k, m, k);
  for (let i = 0; i < k; i++) g[i * k + i] -= 1;
  return maxAbs(g);
}

/** max |a − b|. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return a.length === b.length ? d : Infinity;
}

/** X·diag(d) for the r×c X. */
export function scaleColumns(x: Float64Array, r: number, c: number, d: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (v, i) => v * d[i % c]);
}

/** A random orthogonal n×n matrix: the Q of modified Gram–Schmidt of a random (well-conditioned) matrix. */
export function randomOrthogonal(n: number, next: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = 2 * next() - 1;
  for (let i = 0; i < n; i++) a[i * n + i] += 2 * Math.sqrt(n);
  const { q } = gramSchmidt(a, n, n);
  // reorthogonalise once (Gram–Schmidt twice is enough)
  return gramSchmidt(q, n, n).q;
}

/** Q·diag(λ)·Qᵀ for an orthogonal Q: a symmetric matrix with eigenvalues λ. */
export function withEigenvalues(q: Float64Array, n: number, lambda: ArrayLike<number>): Float64Array {
  const a = matmul(scaleColumns(q, n, n, lambda), transpose(q, n, n), n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return a;
}
