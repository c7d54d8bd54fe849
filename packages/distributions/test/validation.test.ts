/** Typed validation errors: which error, which coordinate, which entry. */
import { describe, expect, it } from 'vitest';
import {
  ConcretizationError,
  InvalidArgumentError,
  NatgradError,
  NonFiniteError,
  NotPositiveDefiniteError,
  ShapeError,
  Tensor,
  grad,
  jvp,
  ops,
  random,
} from '@natgrad/core';
import {
  InvalidParameterError,
  NotSymmetricError,
  convert,
  diagonal,
  diagonalExpectation,
  diagonalNatural,
  entropy,
  expectation,
  kl,
  logpdf,
  meanCholesky,
  meanCovariance,
  meanPrecision,
  natural,
  naturalGradient,
  naturalGradientFromEuclidean,
  sample,
} from '@natgrad/distributions';

const T = Tensor.from;
const mu = T([0.2, -0.1]);
const L = T([[0.8, 0], [0.3, 0.6]]);
const Sigma = T([[0.64, 0.24], [0.24, 0.45]]);

/** Runs `f`, expects it to throw an instance of `cls`, and returns the error for further checks. */
function thrown<E>(f: () => unknown, cls: new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(NatgradError);
    return e as E;
  }
  throw new Error('expected an error');
}

describe('ShapeError', () => {
  it('missing and unknown coordinates are named, with the expected set', () => {
    const e = thrown(() => meanCholesky.validate({ mu } as never), ShapeError);
    expect(e.message).toMatch(/q is missing the coordinate "L" \(expected \{mu, L\}\)/);
    expect(thrown(() => meanCholesky.validate({ mu, L, Sigma } as never), ShapeError).message).toMatch(/unknown coordinate "Sigma"/);
    expect(thrown(() => meanCholesky.validate(null as never), ShapeError).message).toMatch(/plain object \{mu, L\}/);
  });

  it('mu [..., D] against a matrix [..., D, D]: dimension, batch axes and rank', () => {
    const e = thrown(() => meanCholesky.validate({ mu: T([1, 2, 3]), L }), ShapeError);
    expect(e.message).toContain('q.mu has shape [3] but q.L has shape [2, 2]');
    expect(thrown(() => meanCovariance.validate({ mu: T([[1, 2]]), Sigma }), ShapeError).message).toMatch(/same batch axes/);
    expect(thrown(() => meanCovariance.validate({ mu, Sigma: T([1, 2]) }), ShapeError).message).toMatch(/q.Sigma must have shape \[\.\.\., D, D\]/);
    expect(thrown(() => meanCovariance.validate({ mu, Sigma: T([[1, 2, 3], [4, 5, 6]]) }), ShapeError).message).toMatch(/\[2, 3\]/);
  });

  it('non-tensor coordinates are an InvalidArgumentError', () => {
    expect(thrown(() => meanCholesky.validate({ mu: [1, 2] as never, L }), InvalidArgumentError).message).toMatch(/q.mu must be a tensor/);
  });

  it('gradients and directions must match q: keys and shapes', () => {
    const q = { mu, L };
    const bad = thrown(() => naturalGradient(meanCholesky, q, { eta1: T([1, 2, 3]), eta2: Sigma }), ShapeError);
    expect(bad.message).toMatch(/dLdEta/);
    expect(thrown(() => naturalGradient(meanCholesky, q, { eta1: mu } as never), ShapeError).message).toMatch(/dLdEta is missing the coordinate "eta2"/);
    expect(thrown(() => naturalGradientFromEuclidean(meanCholesky, q, { mu, Sigma } as never), ShapeError).message).toMatch(/dLdXi/);
    expect(thrown(() => naturalGradient(diagonal, { mu, sigma2: T([1, 2]) }, { eta1: mu, eta2: Sigma }), ShapeError).message).toMatch(/dLdEta.eta1 has shape \[2\] but dLdEta.eta2 has shape \[2, 2\]/);
  });
});

