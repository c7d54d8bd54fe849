/**
 * Derivatives of the linear-algebra ops: every op through `checkDerivatives` (JVP vs finite differences, VJP as the
 * adjoint of the JVP, linearize, second order), the matrix identities of MATH.md ("Matrix derivative identities"), and
 * the closed-form JVP of θ ↦ (μ, L) from MATH.md ("Natural gradient"). Reference values are computed with plain loops.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tensor, type Value, grad, hvp, jvp, ops, vjp, setBackend } from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

// ---------- plain-loop helpers (single n×n matrices, row-major) ----------

function mm(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * k + p] * b[p * m + j];
  return c;
}
const mm3 = (a: Float64Array, b: Float64Array, c: Float64Array, n: number) => mm(mm(a, b, n, n, n), c, n, n, n);

function tr(a: Float64Array, n: number, m = n): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

const add = (a: Float64Array, b: Float64Array) => Float64Array.from(a, (v, i) => v + b[i]);
const sub = (a: Float64Array, b: Float64Array) => Float64Array.from(a, (v, i) => v - b[i]);
const scale = (a: Float64Array, s: number) => Float64Array.from(a, (v) => v * s);
const T = (a: Float64Array, shape: number[]) => new Tensor(a, shape);

/** Inverse by Gauss–Jordan with partial pivoting. */
function invJs(a: Float64Array, n: number): Float64Array {
  const w = a.slice(), x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(w[i * n + k]) > Math.abs(w[p * n + k])) p = i;
    for (const m of [w, x]) for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j], m[k * n + j]];
    const d = w[k * n + k];
    for (const m of [w, x]) for (let j = 0; j < n; j++) m[k * n + j] /= d;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const c = w[i * n + k];
      for (const m of [w, x]) for (let j = 0; j < n; j++) m[i * n + j] -= c * m[k * n + j];
    }
  }
  return x;
}

/** Φ(X) = tril(X) − ½ diag(X). */
function phiJs(x: Float64Array, n: number): Float64Array {
  return Float64Array.from(x, (v, q) => {
    const i = Math.floor(q / n), j = q % n;
    return j < i ? v : j === i ? v / 2 : 0;
  });
}

const trilJs = (x: Float64Array, n: number) => Float64Array.from(x, (v, q) => (q % n <= Math.floor(q / n) ? v : 0));
const symJs = (x: Float64Array, n: number) => scale(add(x, tr(x, n)), 0.5);

/** SPD `B Bᵀ + n I` (batch of them). */
function spd(batch: number[], n: number, next: () => number): Tensor {
  const count = batch.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count * n * n);
  for (let s = 0; s < count; s++) {
    const b = randomTensor([n, n], next).data;
    const a = mm(b, tr(b, n), n, n, n);
    for (let i = 0; i < n; i++) a[i * n + i] += n;
    out.set(a, s * n * n);
  }
  return T(out, [...batch, n, n]);
}

/** Triangular-ish matrices: diagonal of modulus in [1, 2] with random signs, random entries elsewhere (ignored). */
function factorLike(batch: number[], n: number, next: () => number): Tensor {
  const t = randomTensor([...batch, n, n], next);
  const d = t.data.slice();
  for (let s = 0; s < d.length / (n * n); s++) for (let i = 0; i < n; i++) d[s * n * n + i * n + i] = (next() < 0.5 ? -1 : 1) * (1 + next());
  return T(d, [...t.shape]);
}

/** Well-conditioned general matrices that still need pivoting: rows of (R + n I) in a random order. */
function general(batch: number[], n: number, next: () => number): Tensor {
  const count = batch.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count * n * n);
  for (let s = 0; s < count; s++) {
    const r = randomTensor([n, n], next).data;
    for (let i = 0; i < n; i++) r[i * n + i] += n * (next() < 0.5 ? -1 : 1);
    const perm = Array.from({ length: n }, (_, i) => i).sort(() => next() - 0.5);
    for (let i = 0; i < n; i++) out.set(r.subarray(perm[i] * n, perm[i] * n + n), s * n * n + i * n);
  }
  return T(out, [...batch, n, n]);
}

