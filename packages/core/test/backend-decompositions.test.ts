/**
 * The decomposition kernels of the backend (syev, geqrf + orgqr, gesvj) against independent references
 * (util/eigen-reference.ts: textbook cyclic Jacobi, modified Gram–Schmidt) and against the identities they promise —
 * reconstruction and orthogonality at a few ulps × n — on matrices embedded at offsets with wider leading dimensions
 * (guard entries must survive, unread triangles may hold junk), at sizes 0, 1, odd sizes and larger ones; and on the
 * hard inputs: repeated eigenvalues, rank deficiency, graded and ill-conditioned matrices, entries near overflow and
 * underflow. Both implementations (JavaScript and WebAssembly SIMD) are held to the same tests, and to each other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DenseKernels } from '../src/backend/kernels.js';
import { KERNELS } from '../src/backend/registry.js';
import { rng } from './util/check.js';
import { GUARD, embed, extract, guardsIntact, lu, matmul, spd, transpose, uniform } from './util/dense-reference.js';
import {
  EPS, gramSchmidt, jacobiEigen, maxAbs, maxDiff, orthogonalityError, randomOrthogonal, referenceSingularValues,
  scaleColumns, withEigenvalues,
} from './util/eigen-reference.js';

const pick = (side: 'js' | 'wasm') =>
  Object.fromEntries(Object.entries(KERNELS).map(([k, e]) => [k, e[side]])) as unknown as DenseKernels;
const BACKENDS = [['js', pick('js')], ['wasm', pick('wasm')]] as const;

const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 33, 64];
const layout = fc.record({ off: fc.integer({ min: 0, max: 5 }), pad: fc.integer({ min: 0, max: 3 }) });

function symmetric(n: number, next: () => number): Float64Array {
  const b = uniform(n * n, next), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j] + b[j * n + i];
  return a;
}

/** Runs syev on the lower triangle of `a` (junk above, embedded); checks guards and returns w and V. */
function runSyev(K: DenseKernels, a: Float64Array, n: number, off = 0, pad = 0): { w: Float64Array; v: Float64Array; info: number } {
  const stored = a.slice();
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) stored[i * n + j] = 777; // must not be read
  const A = embed(stored, n, n, off, pad);
  const w = new Float64Array(n + 2).fill(GUARD);
  const info = K.syev(true, n, A.data, A.off, A.ld, w, 1);
  expect(guardsIntact(A)).toBe(true);
  expect([w[0], w[n + 1]]).toEqual([GUARD, GUARD]);
  return { w: w.slice(1, n + 1), v: extract(A), info };
}

/** max |A V − V diag(w)| / (n ε max|w|) and max |VᵀV − I| / (n ε): the two quality measures of an eigensolver. */
function eigenQuality(a: Float64Array, n: number, w: Float64Array, v: Float64Array): { residual: number; orthogonality: number } {
  if (n === 0) return { residual: 0, orthogonality: 0 };
  const av = matmul(a, v, n, n, n), vw = scaleColumns(v, n, n, w);
  const scale = Math.max(maxAbs(w), Number.MIN_VALUE);
  return { residual: maxDiff(av, vw) / (Math.max(1, n) * EPS * scale), orthogonality: orthogonalityError(v, n, n) / (Math.max(1, n) * EPS) };
}

