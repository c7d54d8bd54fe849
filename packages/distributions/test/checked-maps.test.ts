/**
 * Descriptor maps are checked (argument and result), `P.unchecked` holds the bare maps: the same numbers on valid
 * input, for all ten built-ins and for user-defined parametrisations, also on tracers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NatgradError,
  NonFiniteError,
  NotPositiveDefiniteError,
  ShapeError,
  Tensor,
  type Value,
  grad,
  jvp,
  ops,
} from '@natgrad/core';
import {
  type AnyParametrisation,
  InvalidParameterError,
  NotSymmetricError,
  defineParametrisation,
  diagonal,
  diagonalExpectation,
  diagonalMomentsFromNatural,
  diagonalNatural,
  convert,
  entropy,
  fullMomentsFromNatural,
  logpdf,
  meanCholesky,
  meanCovariance,
  natural,
  parametrisations,
} from '@natgrad/distributions';
import { expectGaussianClose, randn, randomIn, rng } from './util/gaussians.js';

const ALL = Object.values(parametrisations) as AnyParametrisation[];
const T = Tensor.from;

/** Runs `f`, expects a NatgradError of class `cls`, returns it. */
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

/** The arguments of each map for a valid q of P. */
function argumentsOf(P: AnyParametrisation, q: Record<string, Tensor>, next: () => number): Record<string, unknown[]> {
  const full = P.family === 'full';
  const d = q[P.keys[0]].shape[q[P.keys[0]].shape.length - 1];
  const a = randn(full ? [d, d] : [d], next);
  const g = { eta1: randn([d], next), eta2: full ? ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5) : a }; // symmetric
  const args: Record<string, unknown[]> = {
    toMoments: [q],
    fromMoments: [P.unchecked.toMoments(q)],
    fromNatural: [P.unchecked.toNatural(q)],
    toNatural: [q],
    fromExpectation: [P.unchecked.toExpectation(q)],
    toExpectation: [q],
    toScale: [q],
    project: [q],
  };
  if (P.closedFormNaturalGradient) args.closedFormNaturalGradient = [q, g];
  if (P.closedFormNaturalGradientFromEuclidean) args.closedFormNaturalGradientFromEuclidean = [q, P.unchecked.project(q)];
  return args;
}

type Maps = Record<string, (...a: unknown[]) => unknown>;

