/**
 * The options the linear-algebra rules use, exposed (issue 14, item 5): the upper Cholesky factor, triangular solves
 * from the right and with a unit diagonal, and `solve` with `assumeA: 'pos' | 'gen'`. Each against an independent
 * route (the transpose of the lower factor, the left solve of the transposed system, explicit ones on the diagonal,
 * the LU solve), through `checkDerivatives` to second order on both backends, and with typed errors for bad options.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError, NonFiniteError, NotPositiveDefiniteError, ShapeError, SingularMatrixError, Tensor, type Value, grad,
  jvp, ops, setBackend,
} from '@natgrad/core';
import { checkDerivatives, expectClose, randomTensor, rng } from './util/check.js';

const T = (a: Float64Array, shape: number[]) => new Tensor(a, shape);
const symOp = (a: Value) => ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5);

/** SPD batch B Bᵀ + n I. */
function spd(batch: number[], n: number, next: () => number): Tensor {
  const b = randomTensor([...batch, n, n], next);
  return ops.add(ops.matmul(b, b, { transposeB: true }), ops.mul(ops.eye(n), n)) as Tensor;
}

/** Triangular-friendly: diagonal of modulus in [1, 2] with random signs, random entries elsewhere. */
function factorLike(batch: number[], n: number, next: () => number): Tensor {
  const t = randomTensor([...batch, n, n], next);
  const d = t.data.slice();
  for (let s = 0; s < d.length / (n * n); s++) for (let i = 0; i < n; i++) d[s * n * n + i * n + i] = (next() < 0.5 ? -1 : 1) * (1 + next());
  return T(d, [...t.shape]);
}

/** A copy of every matrix of `x` with the entries strictly above (or below) the diagonal replaced by `junk`. */
function withJunk(x: Tensor, above: boolean, junk: number): Tensor {
  const n = x.shape[x.shape.length - 1], d = x.data.slice();
  for (let q = 0; q < d.length; q++) {
    const i = Math.floor(q / n) % n, j = q % n;
    if (above ? j > i : j < i) d[q] = junk;
  }
  return T(d, [...x.shape]);
}

function symDir(d: Tensor): Tensor {
  return symOp(d) as Tensor;
}

const property = (runs: number, body: (n: number, next: () => number, seed: number) => void) =>
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => body(n, rng(seed), seed)),
    { numRuns: runs },
  );