describe('NotSymmetricError', () => {
  it('names the coordinate, the entry and both values; carries them as fields', () => {
    const e = thrown(() => meanCovariance.validate({ mu, Sigma: T([[1, 0.5], [0.4, 1]]) }), NotSymmetricError);
    expect(e.message).toContain('q.Sigma must be symmetric');
    expect(e.message).toContain('entry (1, 0) is 0.4 but (0, 1) is 0.5');
    expect([e.key, e.row, e.column, e.values, e.batchIndex]).toEqual(['q.Sigma', 1, 0, [0.4, 0.5], 0]);
    expect(e.code).toBe('NOT_SYMMETRIC');
  });

  it('the tolerance is relative to the matrix scale', () => {
    const big = T([[1e6, 1], [1 + 1e-5, 1e6]]); // asymmetry 1e-5 against scale 1e6: 1e-11 relative, accepted
    expect(() => meanCovariance.validate({ mu, Sigma: big })).not.toThrow();
    const small = T([[1e-6, 1e-7], [1.01e-7, 1e-6]]); // asymmetry 1e-9 against scale 1e-6: 1e-3 relative, rejected
    expect(() => meanCovariance.validate({ mu, Sigma: small })).toThrow(NotSymmetricError);
  });

  it('is checked for every symmetric coordinate, with the batch index', () => {
    const asym = T([[-1, 0.5], [0.3, -1]]);
    expect(thrown(() => natural.validate({ theta1: mu, theta2: asym }), NotSymmetricError).key).toBe('q.theta2');
    expect(thrown(() => expectation.validate({ eta1: mu, eta2: asym }), NotSymmetricError).key).toBe('q.eta2');
    expect(thrown(() => meanPrecision.validate({ mu, Lambda: asym }), NotSymmetricError).key).toBe('q.Lambda');
    const batch = ops.stack([Sigma, T([[1, 0.2], [0.1, 1]])]) as Tensor;
    const e = thrown(() => meanCovariance.validate({ mu: ops.stack([mu, mu]) as Tensor, Sigma: batch }), NotSymmetricError);
    expect(e.batchIndex).toBe(1);
    expect(e.message).toContain('matrix 1 of the batch');
  });
});

describe('NotPositiveDefiniteError', () => {
  it('names the coordinate and keeps the pivot', () => {
    const e = thrown(() => meanCovariance.validate({ mu, Sigma: T([[1, 2], [2, 1]]) }), NotPositiveDefiniteError);
    expect(e.message).toContain('q.Sigma');
    expect(e.pivot).toBe(1);
    expect(e.pivotValue).toBeCloseTo(-3, 12);
  });

  it('natural θ₂ must be negative definite; η₂ − η₁η₁ᵀ and Λ positive definite', () => {
    expect(thrown(() => natural.validate({ theta1: mu, theta2: T([[1, 0], [0, -1]]) }), NotPositiveDefiniteError).message).toContain('q.theta2');
    expect(thrown(() => expectation.validate({ eta1: T([1, 1]), eta2: T([[1, 1], [1, 1]]) }), NotPositiveDefiniteError).message).toContain('q.eta2 − q.eta1 q.eta1ᵀ');
    const e = thrown(() => meanPrecision.validate({ mu: ops.stack([mu, mu]) as Tensor, Lambda: ops.stack([Sigma, T([[0, 0], [0, 1]])]) as Tensor }), NotPositiveDefiniteError);
    expect([e.pivot, e.batchIndex]).toEqual([0, 1]);
    expect(e.message).toContain('q.Lambda');
  });
});

describe('InvalidParameterError', () => {
  it('L must be lower triangular: names the entry above the diagonal', () => {
    const e = thrown(() => meanCholesky.validate({ mu, L: T([[0.8, 0.1], [0.3, 0.6]]) }), InvalidParameterError);
    expect(e.message).toBe('meanCholesky: q.L must be lower triangular (zero above the diagonal): entry (0, 1) is 0.1');
    expect([e.key, e.index, e.value, e.code]).toEqual(['q.L', [0, 1], 0.1, 'INVALID_PARAMETER']);
  });

  it('L must have a positive diagonal; batch axes appear in the index', () => {
    const e = thrown(() => meanCholesky.validate({ mu, L: T([[0.8, 0], [0.3, -0.6]]) }), InvalidParameterError);
    expect(e.message).toContain('q.L must have a positive diagonal: entry (1, 1) is -0.6');
    const batch = { mu: ops.stack([mu, mu]) as Tensor, L: ops.stack([L, T([[0, 0], [0.3, 0.6]])]) as Tensor };
    expect(thrown(() => meanCholesky.validate(batch), InvalidParameterError).index).toEqual([1, 0, 0]);
  });

  it('σ² > 0, diagonal θ₂ < 0, η₂ − η₁² > 0', () => {
    expect(thrown(() => diagonal.validate({ mu, sigma2: T([1, 0]) }), InvalidParameterError).message).toContain('q.sigma2 must be positive: entry (1) is 0');
    expect(thrown(() => diagonalNatural.validate({ theta1: mu, theta2: T([-1, 2]) }), InvalidParameterError).message).toContain('q.theta2 must be negative: entry (1) is 2');
    expect(thrown(() => diagonalExpectation.validate({ eta1: T([1, 2]), eta2: T([2, 3]) }), InvalidParameterError).message).toContain('q.eta2 − q.eta1² (the variance) must be positive: entry (1) is -1');
  });
});

describe('NonFiniteError', () => {
  it('names the coordinate and the flat index in q and in gradients', () => {
    const e = thrown(() => meanCholesky.validate({ mu: T([0, NaN]), L }), NonFiniteError);
    expect(e.message).toContain('q.mu');
    expect(e.index).toBe(1);
    const g = thrown(() => naturalGradient(meanCholesky, { mu, L }, { eta1: mu, eta2: T([[1, Infinity], [0, 1]]) }), NonFiniteError);
    expect(g.message).toContain('dLdEta.eta2');
    expect(g.index).toBe(1);
    expect(thrown(() => logpdf(meanCholesky, { mu, L }, [0, NaN]), NonFiniteError).message).toContain('logpdf: x');
  });
});

