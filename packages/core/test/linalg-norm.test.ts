/**
 * norm and cond: every vector and matrix order against plain loops (and singular values against the reference),
 * axis/keepdims handling, overflow and underflow, the documented subgradients at 0 (finite, never NaN), errors;
 * derivatives through checkDerivatives (second order) on random inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError, Tensor, type Value, grad, ops } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';
import { maxDiff, referenceSingularValues } from './util/eigen-reference.js';

const T = (d: ArrayLike<number>, shape: number[]) => new Tensor(Float64Array.from(d), shape);
const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

/** The vector norm of `v` by its definition. */
function vectorNormJs(v: number[], ord: number): number {
  const a = v.map(Math.abs);
  if (ord === Infinity) return Math.max(...a);
  if (ord === -Infinity) return Math.min(...a);
  if (ord === 0) return a.filter((x) => x !== 0).length;
  return a.reduce((s, x) => s + x ** ord, 0) ** (1 / ord);
}

/** The matrix norm of the m×n `a` by its definition. */
function matrixNormJs(a: number[], m: number, n: number, ord: number | string): number {
  const col = (j: number) => Array.from({ length: m }, (_, i) => Math.abs(a[i * n + j])).reduce((s, x) => s + x, 0);
  const row = (i: number) => a.slice(i * n, (i + 1) * n).reduce((s, x) => s + Math.abs(x), 0);
  const cols = Array.from({ length: n }, (_, j) => col(j)), rows = Array.from({ length: m }, (_, i) => row(i));
  const s = Array.from(referenceSingularValues(Float64Array.from(a), m, n));
  switch (ord) {
    case 'fro': return Math.sqrt(a.reduce((t, x) => t + x * x, 0));
    case 'nuc': return s.reduce((t, x) => t + x, 0);
    case 1: return Math.max(...cols);
    case -1: return Math.min(...cols);
    case Infinity: return Math.max(...rows);
    case -Infinity: return Math.min(...rows);
    case 2: return s[0];
    case -2: return s[s.length - 1];
  }
  throw new Error(`bad ord ${ord}`);
}

