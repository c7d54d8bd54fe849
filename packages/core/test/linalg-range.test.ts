/**
 * The decompositions of linear algebra part A at the ends of the float64 range, and their entry checks (found by the
 * fuzz harness when it met them): subnormal or near-maximum entries gave NaN from eigh/eigvalsh/svd/qr (squares
 * underflow or overflow inside the kernels) — they are now scaled by a power of two, as LAPACK's drivers do, so the
 * results are those of the scaled matrix scaled back, exactly; a result that does not fit float64 is the overflow
 * policy's NonFiniteError naming the op; cond is scale-invariant there; errors name the op and the argument;
 * options are plain objects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NonFiniteError,
  NotDifferentiableError,
  Tensor,
  cond,
  eigh,
  eigvalsh,
  grad,
  lstsq,
  nearestPsd,
  norm,
  pinv,
  qr,
  sqrtmh,
  svd,
  svdvals,
} from '@natgrad/core';

const scaled = (t: Tensor, c: number) => new Tensor(t.data.map((v) => v * c), t.shape);
const close = (a: Tensor, b: Tensor, rel: number) => {
  const m = b.data.reduce((x, v) => Math.max(x, Math.abs(v)), 0);
  for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i] - b.data[i])).toBeLessThanOrEqual(rel * m);
};

/**
 * A random [3, 3] matrix with off-diagonal entries k/64 in [−1, 1] and the diagonal 3, 9, 15 (plus entries): the
 * Gershgorin discs are disjoint, so eigenvalues and singular values are distinct and the vectors determined, and no
 * entry is so small that it turns subnormal when scaled.
 */
const matrix = fc.array(fc.integer({ min: -64, max: 64 }), { minLength: 9, maxLength: 9 }).map((ks) => {
  const d = Float64Array.from(ks, (k) => k / 64);
  for (let i = 0; i < 3; i++) d[i * 4] += 3 + 6 * i;
  return new Tensor(d, [3, 3]);
});
/** Powers of two far outside [2⁻⁴⁸⁰, 2⁴⁸⁰] that keep the input normal (subnormal input: the next test). */
const extremePower = fc.oneof(fc.integer({ min: -1000, max: -490 }), fc.integer({ min: 490, max: 1018 })).map((e) => 2 ** e);

function nonFinite(f: () => unknown): NonFiniteError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NonFiniteError);
    return e as NonFiniteError;
  }
  throw new Error('expected a NonFiniteError');
}