describe('checked maps', () => {
  it('give exactly the bare maps’ results on valid input (all ten parametrisations, every map)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer(), (d, seed) => {
        for (const P of ALL) {
          const next = rng(seed);
          const q = randomIn(P, d, next, 30);
          for (const [map, args] of Object.entries(argumentsOf(P, q, next))) {
            const checked = (P as unknown as Maps)[map](...args);
            const bare = (P.unchecked as unknown as Maps)[map](...args);
            if (map === 'toScale') expect(((checked as Tensor).data)).toEqual((bare as Tensor).data);
            else expectGaussianClose(checked as Record<string, Value>, bare as Record<string, Value>, 0, `${P.name}.${map}`);
          }
        }
      }),
      { numRuns: 8 },
    );
  });

  it('reject null, numbers, strings and arrays with a typed error naming the map and the argument', () => {
    const labels: Record<string, string> = { fromMoments: 'm', fromNatural: 'theta', fromExpectation: 'eta', project: 'g' };
    for (const P of ALL) {
      const next = rng(1);
      for (const [map, args] of Object.entries(argumentsOf(P, randomIn(P, 2, next), next))) {
        for (const bad of [null, undefined, 3, 'q', [1, 2], new Map()]) {
          const e = thrown(() => (P as unknown as Maps)[map](bad, ...args.slice(1)), NatgradError) as Error;
          expect(e.message.startsWith(`${P.name}.${map}: ${labels[map] ?? 'q'} `)).toBe(true);
        }
      }
    }
  });

  it('meanCholesky.toMoments(null) is a ShapeError (the issue’s example)', () => {
    const e = thrown(() => meanCholesky.toMoments(null as never), ShapeError);
    expect(e.message).toBe('meanCholesky.toMoments: q must be a plain object {mu, L}, got null');
  });

  it('validate constraints, not only structure: a negative σ² never reaches sqrt', () => {
    const e = thrown(() => diagonal.toScale({ mu: T([0, 0]), sigma2: T([-1, 1]) }), InvalidParameterError);
    expect([e.key, e.index, e.value]).toEqual(['q.sigma2', [0], -1]);
    expect(e.message.startsWith('diagonal.toScale: ')).toBe(true);
    expect(thrown(() => diagonalNatural.toMoments({ theta1: T([1]), theta2: T([0.5]) }), InvalidParameterError).key).toBe('q.theta2');
    expect(thrown(() => diagonal.fromNatural({ theta1: T([1]), theta2: T([0.5]) }), InvalidParameterError).key).toBe('theta.theta2');
    const np = thrown(() => meanCholesky.fromNatural({ theta1: T([1, 0]), theta2: T([[1, 0], [0, -1]]) }), NotPositiveDefiniteError);
    expect(np.message).toContain('meanCholesky.fromNatural: theta.theta2');
    expect(thrown(() => natural.fromMoments({ mu: T([0, 0]), Sigma: T([[1, 2], [0, 1]]) }), NotSymmetricError).key).toBe('m.Sigma');
    expect(thrown(() => diagonalExpectation.fromExpectation({ eta1: T([2]), eta2: T([1]) }), InvalidParameterError).key).toBe('eta.eta2 − eta.eta1² (the variance)');
    expect(thrown(() => meanCovariance.toNatural({ mu: T([0, NaN]), Sigma: T([[1, 0], [0, 1]]) }), NonFiniteError).index).toBe(1);
  });

  it('a valid argument whose image overflows float64 is a NonFiniteError pointing to checkUsable, not a silent ∞/NaN', () => {
    const q = { mu: T([0.2, -0.1]), L: T([[1e-200, 0], [0, 1]]) }; // valid, but Σ⁻¹ overflows
    const e = thrown(() => meanCholesky.toNatural(q), NonFiniteError);
    // core's linear algebra refuses the overflow where it happens (Σ⁻¹ = (LLᵀ)⁻¹), which the map reports as its own
    expect(e.message).toMatch(/^meanCholesky\.toNatural: computing an intermediate value \(.*see checkUsable\)/);
    expect(Number.isFinite(e.value)).toBe(false);
    // The fast path skips the map's checks; core's linear algebra still refuses to hand back an overflowed solve.
    expect(() => meanCholesky.unchecked.toNatural(q)).toThrow(/^choleskySolve: the result overflows float64/);
  });

  it('the gradient arguments of the closed forms are symmetrised / projected, as naturalGradient does', () => {
    const next = rng(5);
    const q = randomIn(meanCovariance, 3, next);
    const G = randn([3, 3], next);
    const a = meanCovariance.closedFormNaturalGradientFromEuclidean!(q, { mu: q.mu, Sigma: G });
    const b = meanCovariance.closedFormNaturalGradientFromEuclidean!(q, { mu: q.mu, Sigma: ops.matrixTranspose(G) as Tensor });
    expect((a.Sigma as Tensor).data).toEqual((b.Sigma as Tensor).data);
  });

  it('run on primal values: derivatives through checked maps equal those through the bare maps', () => {
    const next = rng(9);
    for (const P of ALL) {
      const q = randomIn(P, 3, next, 10);
      const t = P.unchecked.project(Object.fromEntries(P.keys.map((k) => [k, randn([...q[k].shape], next)])) as Record<string, Tensor>);
      const [, checked] = jvp((x: Record<string, Value>) => P.toNatural(x), [q], [t]);
      const [, bare] = jvp((x: Record<string, Value>) => P.unchecked.toNatural(x), [q], [t]);
      expectGaussianClose(checked as unknown as Record<string, Value>, bare as unknown as Record<string, Value>, 0, P.name);
      const g = grad((x: Record<string, Value>) => ops.sum(P.toScale(x)))(q) as Record<string, Value>;
      expectGaussianClose(g, grad((x: Record<string, Value>) => ops.sum(P.unchecked.toScale(x)))(q) as Record<string, Value>, 0, P.name);
    }
  });

  it('P.unchecked is frozen and has the same members as the descriptor’s maps', () => {
    for (const P of ALL) {
      expect(Object.isFrozen(P.unchecked)).toBe(true);
      expect(Object.keys(P.unchecked).sort()).toEqual(
        Object.keys(P).filter((k) => typeof (P as unknown as Maps)[k] === 'function' && k !== 'validate').sort(),
      );
    }
  });
});