/** Symmetrises every matrix of a batch (a direction for functions of symmetric matrices). */
function symDir(d: Tensor): Tensor {
  const n = d.shape[d.shape.length - 1], nn = n * n, out = d.data.slice();
  for (let s = 0; s < out.length / nn; s++) out.set(symJs(d.data.subarray(s * nn, (s + 1) * nn), n), s * nn);
  return T(out, [...d.shape]);
}

const symOp = (a: Value) => ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5);

// ---------- checkDerivatives for every op ----------

type Gen = (n: number, next: () => number) => Tensor;
interface Case {
  name: string;
  f: (...a: Value[]) => Value;
  args: Gen[];
  symmetric?: boolean[];
  secondOrder?: boolean;
}

const rand = (shape: (n: number) => number[]): Gen => (n, next) => randomTensor(shape(n), next);

const cases: Case[] = [
  { name: 'tril', f: (x) => ops.tril(x), args: [rand((n) => [2, n, n + 1])] },
  { name: 'tril k=-1', f: (x) => ops.tril(x, -1), args: [rand((n) => [n, n])] },
  { name: 'triu k=1', f: (x) => ops.triu(x, 1), args: [rand((n) => [2, n + 1, n])] },
  { name: 'diag', f: (x) => ops.diag(x), args: [rand((n) => [2, n])] },
  { name: 'diagonal', f: (x) => ops.diagonal(x), args: [rand((n) => [3, n, n])] },
  { name: 'trace', f: (x) => ops.trace(x), args: [rand((n) => [2, n, n])] },
  // cholesky reads the lower triangle but its derivative treats A as symmetric: first order along symmetric
  // directions; second order through A ↦ cholesky(½(A + Aᵀ)), which is consistent along every direction.
  { name: 'cholesky (symmetric directions)', f: (a) => ops.cholesky(a), args: [(n, next) => spd([2], n, next)], symmetric: [true], secondOrder: false },
  { name: 'cholesky ∘ sym', f: (a) => ops.cholesky(symOp(a)), args: [(n, next) => spd([2], n, next)] },
  { name: 'triangularSolve lower', f: (l, b) => ops.triangularSolve(l, b), args: [(n, next) => factorLike([], n, next), rand((n) => [n, 2])] },
  { name: 'triangularSolve lower transpose', f: (l, b) => ops.triangularSolve(l, b, { transpose: true }), args: [(n, next) => factorLike([2], n, next), rand((n) => [2, n, 3])] },
  { name: 'triangularSolve upper', f: (l, b) => ops.triangularSolve(l, b, { lower: false }), args: [(n, next) => factorLike([2], n, next), rand((n) => [2, n, 2])] },
  { name: 'triangularSolve upper transpose', f: (l, b) => ops.triangularSolve(l, b, { lower: false, transpose: true }), args: [(n, next) => factorLike([], n, next), rand((n) => [n, 1])] },
  { name: 'triangularSolve vector', f: (l, b) => ops.triangularSolve(l, b), args: [(n, next) => factorLike([2], n, next), rand((n) => [2, n])] },
  { name: 'triangularSolve broadcast', f: (l, b) => ops.triangularSolve(l, b, { transpose: true }), args: [(n, next) => factorLike([2, 1], n, next), rand((n) => [1, 3, n, 2])] },
  { name: 'solve', f: (a, b) => ops.solve(a, b), args: [(n, next) => general([2], n, next), rand((n) => [2, n, 2])] },
  { name: 'solve vector, broadcast', f: (a, b) => ops.solve(a, b), args: [(n, next) => general([], n, next), rand((n) => [n])] },
  { name: 'solve batch broadcast', f: (a, b) => ops.solve(a, b), args: [(n, next) => general([], n, next), rand((n) => [2, n, 3])] },
  { name: 'inv', f: (a) => ops.inv(a), args: [(n, next) => general([2], n, next)] },
  { name: 'logdet', f: (a) => ops.logdet(a), args: [(n, next) => general([3], n, next)] },
  { name: 'choleskyInverse', f: (l) => ops.choleskyInverse(l), args: [(n, next) => factorLike([2], n, next)] },
  { name: 'choleskySolve', f: (l, b) => ops.choleskySolve(l, b), args: [(n, next) => factorLike([], n, next), rand((n) => [n, 2])] },
  { name: 'choleskySolve vector', f: (l, b) => ops.choleskySolve(l, b), args: [(n, next) => factorLike([2], n, next), rand((n) => [2, n])] },
];

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  // every kernel the ops below call runs on this backend, at every size (no crossover)
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  describe('derivatives of the linear-algebra ops (checkDerivatives, second order)', () => {
    for (const c of cases) {
      it(c.name, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
            const next = rng(seed);
            const args = c.args.map((g) => g(n, next));
            checkDerivatives(c.f, args, {
              seed,
              secondOrder: c.secondOrder ?? true,
              direction: c.symmetric ? (i, d) => (c.symmetric![i] ? symDir(d) : d) : undefined,
            });
          }),
          { numRuns: 12 },
        );
      });
    }

    it('closures over constants (symbolic-zero tangents and the needs mask)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
          const next = rng(seed);
          const l = factorLike([], n, next), b = randomTensor([2, n, 2], next), a = general([], n, next);
          for (const f of [
            (x: Value) => ops.triangularSolve(l, x),
            (x: Value) => ops.triangularSolve(l, x, { transpose: true }),
            (x: Value) => ops.solve(a, x),
            (x: Value) => ops.choleskySolve(l, x),
          ]) {
            checkDerivatives(f, [b], { seed, secondOrder: true });
          }
          checkDerivatives((x) => ops.triangularSolve(x, b, { lower: false }), [l], { seed, secondOrder: true });
          checkDerivatives((x) => ops.triangularSolve(x, b, { transpose: true }), [l], { seed, secondOrder: true });
          checkDerivatives((x) => ops.choleskySolve(x, b), [l], { seed, secondOrder: true });
          checkDerivatives((x) => ops.solve(x, b), [a], { seed, secondOrder: true });
        }),
        { numRuns: 6 },
      );
    });
  });

  // ---------- MATH.md identities ----------

  describe('matrix derivative identities (MATH.md)', () => {
    const props = (runs: number, body: (n: number, next: () => number) => void) =>
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => body(n, rng(seed))),
        { numRuns: runs },
      );

    it('cholesky: dL lower, dL Lᵀ + L dLᵀ = dA, dL = L Φ(L⁻¹ dA L⁻ᵀ); a non-symmetric dA acts through ½(dA + dAᵀ)', () => {
      props(30, (n, next) => {
        const a = spd([], n, next);
        const raw = randomTensor([n, n], next);
        const da = symDir(raw);
        const [l, dl] = jvp((x) => ops.cholesky(x), [a], [da]) as [Tensor, Tensor];
        const L = l.data, dL = dl.data;
        expect(Array.from(dL)).toEqual(Array.from(trilJs(dL, n)));
        expectClose(T(add(mm(dL, tr(L, n), n, n, n), mm(L, tr(dL, n), n, n, n)), [n, n]), da, 1e-12, 1e-12, 'dL Lᵀ + L dLᵀ = dA');
        const li = invJs(L, n);
        expectClose(dl, T(mm(L, phiJs(mm3(li, da.data, tr(li, n), n), n), n, n, n), [n, n]), 1e-11, 1e-12, 'L Φ(L⁻¹ dA L⁻ᵀ)');
        const [, dl2] = jvp((x) => ops.cholesky(x), [a], [raw]) as [Tensor, Tensor];
        expectClose(dl2, dl, 1e-14, 1e-14, 'non-symmetric tangent');
      });
    });

    it('cholesky: the gradient is symmetric and equals sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹)', () => {
      props(20, (n, next) => {
        const a = spd([], n, next);
        const lbar = randomTensor([n, n], next);
        const [l, pullback] = vjp((x: Value) => ops.cholesky(x), [a]);
        const [abar] = pullback(lbar) as Tensor[];
        const L = (l as Tensor).data, li = invJs(L, n);
        const expected = symJs(mm3(tr(li, n), phiJs(mm(tr(L, n), lbar.data, n, n, n), n), li, n), n);
        expectClose(abar, T(expected, [n, n]), 1e-11, 1e-12, 'Ā');
        expect(Array.from(abar.data)).toEqual(Array.from(tr(abar.data, n)));
      });
    });

    it('triangular solve: dX = L⁻¹(dB − dL X), dL masked to the lower triangle', () => {
      props(30, (n, next) => {
        const l = factorLike([], n, next), b = randomTensor([n, 3], next);
        const dl = randomTensor([n, n], next), db = randomTensor([n, 3], next);
        const [x, dx] = jvp((p: Value, q: Value) => ops.triangularSolve(p, q), [l, b], [dl, db]) as [Tensor, Tensor];
        const li = invJs(trilJs(l.data, n), n);
        const expected = mm(li, sub(db.data, mm(trilJs(dl.data, n), x.data, n, n, 3)), n, n, 3);
        expectClose(dx, T(expected, [n, 3]), 1e-11, 1e-12, 'dX');
      });
    });

    it('inverse: d(A⁻¹) = −A⁻¹ dA A⁻¹; solve: dX = A⁻¹(dB − dA X)', () => {
      props(30, (n, next) => {
        const a = general([], n, next), da = randomTensor([n, n], next);
        const [ai, dai] = jvp((x: Value) => ops.inv(x), [a], [da]) as [Tensor, Tensor];
        expectClose(dai, T(scale(mm3(ai.data, da.data, ai.data, n), -1), [n, n]), 1e-11, 1e-12, 'd(A⁻¹)');
        const b = randomTensor([n, 2], next), db = randomTensor([n, 2], next);
        const [x, dx] = jvp((p: Value, q: Value) => ops.solve(p, q), [a, b], [da, db]) as [Tensor, Tensor];
        const ainv = invJs(a.data, n);
        expectClose(dx, T(mm(ainv, sub(db.data, mm(da.data, x.data, n, n, 2)), n, n, 2), [n, 2]), 1e-11, 1e-12, 'dX');
      });
    });

    it('log-determinant: d logdet = tr(A⁻¹ dA) = 2 Σ dLᵢᵢ / Lᵢᵢ; its Hessian-vector product is −A⁻ᵀ dAᵀ A⁻ᵀ', () => {
      props(30, (n, next) => {
        const a = general([], n, next), da = randomTensor([n, n], next);
        const [, d] = jvp((x: Value) => ops.logdet(x), [a], [da]) as [Tensor, Tensor];
        const prod = mm(invJs(a.data, n), da.data, n, n, n);
        let trace = 0;
        for (let i = 0; i < n; i++) trace += prod[i * n + i];
        expect(Math.abs(d.item() - trace)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(trace)));
        // SPD: through the Cholesky JVP
        const p = spd([], n, next), dp = symDir(randomTensor([n, n], next));
        const [l, dl] = jvp((x: Value) => ops.cholesky(x), [p], [dp]) as [Tensor, Tensor];
        let viaL = 0;
        for (let i = 0; i < n; i++) viaL += (2 * dl.data[i * n + i]) / l.data[i * n + i];
        const [, dld] = jvp((x: Value) => ops.logdet(x), [p], [dp]) as [Tensor, Tensor];
        expect(Math.abs(dld.item() - viaL)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(viaL)));
        // forward-over-reverse: H·dA = d(A⁻ᵀ) = −A⁻ᵀ dAᵀ A⁻ᵀ
        const h = hvp((x) => ops.logdet(x), a, da) as Tensor;
        const ait = tr(invJs(a.data, n), n);
        expectClose(h, T(scale(mm3(ait, tr(da.data, n), ait, n), -1), [n, n]), 1e-10, 1e-12, 'hvp');
      });
    });

    it('cholesky inverse: d(L Lᵀ)⁻¹ = −Y (dL Lᵀ + L dLᵀ) Y', () => {
      props(30, (n, next) => {
        const l = factorLike([], n, next), dl = randomTensor([n, n], next);
        const [y, dy] = jvp((x: Value) => ops.choleskyInverse(x), [l], [dl]) as [Tensor, Tensor];
        const L = trilJs(l.data, n), dL = trilJs(dl.data, n);
        const inner = add(mm(dL, tr(L, n), n, n, n), mm(L, tr(dL, n), n, n, n));
        expectClose(dy, T(scale(mm3(y.data, inner, y.data, n), -1), [n, n]), 1e-11, 1e-12, 'dY');
        expect(Array.from(dy.data)).toEqual(Array.from(tr(dy.data, n)));
      });
    });

    it('reverse-over-reverse: the gradient of ⟨V, ∇ logdet(A)⟩ is −A⁻ᵀ Vᵀ A⁻ᵀ', () => {
      props(10, (n, next) => {
        const a = general([], n, next), v = randomTensor([n, n], next);
        const g = grad((x: Value) => ops.sum(ops.mul(grad((y: Value) => ops.logdet(y))(x), v)))(a) as Tensor;
        const ait = tr(invJs(a.data, n), n);
        expectClose(g, T(scale(mm3(ait, tr(v.data, n), ait, n), -1), [n, n]), 1e-10, 1e-12, 'grad of grad');
      });
    });
  });

  // ---------- natural parameters ----------

  describe('JVP of θ ↦ (μ, L) (MATH.md, natural gradient closed form)', () => {
    const toMeanChol = {
      'Σ = inv(−2θ₂)': (t1: Value, t2: Value) => {
        const sigma = ops.inv(ops.mul(t2, -2));
        return [ops.matmul(sigma, t1), ops.cholesky(sigma)];
      },
      'Σ = choleskyInverse(cholesky(−2θ₂))': (t1: Value, t2: Value) => {
        const sigma = ops.choleskyInverse(ops.cholesky(ops.mul(t2, -2)));
        return [ops.matmul(sigma, t1), ops.cholesky(sigma)];
      },
    };
    for (const [name, f] of Object.entries(toMeanChol)) {
      it(`dμ = Σ(dθ₁ + 2 dθ₂ μ), dL = L Φ(2 Lᵀ dθ₂ L) to 1e-10, D = 1..6 (${name})`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (D, seed) => {
            const next = rng(seed);
            const sigma = spd([], D, next).data.map((v) => v / D);
            const mu = randomTensor([D], next).data;
            const lambda = symJs(invJs(sigma, D), D);
            const theta1 = T(mm(lambda, mu, D, D, 1), [D]);
            const theta2 = T(scale(lambda, -0.5), [D, D]);
            const dt1 = randomTensor([D], next);
            const dt2 = symDir(randomTensor([D, D], next));
            const [[m, l], [dm, dl]] = jvp(f, [theta1, theta2], [dt1, dt2]) as [Tensor[], Tensor[]];
            const L = l.data, S = mm(L, tr(L, D), D, D, D);
            const dmExpected = mm(S, add(dt1.data, scale(mm(dt2.data, m.data, D, D, 1), 2)), D, D, 1);
            const dlExpected = mm(L, phiJs(scale(mm3(tr(L, D), dt2.data, L, D), 2), D), D, D, D);
            expectClose(dm, T(dmExpected, [D]), 1e-10, 1e-10, 'dμ');
            expectClose(dl, T(dlExpected, [D, D]), 1e-10, 1e-10, 'dL');
            // and the primal is right: μ = Σ θ₁ with Σ = (−2θ₂)⁻¹
            expectClose(m, T(mu, [D]), 1e-10, 1e-12, 'μ');
          }),
          { numRuns: 30 },
        );
      });
    }
  });
});