describe('entry points validate their Gaussian arguments, also when traced', () => {
  const badL = { mu, L: T([[0.8, 0.1], [0.3, 0.6]]) };
  it('every public entry point rejects an invalid q, naming itself', () => {
    const calls: [string, () => unknown][] = [
      ['convert', () => convert(badL, meanCholesky, natural)],
      ['naturalGradient', () => naturalGradient(meanCholesky, badL, { eta1: mu, eta2: Sigma })],
      ['naturalGradientFromEuclidean', () => naturalGradientFromEuclidean(meanCholesky, badL, badL)],
      ['sample', () => sample(meanCholesky, badL, random.key(0), 2)],
      ['logpdf', () => logpdf(meanCholesky, badL, mu)],
      ['entropy', () => entropy(meanCholesky, badL)],
      ['kl', () => kl(meanCholesky, { mu, L }, meanCholesky, badL)],
    ];
    for (const [name, f] of calls) expect(thrown(f, InvalidParameterError).message.startsWith(name)).toBe(true);
  });

  it('validation reads primal values: no ConcretizationError inside grad or jvp, and errors still surface', () => {
    const g = grad((q: { mu: Tensor; L: Tensor }) => entropy(meanCholesky, q))({ mu, L });
    expect(g.L).toBeInstanceOf(Tensor);
    expect(() => jvp((l: Tensor) => entropy(meanCholesky, { mu, L: l }), [badL.L], [L])).toThrow(InvalidParameterError);
    expect(() => grad((l: Tensor) => entropy(meanCholesky, { mu, L: l }))(L)).not.toThrow(ConcretizationError);
  });
});

describe('a Gaussian is a plain object with exactly its keys, as own data properties', () => {
  it('extra own keys named like Object.prototype members are unknown coordinates (`in` would accept them)', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const e = thrown(() => meanCholesky.validate({ mu, L, [key]: 1 } as never), ShapeError);
      expect(e.message).toBe(`meanCholesky: q has an unknown coordinate "${key}" (expected {mu, L})`);
    }
    const own = JSON.parse('{"__proto__": {"polluted": true}}') as object; // an own "__proto__" key, as JSON makes it
    expect(thrown(() => meanCholesky.validate(Object.assign(own, { mu, L }) as never), ShapeError).message).toMatch(/unknown coordinate "__proto__"/);
    expect(thrown(() => meanCholesky.validate({ mu, L, [Symbol('s')]: 1 } as never), ShapeError).message).toMatch(/with a symbol key/);
  });

  it('inherited coordinates do not count; getters are refused without being called', () => {
    const inherited = Object.create({ L }) as Record<string, unknown>;
    inherited.mu = mu;
    expect(thrown(() => meanCholesky.validate(inherited as never), ShapeError).message).toMatch(/plain object/);
    const nullProtoInherited = Object.assign(Object.create(null), { mu });
    expect(thrown(() => meanCholesky.validate(nullProtoInherited), ShapeError).message).toMatch(/missing the coordinate "L"/);
    let called = false;
    const getter = { mu, get L() { called = true; return L; } };
    expect(thrown(() => meanCholesky.validate(getter), InvalidArgumentError).message).toMatch(/q\.L must be a data property/);
    expect(called).toBe(false);
  });

  it('null-prototype objects and frozen objects are Gaussians', () => {
    const q = Object.freeze(Object.assign(Object.create(null) as object, { mu, L }));
    expect(() => meanCholesky.validate(q as never)).not.toThrow();
    expect((entropy(meanCholesky, q as never) as Tensor).item()).toBeCloseTo((entropy(meanCholesky, { mu, L }) as Tensor).item(), 15);
  });

  it('class instances, arrays and Maps are not; messages never call their code', () => {
    class Gaussianish {
      mu = mu;
      L = L;
    }
    expect(thrown(() => meanCholesky.validate(new Gaussianish() as never), ShapeError).message).toMatch(/got a Gaussianish$/);
    expect(thrown(() => meanCholesky.validate([mu, L] as never), ShapeError).message).toMatch(/got an array of length 2$/);
    const hostile = { toString: () => { throw new Error('called'); } };
    expect(thrown(() => meanCholesky.validate({ mu, L: hostile } as never), InvalidArgumentError).message).toMatch(/q\.L must be a tensor, got a plain object/);
  });

  it('validate refuses a non-string `where` (typed, not a TypeError when the message is built)', () => {
    expect(thrown(() => meanCholesky.validate({ mu, L }, Symbol('w') as never), InvalidArgumentError).message).toMatch(/^meanCholesky\.validate: where must be a string/);
  });
});