describe('decompositions of matrices with entries at the ends of the float64 range', () => {
  it('eigh, eigvalsh, svd, svdvals, qr: the results of A scaled by a power of two c are c times those of A (to round-off)', () => {
    fc.assert(
      fc.property(matrix, extremePower, (a, c) => {
        const ac = scaled(a, c);
        const e = eigh(a), ec = eigh(ac);
        close(scaled(ec.eigenvalues as Tensor, 1 / c), e.eigenvalues as Tensor, 1e-15);
        close(scaled(eigvalsh(ac) as Tensor, 1 / c), e.eigenvalues as Tensor, 1e-15);
        close(ec.eigenvectors as Tensor, e.eigenvectors as Tensor, 1e-15);
        const s = svd(a), sc = svd(ac);
        close(scaled(sc.S as Tensor, 1 / c), s.S as Tensor, 1e-15);
        close(scaled(svdvals(ac) as Tensor, 1 / c), s.S as Tensor, 1e-15);
        close(sc.U as Tensor, s.U as Tensor, 1e-15);
        const q = qr(a), qc = qr(ac);
        close(qc.Q as Tensor, q.Q as Tensor, 1e-15);
        close(scaled(qc.R as Tensor, 1 / c), q.R as Tensor, 1e-15);
        close(scaled(qr(ac, { mode: 'r' }) as Tensor, 1 / c), q.R as Tensor, 1e-15);
      }),
      { numRuns: 30 },
    );
  });

  it('subnormal matrices (~1e-310, the case that gave NaN) decompose: A = V·diag(λ)·Vᵀ, A = U·S·Vh, A = Q·R', () => {
    const a = Tensor.from([2, 0.5, 0.1, 0.5, 1.5, 0.2, 0.1, 0.2, 1].map((v) => v * 1e-310), [3, 3]);
    const lambda = eigvalsh(a) as Tensor;
    expect(lambda.data.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    // subnormals carry ~13 significant digits at 1e-310
    const reference = eigvalsh(Tensor.from([2, 0.5, 0.1, 0.5, 1.5, 0.2, 0.1, 0.2, 1], [3, 3])) as Tensor;
    for (let i = 0; i < 3; i++) expect(lambda.data[i] / 1e-310).toBeCloseTo(reference.data[i], 9);
    expect((svdvals(a) as Tensor).data.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect((qr(a).R as Tensor).data.every(Number.isFinite)).toBe(true);
    expect((nearestPsd(a) as Tensor).data.every(Number.isFinite)).toBe(true);
    expect((sqrtmh(a) as Tensor).data.every(Number.isFinite)).toBe(true);
    expect((norm(a, 2) as Tensor).item()).toBeGreaterThan(0);
  });

  it('near the maximum: symmetric matrices whose A + Aᵀ overflows decompose; values beyond float64 are NonFiniteError naming the op', () => {
    const c = 1.2e308;
    const a = Tensor.from([1, 0.5, 0.5, 0.9].map((v) => v * c), [2, 2]); // A + Aᵀ would be ∞
    const lambda = eigvalsh(a) as Tensor;
    // closed form of a symmetric 2×2: (a + d)/2 ± √(((a − d)/2)² + b²), in units of c
    const expected = [0.95 - Math.sqrt(0.0025 + 0.25), 0.95 + Math.sqrt(0.0025 + 0.25)];
    for (let i = 0; i < 2; i++) expect(lambda.data[i] / c).toBeCloseTo(expected[i], 12);
    const big = Tensor.from([1, 1, 1, 1].map((v) => v * 1.5e308), [2, 2]); // eigenvalue and singular value 3e308
    expect(nonFinite(() => eigvalsh(big)).message).toMatch(/^eigvalsh: the result overflows float64/);
    expect(nonFinite(() => eigh(big)).message).toMatch(/^eigh: the result overflows float64/);
    expect(nonFinite(() => svdvals(big)).message).toMatch(/^svdvals: the result overflows float64/);
    expect(nonFinite(() => pinv(big)).message).toMatch(/^pinv: the result overflows float64/);
    expect(nonFinite(() => norm(big, 2)).message).toMatch(/^norm \(ord 2\): the result overflows float64/);
    expect(nonFinite(() => norm(Tensor.from([1, 0, 0, 1].map((v) => v * 1e308), [2, 2]), 'nuc')).message).toMatch(/^norm \(ord nuc\)/);
    // the elementwise orders follow IEEE, as sum does: the Frobenius norm of `big` is 3e308 → +∞
    expect((norm(big) as Tensor).item()).toBe(Infinity);
  });

  it('pinv and lstsq of a subnormal full-rank matrix overflow (A⁺ ~ 1e310): NonFiniteError naming the op, not ∞', () => {
    const a = Tensor.from([2, 0.5, 0.3, 1.5].map((v) => v * 1e-310), [2, 2]);
    expect(nonFinite(() => pinv(a)).message).toMatch(/^pinv: the result overflows float64/);
    expect(nonFinite(() => lstsq(a, [1, 1])).message).toMatch(/^lstsq: the result overflows float64/);
  });

  it('cond is scale-invariant at the ends of the range, for every order, with the same gradient direction', () => {
    const a = Tensor.from([2, 0.5, 0.1, 0.3, 1.5, 0.2, 0.1, 0.4, 1], [3, 3]);
    for (const p of [2, -2, 1, -1, Infinity, -Infinity, 'fro', 'nuc'] as const) {
      const base = (cond(a, p) as Tensor).item();
      for (const c of [2 ** -1000, 2 ** -600, 2 ** 600, 2 ** 1020]) {
        expect((cond(scaled(a, c), p) as Tensor).item() / base).toBeCloseTo(1, 12);
      }
      // subnormal entries (rounded to a few significant bits themselves): finite and close, not ∞
      expect((cond(scaled(a, 2 ** -1060), p) as Tensor).item() / base).toBeCloseTo(1, 2);
    }
    // d cond(cA)/dA' at A' = cA is (1/c)·d cond/dA: the scaling is a constant inside, not a change of function
    const g = grad((x) => cond(x, 1))(a) as Tensor;
    const gc = grad((x) => cond(x, 1))(scaled(a, 2 ** 600)) as Tensor;
    close(scaled(gc, 2 ** 600), g, 1e-12);
  });
});

describe('entry checks of the decompositions', () => {
  it('errors name the op and the argument, not asValue', () => {
    for (const [name, f] of [
      ['eigh', () => eigh('x' as never)], ['eigvalsh', () => eigvalsh(null as never)], ['sqrtmh', () => sqrtmh({} as never)],
      ['nearestPsd', () => nearestPsd([[1, 2], [3]])], ['qr', () => qr(true as never)], ['svd', () => svd(undefined as never)],
      ['svdvals', () => svdvals('1' as never)], ['pinv', () => pinv(new Date() as never)], ['norm', () => norm('x' as never)],
      ['cond', () => cond([[1], [2, 3]])],
    ] as const) {
      expect(f, name).toThrow(new RegExp(`^${name}: argument [ax]`));
    }
    expect(() => lstsq([[1, 0], [0, 1]], 'b' as never)).toThrow(/^lstsq: argument b must be/);
  });

  it('options are plain objects read from own properties (a Date, a Map or a boxed number is not options)', () => {
    const eye = Tensor.eye(2);
    for (const o of [new Date(), new Map(), new Number(2)]) {
      expect(() => svd(eye, o as never)).toThrow(InvalidArgumentError);
      expect(() => qr(eye, o as never)).toThrow(/^qr: options must be a plain object/);
      expect(() => pinv(eye, o as never)).toThrow(/^pinv: options must be a plain object/);
      expect(() => nearestPsd(eye, o as never)).toThrow(/^nearestPsd: options must be a plain object/);
      expect(() => lstsq(eye, [1, 1], o as never)).toThrow(/^lstsq: options must be a plain object/);
    }
    const throwing = Object.defineProperty({}, 'computeUv', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(() => svd(eye, throwing as never)).toThrow(/^svd: options could not be read \(boom\)/);
    expect(() => svd(eye, { computeUV: false } as never)).toThrow(/^svd: unknown option 'computeUV' \(known options: computeUv\)/);
  });

  it('NotDifferentiableError is built whatever its indices (an error on a failure path must not throw a TypeError)', () => {
    for (const indices of [undefined, null, 7, 'ab', {}]) {
      const e = new NotDifferentiableError('f', 0, indices as never, 'detail');
      expect(e.indices).toEqual([]);
      expect(e.message).toBe('f: no derivative here: detail');
    }
    expect(new NotDifferentiableError('f', 1, [2, 3], 'd').indices).toEqual([2, 3]);
  });
});