const VECTOR_ORDS = [undefined, 1, 2, Infinity, -Infinity, 0, 3, 0.5, -1.5];
const MATRIX_ORDS = [undefined, 'fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const;

describe('norm values', () => {
  it('vector orders along any axis, with keepdims, against the definitions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VECTOR_ORDS), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.integer(), (ord, axis, keepdims, seed) => {
        const x = randomTensor([2, 3, 4], rng(seed));
        const y = ops.norm(x, ord, axis, keepdims) as Tensor;
        const shape = [2, 3, 4];
        expect(y.shape).toEqual(keepdims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis));
        const strides = [12, 4, 1];
        let q = 0;
        for (let i = 0; i < 24; i++) {
          const idx = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
          if (idx[axis] !== 0) continue;
          const v = Array.from({ length: shape[axis] }, (_, t) => x.data[i + t * strides[axis]]);
          close(y.data[q++], vectorNormJs(v, ord ?? 2));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('matrix orders over axis pairs in either order, with keepdims, against the definitions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MATRIX_ORDS), fc.boolean(), fc.boolean(), fc.integer(), (ord, swap, keepdims, seed) => {
        const x = randomTensor([3, 4, 2], rng(seed)); // matrices over axes (0, 2) for each index of axis 1
        const axes = swap ? [2, 0] : [0, 2];
        const y = ops.norm(x, ord, axes, keepdims) as Tensor;
        expect(y.shape).toEqual(keepdims ? [1, 4, 1] : [4]);
        for (let j = 0; j < 4; j++) {
          // rows along axes[0], columns along axes[1]
          const [r, c] = swap ? [2, 3] : [3, 2];
          const a = Array.from({ length: r * c }, (_, q) => {
            const i = Math.floor(q / c), l = q % c;
            const [i0, i2] = swap ? [l, i] : [i, l];
            return x.data[i0 * 8 + j * 2 + i2];
          });
          close(y.data[j], matrixNormJs(a, r, c, ord ?? 'fro'), 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('defaults: all entries for ord omitted (any rank); ord given needs a vector or matrix', () => {
    const x = randomTensor([2, 3, 4], rng(1));
    close((ops.norm(x) as Tensor).item(), Math.hypot(...x.data));
    expect((ops.norm(x, undefined, undefined, true) as Tensor).shape).toEqual([1, 1, 1]);
    close((ops.norm(T([3, 4], [2]), 1) as Tensor).item(), 7);
    close((ops.norm(T([1, -2, 3, -4], [2, 2]), 1) as Tensor).item(), 6);
    expect(() => ops.norm(x, 2)).toThrow(/vector or a matrix/);
    expect((ops.norm(Tensor.zeros([0])) as Tensor).item()).toBe(0);
  });

  it('non-finite entries: IEEE for the elementwise orders, NonFiniteError for the singular-value ones', () => {
    expect((ops.norm(T([Infinity, 1], [2])) as Tensor).item()).toBe(Infinity);
    expect((ops.norm(T([-Infinity, 1], [2]), 3) as Tensor).item()).toBe(Infinity);
    expect(Number.isNaN((ops.norm(T([NaN, 1], [2])) as Tensor).item())).toBe(true);
    expect((ops.norm(T([Infinity, 1, 0, 0], [2, 2]), 1) as Tensor).item()).toBe(Infinity);
    expect(() => ops.norm(T([Infinity, 1, 0, 0], [2, 2]), 'nuc')).toThrow(NonFiniteError);
  });

  it('no overflow or underflow where the norm is representable (scaled by max |xᵢ|)', () => {
    close((ops.norm(T([1e200, 1e200], [2])) as Tensor).item(), Math.SQRT2 * 1e200);
    close((ops.norm(T([3e-200, 4e-200], [2])) as Tensor).item(), 5e-200);
    close((ops.norm(T([1e300, 1e300], [2]), 3) as Tensor).item(), 2 ** (1 / 3) * 1e300);
    close((ops.norm(T([1e200, 0, 0, 1e200], [2, 2]), 'fro') as Tensor).item(), Math.SQRT2 * 1e200);
  });
});

describe('norm derivatives', () => {
  it('second order for every order on random inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const next = rng(seed);
        const v = randomTensor([3, 4], next);
        for (const ord of VECTOR_ORDS) checkDerivatives((x) => ops.norm(x, ord, 1), [v], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
        for (const ord of MATRIX_ORDS) checkDerivatives((x) => ops.norm(x, ord, [-1, -2]), [randomTensor([2, 3, 3], next)], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 4 },
    );
  });

  it('the documented subgradients at 0: finite, and 0 for the 2-, Frobenius, p- and max-norms (JAX: NaN)', () => {
    const zero = Tensor.zeros([3]);
    for (const ord of [undefined, 2, 1, Infinity, -Infinity, 3, 0.5, 0]) {
      expect(Array.from((grad((x: Value) => ops.norm(x, ord))(zero) as Tensor).data)).toEqual([0, 0, 0]);
    }
    expect(Array.from((grad((x: Value) => ops.norm(x, 'fro'))(Tensor.zeros([2, 2])) as Tensor).data)).toEqual([0, 0, 0, 0]);
    // zero entries of a nonzero vector: sign(0) = 0 for p ≤ 1, the true partial 0 for p > 1
    const g = grad((x: Value) => ops.norm(x, 0.5))(T([0, 4], [2])) as Tensor;
    expect(Array.from(g.data)).toEqual([0, 1]);
    // p < 0: an entry 0 makes the norm 0, with derivative 0
    expect((ops.norm(T([0, 2], [2]), -1) as Tensor).item()).toBe(0);
    expect(Array.from((grad((x: Value) => ops.norm(x, -1))(T([0, 2], [2])) as Tensor).data)).toEqual([0, 0]);
    // ties of max share the derivative
    expect(Array.from((grad((x: Value) => ops.norm(x, Infinity))(T([-2, 2, 1], [3])) as Tensor).data)).toEqual([-0.5, 0.5, 0]);
  });
});

describe('norm errors', () => {
  it('bad ord, axis, keepdims', () => {
    const v = Tensor.zeros([3]), m = Tensor.zeros([2, 2]);
    expect(() => ops.norm(v, 'fro')).toThrow(/matrix norm/);
    expect(() => ops.norm(m, 3)).toThrow(/invalid matrix norm order 3/);
    expect(() => ops.norm(m, 'x' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => ops.norm(v, NaN)).toThrow(InvalidArgumentError);
    expect(() => ops.norm(m, undefined, [0, 0])).toThrow(/repeated axis/);
    expect(() => ops.norm(m, undefined, 2)).toThrow(/out of range/);
    expect(() => ops.norm(m, undefined, [0, 1, 0])).toThrow(InvalidArgumentError);
    expect(() => ops.norm(m, undefined, '0' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => ops.norm(m, undefined, undefined, 'yes' as unknown as boolean)).toThrow(/keepdims must be a boolean/);
    expect(() => ops.norm(Tensor.zeros([0, 3]), 2, [0, 1])).toThrow(/empty matrix/);
  });
});

describe('cond', () => {
  it('p = 2 (default) and −2 from the singular values; the other orders as ‖A‖·‖A⁻¹‖; batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer(), (n, seed) => {
        const next = rng(seed);
        const a = randomTensor([2, n, n], next);
        for (let s = 0; s < 2; s++) for (let i = 0; i < n; i++) a.data[s * n * n + i * n + i] += 2;
        for (let s = 0; s < 2; s++) {
          const m = Array.from(a.data.slice(s * n * n, (s + 1) * n * n));
          const sv = referenceSingularValues(Float64Array.from(m), n, n);
          close((ops.cond(a) as Tensor).data[s], sv[0] / sv[n - 1], 1e-8);
          close((ops.cond(a, -2) as Tensor).data[s], sv[n - 1] / sv[0], 1e-8);
          const inv = Array.from((ops.inv(T(m, [n, n])) as Tensor).data);
          for (const p of ['fro', 'nuc', 1, -1, Infinity, -Infinity] as const) {
            close((ops.cond(a, p) as Tensor).data[s], matrixNormJs(m, n, n, p) * matrixNormJs(inv, n, n, p), 1e-9);
          }
        }
        const rect = randomTensor([n + 2, n], next);
        const sv = referenceSingularValues(rect.data, n + 2, n);
        close((ops.cond(rect) as Tensor).item(), sv[0] / sv[n - 1], 1e-6);
      }),
      { numRuns: 20 },
    );
  });

  it('singular matrices have condition number ∞, per matrix of a batch', () => {
    const batch = T([1, 0, 0, 0, 2, 0, 0, 1], [2, 2, 2]);
    expect(Array.from((ops.cond(batch) as Tensor).data)).toEqual([Infinity, 2]);
    expect(Array.from((ops.cond(batch, 1) as Tensor).data)).toEqual([Infinity, 2]);
    expect((ops.cond(Tensor.zeros([3, 3])) as Tensor).item()).toBe(Infinity);
  });

  it('derivatives (second order), errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (n, seed) => {
        const a = randomTensor([n, n], rng(seed));
        for (const p of [undefined, 'fro', 1] as const) checkDerivatives((x) => ops.cond(x, p), [a], { seed, secondOrder: true, rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 8 },
    );
    expect(() => ops.cond(Tensor.zeros([2, 3]), 1)).toThrow(ShapeError);
    expect(() => ops.cond(Tensor.eye(2), 3)).toThrow(InvalidArgumentError);
    expect(() => ops.cond(Tensor.zeros([3]))).toThrow(ShapeError);
    expect(maxDiff([(ops.cond(Tensor.eye(3)) as Tensor).item()], [1])).toBe(0);
  });
});
