/**
 * Arguments other than Gaussians: likelihood hyperparameters and labels, options objects, integers and the sizes
 * they imply, data arrays, callbacks. Each bad value is a typed error naming the function and the argument.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NatgradError, NonFiniteError, ShapeError, Tensor, type Value, ops, random } from '@natgrad/core';
import {
  InvalidParameterError,
  MAX_ARRAY_SIZE,
  bernoulliLogLikelihood,
  conjugatePosterior,
  defineParametrisation,
  diagonal,
  elboNaturalGradient,
  expectationGradient,
  expectedGaussianLogLikelihood,
  expectedLogLikelihood,
  gaussHermite,
  gaussHermiteExpectation,
  gaussianLogLikelihood,
  kl,
  logpdf,
  lossAndNaturalGradient,
  meanCholesky,
  meanCovariance,
  monteCarloElbo,
  naturalGradient,
  naturalGradientFromEuclidean,
  reparameterise,
  sample,
} from '@natgrad/distributions';

const T = Tensor.from;
const mu = T([0.2, -0.1]);
const L = T([[0.8, 0], [0.3, 0.6]]);
const q = { mu, L };
const X = T([[1, 0], [0.5, 1], [-1, 2]]);
const y = T([1, 0, 1]);
const g = { eta1: T([1, 0]), eta2: T([[1, 0], [0, 1]]) };
const key = random.key(0);
const target = (x: Value) => ops.mul(ops.sum(ops.square(x), -1), -0.5);

/** Runs `f`, expects a NatgradError of class `cls` whose message starts with `prefix`, returns it. */
function thrown<E extends Error>(f: () => unknown, cls: new (...args: never[]) => E, prefix: string): E {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(NatgradError);
    expect((e as Error).message.startsWith(prefix), `"${(e as Error).message}" starts with "${prefix}"`).toBe(true);
    return e as E;
  }
  throw new Error(`expected an error starting with ${prefix}`);
}