describe('user-defined parametrisations get the same treatment', () => {
  const spec = {
    name: 'looseCovariance',
    family: 'full' as const,
    coordinates: { mu: 'vector' as const, S: 'symmetric' as const },
    toMoments: (q: { mu: Value; S: Value }) => ({ mu: q.mu, Sigma: q.S }),
    fromMoments: (m: { mu: Value; Sigma: Value }) => ({ mu: m.mu, S: m.Sigma }),
  };

  it('checked maps, derived maps included, name the parametrisation and the argument', () => {
    const P = defineParametrisation(spec);
    expect(thrown(() => P.toMoments(null as never), ShapeError).message).toMatch(/^looseCovariance\.toMoments: q must be a plain object/);
    const e = thrown(() => P.toNatural({ mu: T([0, 0]), S: T([[1, 2], [2, 1]]) }), NotPositiveDefiniteError);
    expect(e.message).toContain('looseCovariance.toNatural: the covariance Σ');
    expect(thrown(() => P.fromNatural({ theta1: T([0]), theta2: T([[1]]) }), NotPositiveDefiniteError).message).toContain('theta.theta2');
    const q = { mu: T([1, 2]), S: T([[2, 1], [1, 2]]) };
    expectGaussianClose(P.toNatural(q) as unknown as Record<string, Value>, natural.fromMoments({ mu: q.mu, Sigma: q.S }), 1e-15);
  });

  it('a map that breaks its contract is a typed error, not a TypeError later', () => {
    const broken = defineParametrisation({ ...spec, name: 'broken', toMoments: (q) => ({ mu: q.mu }) as never });
    const e = thrown(() => broken.toMoments({ mu: T([0]), S: T([[1]]) }), ShapeError);
    expect(e.message).toMatch(/^broken\.toMoments: the moments of q is missing the coordinate "Sigma"/);
    const wrongShape = defineParametrisation({ ...spec, name: 'wrongShape', fromMoments: (m) => ({ mu: ops.concat([m.mu, m.mu]), S: m.Sigma }) });
    expect(() => wrongShape.fromMoments({ mu: T([0]), Sigma: T([[1]]) })).toThrow(ShapeError);
  });

  it('the spec itself is validated: unknown members, non-functions, unsafe coordinate names, bad kinds', () => {
    const bad: [unknown, RegExp][] = [
      [{ ...spec, fromNaturals: spec.fromMoments }, /unknown member "fromNaturals"/],
      [{ ...spec, toMoments: 1 }, /spec\.toMoments must be a function/],
      [{ ...spec, name: '' }, /spec\.name must be a string/],
      [{ ...spec, family: 'fullish' }, /spec\.family must be 'full' or 'diagonal'/],
      [{ ...spec, coordinates: JSON.parse('{"__proto__": "vector", "S": "symmetric"}') }, /spec\.coordinates has the coordinate name "__proto__"/],
      [{ ...spec, coordinates: { constructor: 'vector', S: 'symmetric' } }, /coordinate name "constructor"/],
      [{ ...spec, coordinates: { mu: 'vector', S: 'square' } }, /spec\.coordinates\.S must be one of/],
      [{ ...spec, family: 'diagonal', coordinates: { mu: 'vector', S: 'symmetric' } }, /for the diagonal family/],
      [{ ...spec, coordinates: {} }, /1 to 16 coordinates/],
      [null, /spec must be a plain object, got null/],
    ];
    for (const [s, message] of bad) {
      const e = thrown(() => defineParametrisation(s as never), InvalidArgumentError);
      expect(e.message).toMatch(/^defineParametrisation/);
      expect(e.message).toMatch(message);
    }
  });
});

describe('the descriptor table and descriptor arguments', () => {
  it('parametrisations is a null-prototype table: untrusted names find nothing', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((parametrisations as unknown as Record<string, unknown>)[name]).toBeUndefined();
    }
    expect(Object.keys(parametrisations)).toHaveLength(10);
  });

  it('only descriptors made by defineParametrisation are accepted by entry points', () => {
    const q = { mu: T([0, 0]), L: T([[1, 0], [0, 1]]) };
    const fake = { name: 'fake', family: 'full', keys: ['mu', 'L'], fromNatural: () => q };
    const e = thrown(() => convert(q, fake as never, meanCholesky), InvalidArgumentError);
    expect(e.message).toBe('convert: from must be a parametrisation descriptor made by defineParametrisation (e.g. meanCholesky), got a plain object');
    expect(() => logpdf({ ...meanCholesky }, q, [0, 0])).toThrow(/logpdf: parametrisation must be a parametrisation descriptor/);
    expect(() => entropy(q as never, meanCholesky as never)).toThrow(InvalidArgumentError);
  });

  it('the public exponential-family maps are checked like the descriptors’ maps', () => {
    expect(thrown(() => fullMomentsFromNatural(null as never), ShapeError).message).toMatch(/^fullMomentsFromNatural: theta must be a plain object \{theta1, theta2\}/);
    const e = thrown(() => diagonalMomentsFromNatural({ theta1: T([1, 1]), theta2: T([-1, 0]) }), InvalidParameterError);
    expect([e.key, e.index, e.value]).toEqual(['theta.theta2', [1], 0]);
    const m = fullMomentsFromNatural({ theta1: T([1, 0]), theta2: T([[-0.5, 0], [0, -0.5]]) });
    expect((m.Sigma as Tensor).toArray()).toEqual([[1, 0], [0, 1]]);
  });
});