describe.each(BACKENDS)('%s backend', (_name, K) => {
  describe('syev', () => {
    it('A V = V diag(w) and VᵀV = I to a few n·ε; w ascending and equal to cyclic Jacobi; only the lower triangle read', () => {
      fc.assert(
        fc.property(fc.constantFrom(...SIZES), layout, fc.integer(), (n, lay, seed) => {
          const a = symmetric(n, rng(seed));
          const { w, v, info } = runSyev(K, a, n, lay.off, lay.pad);
          expect(info).toBe(-1);
          const q = eigenQuality(a, n, w, v);
          expect(q.residual).toBeLessThanOrEqual(4);
          expect(q.orthogonality).toBeLessThanOrEqual(4);
          for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
          const ref = jacobiEigen(a, n).w;
          expect(maxDiff(w, ref)).toBeLessThanOrEqual(8 * Math.max(1, n) * EPS * Math.max(1, maxAbs(ref)));
        }),
        { numRuns: 40 },
      );
    });

    it('without vectors: the same eigenvalues bit for bit, and A is not written', () => {
      for (const n of [1, 6, 33]) {
        const a = symmetric(n, rng(n));
        const { w } = runSyev(K, a, n);
        const copy = a.slice(), w2 = new Float64Array(n);
        expect(K.syev(false, n, copy, 0, n, w2, 0)).toBe(-1);
        expect(w2).toEqual(w);
        expect(copy).toEqual(a);
      }
    });

    it('0×0 and 1×1', () => {
      const w = new Float64Array(1);
      expect(K.syev(true, 0, new Float64Array(0), 0, 0, w, 0)).toBe(-1);
      const a = new Float64Array([-3.5]);
      expect(K.syev(true, 1, a, 0, 1, w, 0)).toBe(-1);
      expect([w[0], a[0]]).toEqual([-3.5, 1]);
    });

    it('closed forms: 2×2, and the tridiagonal Toeplitz matrix with eigenvalues 2 − 2cos(kπ/(n+1))', () => {
      const { w } = runSyev(K, new Float64Array([2, 1, 1, 2]), 2);
      expect(maxDiff(w, [1, 3])).toBeLessThanOrEqual(4 * EPS);
      for (const n of [5, 40]) {
        const t = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          t[i * n + i] = 2;
          if (i > 0) t[i * n + i - 1] = t[(i - 1) * n + i] = -1;
        }
        const exact = Float64Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
        expect(maxDiff(runSyev(K, t, n).w, exact)).toBeLessThanOrEqual(4 * n * EPS * 4);
      }
    });

    it('repeated eigenvalues (I, diag with repeats, Q·diag·Qᵀ with a repeated cluster): orthonormal V, exact values', () => {
      for (const n of [1, 4, 17]) {
        const eye = new Float64Array(n * n);
        for (let i = 0; i < n; i++) eye[i * n + i] = 1;
        const { w, v } = runSyev(K, eye, n);
        expect(Array.from(w)).toEqual(Array(n).fill(1));
        expect(orthogonalityError(v, n, n)).toBe(0);
      }
      fc.assert(
        fc.property(fc.constantFrom(3, 8, 20, 33), fc.integer(), (n, seed) => {
          const next = rng(seed);
          const lambda = Array.from({ length: n }, (_, i) => (i < n / 2 ? -2 : i < (3 * n) / 4 ? 5 : i));
          const a = withEigenvalues(randomOrthogonal(n, next), n, lambda);
          const { w, v } = runSyev(K, a, n);
          const q = eigenQuality(a, n, w, v);
          expect(q.residual).toBeLessThanOrEqual(8);
          expect(q.orthogonality).toBeLessThanOrEqual(4);
          expect(maxDiff(w, lambda.slice().sort((x, y) => x - y))).toBeLessThanOrEqual(8 * n * EPS * n);
        }),
        { numRuns: 20 },
      );
    });

    it('graded and ill-conditioned spectra (eigenvalues from 1 down to 1e-15, either sign), and scales near overflow and underflow', () => {
      for (const n of [6, 30]) {
        const next = rng(n);
        const lambda = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * 10 ** (-(15 * i) / (n - 1)));
        const a = withEigenvalues(randomOrthogonal(n, next), n, lambda);
        const { w, v } = runSyev(K, a, n);
        const q = eigenQuality(a, n, w, v);
        expect(q.residual).toBeLessThanOrEqual(8);
        expect(q.orthogonality).toBeLessThanOrEqual(4);
        for (const s of [2 ** 600, 1e-300, 3e300]) {
          const scaled = a.map((x) => x * s);
          const r = runSyev(K, scaled, n);
          expect(r.w.every(Number.isFinite)).toBe(true);
          expect(maxDiff(r.w.map((x) => x / s), w)).toBeLessThanOrEqual(8 * n * EPS);
          expect(orthogonalityError(r.v, n, n)).toBeLessThanOrEqual(4 * n * EPS);
        }
      }
    });
  });

  describe('geqrf + orgqr', () => {
    /** QR of the m×n `a` embedded; returns Q (m×k), R (k×n), the reflector block and checks guards. */
    function runQr(m: number, n: number, a: Float64Array, off: number, pad: number): { q: Float64Array; r: Float64Array } {
      const k = Math.min(m, n);
      const A = embed(a, m, n, off, pad);
      const tau = new Float64Array(k + 2).fill(GUARD);
      K.geqrf(m, n, A.data, A.off, A.ld, tau, 1);
      expect([tau[0], tau[k + 1]]).toEqual([GUARD, GUARD]);
      const f = extract(A);
      const r = new Float64Array(k * n);
      for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = f[i * n + j];
      K.orgqr(m, k, k, A.data, A.off, A.ld, tau, 1);
      expect(guardsIntact(A)).toBe(true);
      const full = extract(A), q = new Float64Array(m * k);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) q[i * k + j] = full[i * n + j];
      return { q, r };
    }

    it('A = QR and QᵀQ = I to a few n·ε, tall, square and wide, embedded; R equals Gram–Schmidt R up to row signs', () => {
      fc.assert(
        fc.property(fc.constantFrom(...SIZES), fc.constantFrom(...SIZES), layout, fc.integer(), (m, n, lay, seed) => {
          const a = uniform(m * n, rng(seed));
          const k = Math.min(m, n);
          const { q, r } = runQr(m, n, a, lay.off, lay.pad);
          expect(maxDiff(matmul(q, r, m, k, n), a)).toBeLessThanOrEqual(4 * Math.max(1, m, n) * EPS * Math.max(1, maxAbs(a)));
          expect(orthogonalityError(q, m, k)).toBeLessThanOrEqual(4 * Math.max(1, m) * EPS);
          if (m >= n && n > 0) {
            const gs = gramSchmidt(a, m, n);
            const signed = Float64Array.from(r, (x, i) => x * Math.sign(r[Math.floor(i / n) * n + Math.floor(i / n)]));
            expect(maxDiff(signed, gs.r)).toBeLessThanOrEqual(1e-10 * Math.max(1, maxAbs(gs.r)));
          }
        }),
        { numRuns: 60 },
      );
    });

    it('the blocked path (min(m, n) ≥ 128 in WebAssembly): A = QR, QᵀQ = I, R equal to the unblocked one', () => {
      for (const [m, n] of [[128, 128], [170, 130], [130, 200], [200, 96]]) {
        const a = uniform(m * n, rng(m + n));
        const k = Math.min(m, n);
        const { q, r } = runQr(m, n, a, 1, 2);
        expect(maxDiff(matmul(q, r, m, k, n), a)).toBeLessThanOrEqual(8 * Math.max(m, n) * EPS * maxAbs(a));
        expect(orthogonalityError(q, m, k)).toBeLessThanOrEqual(4 * m * EPS);
        const ref = a.slice(), tau = new Float64Array(k);
        KERNELS.geqrf.js(m, n, ref, 0, n, tau, 0);
        const rRef = Float64Array.from(r, (_, i) => (i % n >= Math.floor(i / n) ? ref[i] : 0));
        expect(maxDiff(r, rRef)).toBeLessThanOrEqual(1e-12 * maxAbs(rRef));
      }
    });

    it("LAPACK's sign convention: R[k][k] = −sign(α)·‖x‖ (α the pivot entry it was built from)", () => {
      const { r } = runQr(3, 2, new Float64Array([3, 1, 4, 1, 0, 5]), 0, 0);
      expect(r[0]).toBeCloseTo(-5, 14); // column (3, 4, 0): α = 3 > 0
      const neg = runQr(2, 2, new Float64Array([-3, 1, 4, 2]), 0, 0).r;
      expect(neg[0]).toBeCloseTo(5, 14);
    });

    it('rank-deficient and zero matrices: still A = QR with orthonormal Q (a zero column gets τ = 0)', () => {
      for (const [m, n] of [[6, 4], [4, 6], [5, 5]]) {
        const next = rng(m * n);
        const b = uniform(m * 2, next), c = uniform(2 * n, next);
        const a = matmul(b, c, m, 2, n); // rank 2
        const k = Math.min(m, n);
        for (const x of [a, new Float64Array(m * n)]) {
          const { q, r } = runQr(m, n, x, 1, 1);
          expect(maxDiff(matmul(q, r, m, k, n), x)).toBeLessThanOrEqual(8 * m * EPS * Math.max(1, maxAbs(x)));
          expect(orthogonalityError(q, m, k)).toBeLessThanOrEqual(4 * m * EPS);
        }
      }
    });

    it('entries near overflow and underflow are scaled exactly (R scales with A, Q does not change)', () => {
      const a = uniform(5 * 3, rng(9));
      const base = runQr(5, 3, a, 0, 0);
      for (const s of [2 ** 700, 2 ** -700]) {
        const { q, r } = runQr(5, 3, a.map((x) => x * s), 0, 0);
        expect(maxDiff(q, base.q)).toBeLessThanOrEqual(4 * EPS);
        expect(maxDiff(r.map((x) => x / s), base.r)).toBeLessThanOrEqual(8 * EPS);
      }
    });
  });

  describe('gesvj', () => {
    /** G = Wᵀ diag(s) Y on the r×c `g` embedded; returns s, Y, W. */
    function runSvd(r: number, c: number, g: Float64Array, off = 0, pad = 0): { s: Float64Array; y: Float64Array; w: Float64Array } {
      const G = embed(g, r, c, off, pad), W = embed(new Float64Array(r * r), r, r, pad, off);
      const s = new Float64Array(r + 2).fill(GUARD);
      expect(K.gesvj(true, r, c, G.data, G.off, G.ld, s, 1, W.data, W.off, W.ld)).toBe(-1);
      expect([s[0], s[r + 1]]).toEqual([GUARD, GUARD]);
      expect(guardsIntact(G) && guardsIntact(W)).toBe(true);
      return { s: s.slice(1, r + 1), y: extract(G), w: extract(W) };
    }

    function check(r: number, c: number, g: Float64Array, s: Float64Array, y: Float64Array, w: Float64Array, tol = 4): void {
      const us = matmul(transpose(w, r, r), diagTimes(s, y, r, c), r, r, c);
      expect(maxDiff(us, g)).toBeLessThanOrEqual(tol * Math.max(1, c) * EPS * maxAbs(s));
      expect(orthogonalityError(transpose(w, r, r), r, r)).toBeLessThanOrEqual(tol * Math.max(1, c) * EPS);
      expect(orthogonalityError(transpose(y, r, c), c, r)).toBeLessThanOrEqual(tol * Math.max(1, c) * EPS);
      for (let i = 1; i < r; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    }

    it('G = Wᵀ diag(s) Y with W, Y orthonormal to a few ε·√c, s descending and equal to the Jacobi eigen-reference', () => {
      fc.assert(
        fc.property(fc.constantFrom(...SIZES), fc.integer({ min: 0, max: 20 }), layout, fc.integer(), (r, extra, lay, seed) => {
          const c = r + extra;
          const g = uniform(r * c, rng(seed));
          const { s, y, w } = runSvd(r, c, g, lay.off, lay.pad);
          check(r, c, g, s, y, w);
          const ref = referenceSingularValues(g, r, c);
          // σ from the eigenvalues of GGᵀ is accurate to ε·σ₀²/σ only, so compare absolutely
          expect(maxDiff(s, ref)).toBeLessThanOrEqual(1e-7 * Math.max(1, maxAbs(ref)));
        }),
        { numRuns: 50 },
      );
    });

    it('rank-deficient and zero matrices: zero singular values, and their rows of Y completed to an orthonormal set', () => {
      for (const [r, c, rank] of [[5, 8, 2], [6, 6, 1], [4, 4, 0], [3, 9, 3]]) {
        const next = rng(r * c + rank);
        const g = matmul(uniform(r * rank, next), uniform(rank * c, next), r, rank, c);
        const { s, y, w } = runSvd(r, c, g, 2, 1);
        check(r, c, g, s, y, w, 8);
        for (let i = rank; i < r; i++) expect(s[i]).toBeLessThanOrEqual(16 * c * EPS * Math.max(1, s[0] ?? 0));
      }
    });

    it('graded columns: tiny singular values keep their relative accuracy (Π σᵢ = |det B|·Π dᵢ to 1e-12 for A = B·D)', () => {
      for (const n of [4, 8]) {
        const next = rng(40 + n);
        const b = uniform(n * n, next);
        for (let i = 0; i < n; i++) b[i * n + i] += 3;
        const d = Array.from({ length: n }, (_, i) => 10 ** (-(15 * i) / (n - 1)));
        const a = scaleColumns(b, n, n, d);
        // rows of Aᵀ are the columns of A = B·D
        const { s } = runSvd(n, n, transpose(a, n, n));
        const f = lu(b, n);
        let logDet = 0;
        for (let i = 0; i < n; i++) logDet += Math.log(Math.abs(f.lu[i * n + i])) + Math.log(d[i]);
        const logProd = s.reduce((acc, x) => acc + Math.log(x), 0);
        expect(Math.abs(logProd - logDet)).toBeLessThanOrEqual(1e-12 * n);
        expect(s[n - 1]).toBeLessThan(1e-14);
      }
    });

    it('without vectors: the same singular values; W is not written', () => {
      const g = uniform(4 * 7, rng(3));
      const ref = runSvd(4, 7, g).s;
      const w = new Float64Array(16).fill(5), s = new Float64Array(4);
      expect(K.gesvj(false, 4, 7, g.slice(), 0, 7, s, 0, w, 0, 4)).toBe(-1);
      expect(maxDiff(s, ref)).toBeLessThanOrEqual(4 * EPS * ref[0]);
      expect(Array.from(w)).toEqual(Array(16).fill(5));
    });

    it('SPD input: singular values are the eigenvalues (two unrelated kernels agree)', () => {
      const n = 12, a = spd(n, rng(5));
      const { s } = runSvd(n, n, a);
      const { w } = runSyev(K, a, n);
      expect(maxDiff(s, Array.from(w).reverse())).toBeLessThanOrEqual(8 * n * EPS * maxAbs(w));
    });
  });
});