describe.each(['js', 'wasm'] as const)('%s backend', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  describe('cholesky(a, { upper: true })', () => {
    it('is the transpose of the lower factor, satisfies UᵀU = A, and reads only the upper triangle', () => {
      property(20, (n, next) => {
        const a = spd([2], n, next);
        const u = ops.cholesky(withJunk(a, false, NaN), { upper: true }) as Tensor;
        const l = ops.cholesky(withJunk(a, true, NaN)) as Tensor;
        expectClose(u, ops.matrixTranspose(l) as Tensor, 1e-13, 1e-13, 'U = Lᵀ');
        expectClose(ops.matmul(u, u, { transposeA: true }) as Tensor, a, 1e-13, 1e-13, 'UᵀU = A');
        for (let q = 0; q < u.size; q++) if (Math.floor(q / n) % n > q % n) expect(u.data[q]).toBe(0);
      });
    });

    it('derivatives: second order through sym, first order along symmetric directions, equal to those of Lᵀ', () => {
      property(10, (n, next, seed) => {
        const a = spd([2], n, next);
        checkDerivatives((x) => ops.cholesky(symOp(x), { upper: true }), [a], { seed, secondOrder: true });
        checkDerivatives((x) => ops.cholesky(x, { upper: true }), [a], { seed, direction: (_, d) => symDir(d) });
        const d = symDir(randomTensor([2, n, n], next));
        const [, du] = jvp((x: Value) => ops.cholesky(x, { upper: true }), [a], [d]);
        const [, dl] = jvp((x: Value) => ops.cholesky(x), [a], [d]);
        expectClose(du as Tensor, ops.matrixTranspose(dl) as Tensor, 1e-11, 1e-12, 'dU = dLᵀ');
        const w = randomTensor([2, n, n], next);
        const gu = grad((x: Value) => ops.sum(ops.mul(ops.cholesky(x, { upper: true }), w)))(a) as Tensor;
        const gl = grad((x: Value) => ops.sum(ops.mul(ops.matrixTranspose(ops.cholesky(x)), w)))(a) as Tensor;
        expectClose(gu, gl, 1e-11, 1e-12, 'gradient of U = gradient of Lᵀ');
        expectClose(gu, ops.matrixTranspose(gu) as Tensor, 0, 1e-14, 'the gradient is symmetric');
      });
    });

    it('a failing pivot, NaN in the upper triangle, and bad options are typed errors', () => {
      const a = Tensor.from([[1, 2], [2, 1]]);
      expect(() => ops.cholesky(a, { upper: true })).toThrow(NotPositiveDefiniteError);
      expect(() => ops.cholesky(Tensor.from([[1, NaN], [0, 1]]), { upper: true })).toThrow(NonFiniteError);
      expect(ops.cholesky(Tensor.from([[4, 0], [NaN, 9]]), { upper: true }).toArray()).toEqual([[2, 0], [0, 3]]);
      expect(() => ops.cholesky(a, { upper: 'yes' } as never)).toThrow(/cholesky: option upper must be true or false/);
      expect(() => ops.cholesky(a, { lower: true } as never)).toThrow(/cholesky: unknown option 'lower'/);
    });
  });

  describe('triangularSolve: left: false and unitDiagonal', () => {
    const combos = [false, true].flatMap((left) => [false, true].flatMap((lower) => [false, true].flatMap((transpose) => [false, true].map((unit) => ({ left, lower, transpose, unit })))));

    it('X op(T) = B is the transpose of op(T)ᵀ Xᵀ = Bᵀ, and a unit diagonal is not read (NaN there is fine)', () => {
      property(20, (n, next) => {
        for (const { left, lower, transpose, unit } of combos) {
          const t = factorLike([2], n, next), m = 1 + Math.floor(3 * next());
          const b = randomTensor(left ? [2, n, m] : [2, m, n], next);
          const stored = unit ? withJunk(T(t.data.map((v, q) => (Math.floor(q / n) % n === q % n ? NaN : v)), [2, n, n]), lower, 7) : withJunk(t, lower, 7);
          const x = ops.triangularSolve(stored, b, { left, lower, transpose, unitDiagonal: unit }) as Tensor;
          // the matrix actually solved with: the triangle read, with ones on the diagonal for unit
          const tri = (lower ? ops.tril(t) : ops.triu(t)) as Tensor;
          const full = unit ? (ops.add(ops.sub(tri, ops.mul(ops.eye(n), t)), ops.eye(n)) as Tensor) : tri;
          const op = transpose ? ops.matrixTranspose(full) : full;
          const residual = left ? ops.matmul(op, x) : ops.matmul(x, op);
          expectClose(residual as Tensor, b, 1e-11, 1e-11, `residual (left ${left}, lower ${lower}, transpose ${transpose}, unit ${unit})`);
          if (!left) {
            const viaLeft = ops.triangularSolve(stored, ops.matrixTranspose(b), { lower, transpose: !transpose, unitDiagonal: unit });
            expectClose(x, ops.matrixTranspose(viaLeft) as Tensor, 1e-12, 1e-12, 'right solve = transposed left solve');
          }
        }
      });
    });

    it('a vector right-hand side from the right is a row', () => {
      const t = Tensor.from([[2, 0], [1, 4]]);
      const x = ops.triangularSolve(t, [4, 8], { left: false }) as Tensor; // x T = b: [x0·2 + x1·1, x1·4] = [4, 8]
      expect(x.toArray()).toEqual([1, 2]);
      expect(ops.triangularSolve(ops.stack([t, t]), Tensor.from([[4, 8], [2, 4]]), { left: false }).toArray()).toEqual([[1, 2], [0.5, 1]]);
    });

    it('derivatives of every combination, second order, with broadcasting', () => {
      property(4, (n, next, seed) => {
        for (const { left, lower, transpose, unit } of combos) {
          const t = factorLike([2, 1], n, next), m = 2;
          const b = randomTensor(left ? [1, 3, n, m] : [1, 3, m, n], next);
          checkDerivatives((x, y) => ops.triangularSolve(x, y, { left, lower, transpose, unitDiagonal: unit }), [t, b], { seed, secondOrder: true });
        }
      });
    });

    it('the derivative with respect to T is masked to the part read (no diagonal with unitDiagonal)', () => {
      const t = factorLike([], 4, rng(3)), b = randomTensor([4, 2], rng(4));
      for (const { left, lower, transpose, unit } of combos) {
        const rhs = left ? b : ops.matrixTranspose(b);
        const g = grad((x: Value) => ops.sum(ops.triangularSolve(x, rhs, { left, lower, transpose, unitDiagonal: unit })))(t) as Tensor;
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            const read = i === j ? !unit : lower ? j < i : j > i;
            if (!read) expect(g.data[i * 4 + j] === 0, `entry (${i}, ${j}) is not read`).toBe(true);
          }
        }
      }
    });

    it('errors: shapes from the right, a zero diagonal, bad options', () => {
      const t = Tensor.from([[1, 0], [1, 1]]);
      expect(() => ops.triangularSolve(t, Tensor.zeros([2, 3]), { left: false })).toThrow(ShapeError);
      expect(() => ops.triangularSolve(t, Tensor.zeros([3, 2]), { left: false })).not.toThrow();
      expect(() => ops.triangularSolve(Tensor.from([[0, 0], [1, 1]]), [1, 1], { left: false })).toThrow(SingularMatrixError);
      expect(() => ops.triangularSolve(Tensor.from([[0, 0], [1, 0]]), [1, 1], { unitDiagonal: true })).not.toThrow();
      expect(() => ops.triangularSolve(t, [1, 1], { unitDiagonal: 1 } as never)).toThrow(InvalidArgumentError);
      expect(() => ops.triangularSolve(t, [1, 1], { right: true } as never)).toThrow(/unknown option 'right'/);
    });
  });

  describe("solve(a, b, { assumeA: 'pos' | 'gen' })", () => {
    it("'pos' equals 'gen' on SPD matrices and reads only the chosen triangle", () => {
      property(20, (n, next) => {
        const a = spd([2], n, next), b = randomTensor([3, 2, n, 2], next);
        const gen = ops.solve(a, b) as Tensor;
        expectClose(ops.solve(a, b, { assumeA: 'gen' }) as Tensor, gen, 0, 0, "'gen' is the default");
        expectClose(ops.solve(withJunk(a, true, NaN), b, { assumeA: 'pos' }) as Tensor, gen, 1e-11, 1e-12, "'pos', lower");
        expectClose(ops.solve(withJunk(a, false, NaN), b, { assumeA: 'pos', lower: false }) as Tensor, gen, 1e-11, 1e-12, "'pos', upper");
        const v = randomTensor([n], next);
        expectClose(ops.solve(a, v, { assumeA: 'pos' }) as Tensor, ops.solve(a, v) as Tensor, 1e-11, 1e-12, "'pos', vector");
      });
    });

    it("derivatives: 'gen' (custom linear solve with reused factors) and 'pos' (symmetric), second order", () => {
      property(8, (n, next, seed) => {
        const g = ops.add(randomTensor([2, n, n], next), ops.mul(ops.eye(n), n)) as Tensor, b = randomTensor([2, n, 2], next);
        checkDerivatives((x, y) => ops.solve(x, y), [g, b], { seed, secondOrder: true });
        checkDerivatives((x, y) => ops.solve(x, y, { assumeA: 'gen' }), [g, randomTensor([n], next)], { seed, secondOrder: true });
        const s = spd([2], n, next);
        for (const lower of [true, false]) {
          checkDerivatives((x, y) => ops.solve(symOp(x), y, { assumeA: 'pos', lower }), [s, b], { seed, secondOrder: true });
          checkDerivatives((x, y) => ops.solve(x, y, { assumeA: 'pos', lower }), [s, b], { seed, direction: (i, d) => (i === 0 ? symDir(d) : d) });
        }
      });
    });

    it("gradients against closed forms: Ā = −A⁻ᵀ X̄ Xᵀ ('gen'), −sym(A⁻¹ X̄ Xᵀ) ('pos')", () => {
      property(10, (n, next) => {
        const a = ops.add(randomTensor([n, n], next), ops.mul(ops.eye(n), n)) as Tensor, b = randomTensor([n, 2], next), w = randomTensor([n, 2], next);
        const x = ops.solve(a, b);
        const expected = ops.neg(ops.matmul(ops.solve(ops.matrixTranspose(a), w), x, { transposeB: true })) as Tensor;
        expectClose(grad((m: Value) => ops.sum(ops.mul(ops.solve(m, b), w)))(a) as Tensor, expected, 1e-10, 1e-12, "'gen'");
        const s = spd([], n, next), xs = ops.solve(s, b);
        const e2 = ops.neg(symOp(ops.matmul(ops.solve(s, w), xs, { transposeB: true }))) as Tensor;
        expectClose(grad((m: Value) => ops.sum(ops.mul(ops.solve(m, b, { assumeA: 'pos' }), w)))(s) as Tensor, e2, 1e-10, 1e-12, "'pos'");
      });
    });

    it('typed errors: not positive definite, singular, unknown assumeA, lower without pos, non-boolean lower', () => {
      const a = Tensor.from([[1, 2], [2, 1]]);
      expect(() => ops.solve(a, [1, 1], { assumeA: 'pos' })).toThrow(NotPositiveDefiniteError);
      expect(() => ops.solve(a, [1, 1], { assumeA: 'pos' })).toThrow(/^solve: /);
      expect(() => ops.solve(Tensor.from([[1, 2], [2, 4]]), [1, 1], { assumeA: 'gen' })).toThrow(SingularMatrixError);
      expect(() => ops.solve(a, [1, 1], { assumeA: 'sym' } as never)).toThrow(/solve: option assumeA must be 'gen' or 'pos'/);
      expect(() => ops.solve(a, [1, 1], { lower: true })).toThrow(/lower applies only with assumeA: 'pos'/);
      expect(() => ops.solve(a, [1, 1], { assumeA: 'pos', lower: 'no' } as never)).toThrow(InvalidArgumentError);
      expect(() => ops.solve(Tensor.from([[4, NaN], [1, 3]]), [1, 1], { assumeA: 'pos' })).not.toThrow();
      expect(() => ops.solve(Tensor.from([[4, 1], [NaN, 3]]), [1, 1], { assumeA: 'pos' })).toThrow(NonFiniteError);
    });
  });
});