describe('likelihood hyperparameters', () => {
  it('the noise variance must be a positive finite scalar (−1 gave NaN)', () => {
    for (const v of [-1, 0, -0]) {
      const e = thrown(() => expectedGaussianLogLikelihood(X, y, v, meanCholesky, q), InvalidParameterError, 'expectedGaussianLogLikelihood: variance must be positive');
      expect([e.key, e.value]).toEqual(['variance', v]);
      thrown(() => gaussianLogLikelihood(v), InvalidParameterError, 'gaussianLogLikelihood: variance must be positive');
      thrown(() => conjugatePosterior(X, y, v, meanCovariance, { mu, Sigma: T([[1, 0], [0, 1]]) }), InvalidParameterError, 'conjugatePosterior: variance');
    }
    thrown(() => expectedGaussianLogLikelihood(X, y, NaN, meanCholesky, q), NonFiniteError, 'expectedGaussianLogLikelihood: variance');
    thrown(() => expectedGaussianLogLikelihood(X, y, Infinity, meanCholesky, q), NonFiniteError, 'expectedGaussianLogLikelihood: variance');
    thrown(() => expectedGaussianLogLikelihood(X, y, [0.5, 0.5], meanCholesky, q), ShapeError, 'expectedGaussianLogLikelihood: variance must be a scalar');
    thrown(() => gaussianLogLikelihood('0.5' as never), InvalidArgumentError, 'gaussianLogLikelihood: variance must be a tensor, a number');
    // A positive variance, as a number or a differentiable scalar value, still works.
    const a = (expectedGaussianLogLikelihood(X, y, 0.5, meanCholesky, q) as Tensor).item();
    expect((expectedGaussianLogLikelihood(X, y, Tensor.scalar(0.5), meanCholesky, q) as Tensor).item()).toBe(a);
  });

  it('Bernoulli labels must be 0 or 1: ±1 labels are refused, naming the data point', () => {
    const pm = T([1, -1, 1]);
    const e = thrown(() => expectedLogLikelihood(bernoulliLogLikelihood, X, pm, meanCholesky, q), InvalidParameterError, 'bernoulliLogLikelihood: y must hold labels 0 or 1');
    expect([e.key, e.index, e.value]).toEqual(['y', [1], -1]);
    expect(e.message).toContain('(y + 1) / 2');
    thrown(() => bernoulliLogLikelihood(T([0, 0.5]), T([1, 1])), InvalidParameterError, 'bernoulliLogLikelihood');
    thrown(() => bernoulliLogLikelihood(T([0, 1]), 'f' as never), InvalidArgumentError, 'bernoulliLogLikelihood: f');
    // 0/1 labels, and the documented mapping of ±1 labels, give the same finite value.
    const a = (expectedLogLikelihood(bernoulliLogLikelihood, X, T([1, 0, 1]), meanCholesky, q) as Tensor).item();
    const b = (expectedLogLikelihood(bernoulliLogLikelihood, X, ops.div(ops.add(pm, 1), 2), meanCholesky, q) as Tensor).item();
    expect(b).toBe(a);
    expect(Number.isFinite(a)).toBe(true);
  });

  it('y must be [N]: a column [N, 1] gets a message saying so', () => {
    const e = thrown(() => expectedLogLikelihood(bernoulliLogLikelihood, X, T([[1], [0], [1]]), meanCholesky, q), ShapeError, 'expectedLogLikelihood: y must have shape [3]');
    expect(e.message).toContain('one observation per row of X');
    expect(e.message).toContain('a column [N, 1]: pass it as a vector');
    thrown(() => expectedGaussianLogLikelihood(X, T([[1], [0], [1]]), 0.5, meanCholesky, q), ShapeError, 'expectedGaussianLogLikelihood: y must have shape [3]');
  });

  it('quadrature points: integers in 1 … 300, named as the caller’s option', () => {
    for (const points of [0, 2.5, NaN, 301, 1e9, -1, '20', Symbol('p')]) {
      thrown(() => expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q, { points: points as never }), InvalidArgumentError, 'expectedLogLikelihood: options.points must be an integer in [1, 300]');
      thrown(() => gaussHermiteExpectation(bernoulliLogLikelihood, y, T([0, 0, 0]), T([1, 1, 1]), { points: points as never }), InvalidArgumentError, 'gaussHermiteExpectation: options.points');
    }
    thrown(() => gaussHermite(Symbol('n') as never), InvalidArgumentError, 'gaussHermite: n must be an integer');
  });

  it('gaussHermiteExpectation: variances ≥ 0 (index named), one shape for mean and variance, y a vector', () => {
    const e = thrown(() => gaussHermiteExpectation(bernoulliLogLikelihood, y, T([0, 0, 0]), T([1, -2, 1])), InvalidParameterError, 'gaussHermiteExpectation: variance must be ≥ 0');
    expect(e.index).toEqual([1]);
    thrown(() => gaussHermiteExpectation(bernoulliLogLikelihood, y, T([0, 0, 0]), T([1, 1])), ShapeError, 'gaussHermiteExpectation: mean and variance');
    thrown(() => gaussHermiteExpectation(bernoulliLogLikelihood, T([[1]]), T([0]), T([1])), ShapeError, 'gaussHermiteExpectation: y must have shape [N]');
    thrown(() => gaussHermiteExpectation(bernoulliLogLikelihood, y, T([0, NaN, 0]), T([1, 1, 1])), NonFiniteError, 'gaussHermiteExpectation: mean');
    thrown(() => gaussHermiteExpectation(3 as never, y, T([0, 0, 0]), T([1, 1, 1])), InvalidArgumentError, 'gaussHermiteExpectation: g must be a function');
  });

  it('NaN from a callback is an error naming the callback and where (not a silent NaN ELBO)', () => {
    const nanAt1: typeof bernoulliLogLikelihood = (yy, f) => ops.mul(ops.log(ops.sub(yy, 0.5)), ops.add(f, 1)); // log(−0.5) at y = 0
    const e = thrown(() => expectedLogLikelihood(nanAt1, X, y, meanCholesky, q), NonFiniteError, 'expectedLogLikelihood: logLik returned NaN for data point 1 (y = 0)');
    expect(Number.isNaN(e.value)).toBe(true);
    thrown(() => monteCarloElbo((x) => ops.log(ops.sum(x, -1)), meanCholesky, q, { samples: 64, key }), NonFiniteError, 'monteCarloElbo: logTarget returned NaN for sample');
    thrown(() => lossAndNaturalGradient(() => ops.log(Tensor.scalar(-1)), meanCholesky, q), NonFiniteError, 'lossAndNaturalGradient: lossFn(q) is NaN');
  });
});