/** diag(s)·Y for the r×c Y. */
function diagTimes(s: Float64Array, y: Float64Array, r: number, c: number): Float64Array {
  return Float64Array.from(y, (v, i) => v * s[Math.floor(i / c)]);
}

describe('the JavaScript and WebAssembly kernels agree (≤ 1e-12 relative), at sizes across the crossovers', () => {
  const [js, wasm] = [BACKENDS[0][1], BACKENDS[1][1]];
  const rel = (x: Float64Array, y: Float64Array) => maxDiff(x, y) / Math.max(1, maxAbs(y));

  it('syev, geqrf + orgqr, gesvj', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 5, 9, 16, 33, 70, 130), fc.integer(), (n, seed) => {
        const a = symmetric(n, rng(seed));
        const e1 = runSyev(js, a, n), e2 = runSyev(wasm, a, n);
        expect(rel(e2.w, e1.w)).toBeLessThanOrEqual(1e-12);
        expect(rel(e2.v, e1.v)).toBeLessThanOrEqual(1e-10); // eigenvectors: up to sign, well separated here
        const b = uniform(n * (n + 3), rng(seed + 1));
        const qr = [js, wasm].map((K) => {
          const x = b.slice(), tau = new Float64Array(n);
          K.geqrf(n + 3, n, x, 0, n, tau, 0);
          const r = x.slice();
          K.orgqr(n + 3, n, n, x, 0, n, tau, 0);
          return [r, x];
        });
        expect(rel(qr[1][0], qr[0][0])).toBeLessThanOrEqual(1e-12);
        expect(rel(qr[1][1], qr[0][1])).toBeLessThanOrEqual(1e-12);
        const sv = [js, wasm].map((K) => {
          const g = b.slice(), s = new Float64Array(n), w = new Float64Array(n * n);
          expect(K.gesvj(true, n, n + 3, g, 0, n + 3, s, 0, w, 0, n)).toBe(-1);
          return s;
        });
        expect(rel(sv[1], sv[0])).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 14 },
    );
  });
});