describe('options objects', () => {
  const calls: [string, (o: unknown) => unknown][] = [
    ['naturalGradient', (o) => naturalGradient(meanCholesky, q, g, o as never)],
    ['naturalGradientFromEuclidean', (o) => naturalGradientFromEuclidean(meanCholesky, q, q, o as never)],
    ['lossAndNaturalGradient', (o) => lossAndNaturalGradient((p) => ops.sum(p.mu), meanCholesky, q, o as never)],
    ['expectationGradient', (o) => expectationGradient(meanCholesky, q, q, o as never)],
    ['elboNaturalGradient', (o) => elboNaturalGradient({ logTarget: target, q, samples: 2, key, ...(o as object) })],
  ];

  it("booleans are booleans: 'no', 1, null and 'false' are refused (a truthy 'no' used to mean true)", () => {
    for (const [name, call] of calls) {
      for (const bad of ['no', 'false', 1, 0, null]) {
        thrown(() => call({ validate: bad }), InvalidArgumentError, `${name}: options.validate must be true or false`);
      }
      expect(() => call({ validate: true })).not.toThrow();
      expect(() => call({ validate: false })).not.toThrow();
    }
  });

  it('unknown keys (typos), non-objects and getters are refused; own keys only', () => {
    for (const [name, call] of calls) {
      thrown(() => call({ valdiate: false }), InvalidArgumentError, `${name}: options has an unknown option "valdiate"`);
      if (name !== 'expectationGradient') thrown(() => call({ method: 'fast' }), InvalidArgumentError, `${name}: options.method must be one of`);
    }
    thrown(() => naturalGradient(meanCholesky, q, g, 'ad' as never), InvalidArgumentError, 'naturalGradient: options must be a plain object, got "ad"');
    thrown(() => naturalGradient(meanCholesky, q, g, [] as never), InvalidArgumentError, 'naturalGradient: options must be a plain object');
    const getter = { get validate() { return false; } };
    thrown(() => naturalGradient(meanCholesky, q, g, getter as never), InvalidArgumentError, 'naturalGradient: options.validate must be a data property');
    // An inherited `validate: false` is not an option: the (invalid) q is still validated.
    const inherited = Object.create({ validate: false }) as object;
    expect(() => naturalGradient(meanCholesky, { mu, L: T([[1, 1], [0, 1]]) }, g, inherited as never)).toThrow(/options must be a plain object/);
    thrown(() => monteCarloElbo(target, meanCholesky, q, { samples: 2, key, sample: 3 } as never), InvalidArgumentError, 'monteCarloElbo: options has an unknown option "sample"');
    thrown(() => expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, q, { reduce: 'mean' as never }), InvalidArgumentError, "expectedLogLikelihood: options.reduce must be one of 'sum', 'none'");
    thrown(() => expectedGaussianLogLikelihood(X, y, 0.5, meanCholesky, q, { reduce: 'mean' as never }), InvalidArgumentError, 'expectedGaussianLogLikelihood: options.reduce');
  });

  it('validate: false skips value checks, never structure checks (no TypeError on a wrong tree)', () => {
    thrown(() => naturalGradient(meanCholesky, null as never, g, { validate: false }), ShapeError, 'naturalGradient: q must be a plain object');
    thrown(() => naturalGradient(meanCholesky, q, { eta1: mu } as never, { validate: false }), ShapeError, 'naturalGradient: dLdEta is missing the coordinate "eta2"');
    thrown(() => expectationGradient(meanCholesky, q, { mu, L: T([1, 2]) }, { validate: false }), ShapeError, 'expectationGradient: dLdXi.L must have shape');
    thrown(() => elboNaturalGradient({ logTarget: target, q: { mu } as never, samples: 2, key, validate: false }), ShapeError, 'elboNaturalGradient: q is missing');
  });
});

describe('integers and sizes', () => {
  it('sample: n is an integer ≥ 0 (NaN, fractions, ∞, strings refused); the key is a random.Key', () => {
    for (const n of [NaN, -1, 2.5, Infinity, '3', null]) thrown(() => sample(meanCholesky, q, key, n as never), InvalidArgumentError, 'sample: n must be an integer');
    for (const k of [0, [0, 0], null, {}]) thrown(() => sample(meanCholesky, q, k as never, 2), InvalidArgumentError, 'sample: key must be a random.Key');
    expect(sample(meanCholesky, q, key, 0).shape).toEqual([0, 2]);
  });

  it('huge counts are refused before anything is allocated', () => {
    const n = MAX_ARRAY_SIZE; // n·D = 2·MAX_ARRAY_SIZE elements
    thrown(() => sample(meanCholesky, q, key, n), InvalidArgumentError, 'sample: the samples would have shape [67108864, 2]');
    thrown(() => sample(meanCholesky, q, key, 2 ** 52), InvalidArgumentError, 'sample: n must be an integer in [0, 67108864]');
    thrown(() => monteCarloElbo(target, meanCholesky, q, { samples: n, key }), InvalidArgumentError, 'monteCarloElbo: the noise ε would have shape');
    thrown(() => elboNaturalGradient({ logTarget: target, q, samples: 2 ** 40, key }), InvalidArgumentError, 'elboNaturalGradient: options.samples must be an integer');
    const wide = { mu: Tensor.zeros([9000, 1, 1]), L: Tensor.ones([9000, 1, 1, 1]) };
    const tall = { mu: Tensor.zeros([1, 9000, 1]), L: Tensor.ones([1, 9000, 1, 1]) };
    thrown(() => kl(meanCholesky, wide, meanCholesky, tall), InvalidArgumentError, 'kl: the broadcast batch of matrices would have shape [9000, 9000, 1, 1]');
    thrown(() => logpdf(meanCholesky, wide, Tensor.zeros([1, 9000, 1])), InvalidArgumentError, 'logpdf: x − μ broadcast against q');
    const many = Tensor.zeros([10000, 1]);
    thrown(() => conjugatePosterior(many, Tensor.zeros([10000]), 1, diagonal, { mu: T([0]), sigma2: T([1]) }), InvalidArgumentError, 'conjugatePosterior: the marginal covariance');
  });

  it('data arrays are named when they do not convert or are not finite', () => {
    thrown(() => logpdf(meanCholesky, q, ['a', 'b'] as never), InvalidArgumentError, 'logpdf: x: Tensor.from');
    thrown(() => logpdf(meanCholesky, q, [[1, 2], [3]] as never), NatgradError, 'logpdf: x');
    thrown(() => logpdf(meanCholesky, q, 'x' as never), InvalidArgumentError, 'logpdf: x must be a tensor, a number or a nested array');
    thrown(() => reparameterise(meanCholesky, q, [Infinity, 0]), NonFiniteError, 'reparameterise: eps');
    thrown(() => expectedLogLikelihood(bernoulliLogLikelihood, T([[1, NaN]]), T([1]), meanCholesky, q), NonFiniteError, 'expectedLogLikelihood: X');
  });

  it('callbacks must be functions and return what they promise', () => {
    thrown(() => monteCarloElbo(null as never, meanCholesky, q, { samples: 2, key }), InvalidArgumentError, 'monteCarloElbo: logTarget must be a function');
    thrown(() => monteCarloElbo(() => 'x' as never, meanCholesky, q, { samples: 2, key }), InvalidArgumentError, 'monteCarloElbo: the value logTarget returned');
    thrown(() => expectedLogLikelihood({} as never, X, y, meanCholesky, q), InvalidArgumentError, 'expectedLogLikelihood: logLik must be a function');
    thrown(() => lossAndNaturalGradient(() => 3 as never, meanCholesky, q), InvalidArgumentError, 'lossAndNaturalGradient: lossFn must return a value');
    thrown(() => lossAndNaturalGradient((p) => p.mu, meanCholesky, q), ShapeError, 'lossAndNaturalGradient: lossFn must return a scalar');
  });

  it('a class constructor is not a callback (typeof says function, but calling it without new throws)', () => {
    class Fuzz {}
    const notCallable = 'must be a function, got a class constructor';
    thrown(() => monteCarloElbo(Fuzz as never, meanCholesky, q, { samples: 2, key }), InvalidArgumentError, `monteCarloElbo: logTarget ${notCallable}`);
    thrown(() => elboNaturalGradient({ logTarget: Fuzz as never, q, samples: 2, key }), InvalidArgumentError, `elboNaturalGradient: options.logTarget ${notCallable}`);
    thrown(() => expectedLogLikelihood(Fuzz as never, X, y, meanCholesky, q), InvalidArgumentError, `expectedLogLikelihood: logLik ${notCallable}`);
    thrown(() => gaussHermiteExpectation(Fuzz as never, y, T([0, 0, 0]), T([1, 1, 1])), InvalidArgumentError, `gaussHermiteExpectation: g ${notCallable}`);
    thrown(() => lossAndNaturalGradient(Fuzz as never, meanCholesky, q), InvalidArgumentError, `lossAndNaturalGradient: lossFn ${notCallable}`);
    const spec = { name: 'mine', family: 'full', coordinates: { mu: 'vector', Sigma: 'symmetric' }, toMoments: Fuzz, fromMoments: (m: unknown) => m };
    thrown(() => defineParametrisation(spec as never), InvalidArgumentError, `defineParametrisation (mine): spec.toMoments ${notCallable}`);
  });
});

describe('batches', () => {
  it('an empty batch is a batch: every entry point returns empty results (sampling used to fail in reshape)', () => {
    const empty = { mu: Tensor.zeros([0, 2]), L: Tensor.zeros([0, 2, 2]) };
    expect(sample(meanCholesky, empty, key, 3).shape).toEqual([3, 0, 2]);
    expect(monteCarloElbo((x) => ops.sum(x, -1), meanCholesky, empty, { samples: 2, key }).shape).toEqual([0]);
    expect(elboNaturalGradient({ logTarget: (x) => ops.sum(x, -1), q: empty, samples: 2, key }).naturalGradient.L.shape).toEqual([0, 2, 2]);
    expect(naturalGradient(meanCholesky, empty, { eta1: Tensor.zeros([0, 2]), eta2: Tensor.zeros([0, 2, 2]) }).L.shape).toEqual([0, 2, 2]);
    expect(kl(meanCholesky, empty, meanCholesky, q).shape).toEqual([0]);
    expect(expectedLogLikelihood(bernoulliLogLikelihood, X, y, meanCholesky, empty).shape).toEqual([0]);
  });
});
