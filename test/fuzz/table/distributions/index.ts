/**
 * Signatures of `@natgrad/distributions`: conversions, natural gradients, the distribution toolkit, quadrature and
 * likelihoods, each with a Gaussian in (μ, L) (and a diagonal variant for the generic toolkit), plus the descriptor
 * methods (descriptors.ts). Gaussians are validated at every entry point, so a broken constraint must be rejected.
 * @module
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import * as dist from '@natgrad/distributions';
import type { AnyParametrisation } from '@natgrad/distributions';
import { bad } from '../../harness/hostile.js';
import { type ExportSpec, type ModuleTable, apply, call, constant, construct, covered, stage } from '../../harness/entry.js';
import { array, bool, field, fn, int, key, options, str } from '../../harness/slots.js';
import { D, direction, gaussian, parametrisation } from '../../harness/slots-distributions.js';
import type { Entry, Expect, Slot } from '../../harness/types.js';
import { descriptorEntries } from './descriptors.js';

const MC = dist.meanCholesky;
const DIAG = dist.diagonal;

const method = () => str('method', { valid: 'ad', oneOf: ['auto', 'ad', 'closed-form'] });
const ngOptions = () => options('options', { method: method(), validate: bool('validate') }, { optional: true });
const P = (p: AnyParametrisation, other: AnyParametrisation = dist.meanCovariance) => parametrisation('P', p, other);
const other = (p: AnyParametrisation) => (p.family === 'full' ? dist.meanCovariance : dist.diagonalNatural);
const expectationOf = (p: AnyParametrisation) => (p.family === 'full' ? dist.expectation : dist.diagonalExpectation);

/** A scalar loss of q written with ops; misbehaving losses must be met with a typed error. */
const lossGarbage: readonly (readonly [string, unknown, Expect?])[] = [
  ['a string', 'abc'],
  ['undefined', undefined],
  ['a vector', Tensor.from([1, 2])],
  ['NaN', NaN, 'ieee'],
];
const lossFn = () => fn('lossFn', () => (q: Record<string, Value>) => ops.sum(ops.square(q.mu)), { garbage: lossGarbage });

/** log p for points [n, D] → [n]. */
const logTarget = () =>
  fn('logTarget', () => (x: Value) => ops.mul(-0.5, ops.sum(ops.square(x), -1)), {
    garbage: [['a string', 'abc'], ['undefined', undefined], ['a scalar (wrong shape)', 0], ['NaN', NaN, 'ieee']],
  });

/** A log-likelihood (y [N, 1], f [N, points]) → [N, points]. */
const logLik = () =>
  fn('logLik', () => dist.bernoulliLogLikelihood, { garbage: [['a string', 'abc'], ['undefined', undefined], ['a scalar (wrong shape)', 0], ['NaN', NaN, 'ieee']] });

const design = () => array('X', { shape: [5, D], nan: 'reject', minRank: 2, badShapes: [[5, D + 1], [D]] });
/** Binary labels (the Bernoulli likelihood documents y ∈ {0, 1}; the Gaussian ones take any real y). */
const labels = () =>
  array('y', {
    shape: [5], values: [0, 1], nan: 'reject', minRank: 1, badShapes: [[4], [5, 1]], seed: 9,
    extra: [bad('a label 0.5', () => Tensor.from([0, 1, 0.5, 1, 0]), 'reject', 'domain')],
  });
/** Any real observations, for the Gaussian likelihood. */
const observations = () => array('y', { shape: [5], nan: 'reject', minRank: 1, badShapes: [[4], [5, 1]], seed: 9 });
const variance = (name = 'variance') =>
  array(name, {
    shape: [], range: [0.5, 1], expect: { 'empty array []': 'any' },
    extra: [bad('negative variance', () => -1, 'reject', 'domain'), bad('zero variance', () => 0, 'reject', 'domain')],
  });

/** Entries of a toolkit function `f(P, q, ...rest)` for (μ, L) and for the diagonal family. */
function withP(name: string, f: (...a: any[]) => unknown, rest: (p: AnyParametrisation) => readonly Slot[], o: { result?: Entry['result']; names?: readonly string[] } = {}): Entry[] {
  return [MC, DIAG].map((p) => call(p === MC ? name : `${name} [${p.name}]`, f, [P(p, other(p)), gaussian('q', p), ...rest(p)], o));
}

const family = (name: string, f: (x: any) => unknown, p: AnyParametrisation) => [call(name, f, [gaussian('x', p, { toctou: false })])];

/** `@natgrad/distributions`, by export name. */
const exportsTable: Readonly<Record<string, ExportSpec>> = {
  InvalidParameterError: [
    construct('new InvalidParameterError', dist.InvalidParameterError, [
      field('where', () => 'fuzz'), field('key', () => 'q.L'), field('index', () => [0, 1]), field('value', () => -1), field('requirement', () => 'must be positive'),
    ]),
  ],
  NotSymmetricError: [
    construct('new NotSymmetricError', dist.NotSymmetricError, [
      field('where', () => 'fuzz'), field('key', () => 'q.Sigma'), field('row', () => 1), field('column', () => 0),
      field('values', () => [1, 2]), field('batchIndex', () => 0), field('tolerance', () => 1e-8),
    ]),
  ],
  SYMMETRY_TOLERANCE: constant(dist.SYMMETRY_TOLERANCE, 1e-8),
  MAX_ARRAY_SIZE: constant(dist.MAX_ARRAY_SIZE, 2 ** 26),
  checkUsable: withP('checkUsable', dist.checkUsable, () => [str('where', { valid: 'fuzzWhere', optional: true })], { result: 'none', names: ['fuzzWhere'] }),
  GAUSS_HERMITE_MAX_POINTS: constant(dist.GAUSS_HERMITE_MAX_POINTS, 300),
  defineParametrisation: [
    call('defineParametrisation', dist.defineParametrisation, [
      options('spec', {
        name: str('name', { valid: 'fuzzCovariance' }),
        family: str('family', { valid: 'full', oneOf: ['full', 'diagonal'] }),
        coordinates: options('coordinates', {
          mu: str('mu', { valid: 'vector', oneOf: ['vector', 'positive', 'negative', 'symmetric', 'lower', 'cholesky'] }),
        }, { valid: () => ({ mu: 'vector', Sigma: 'symmetric' }), strict: false }),
        toMoments: fn('toMoments', () => (q: unknown) => q),
        fromMoments: fn('fromMoments', () => (m: unknown) => m),
      }, {
        valid: () => ({ name: 'fuzzCovariance', family: 'full', coordinates: { mu: 'vector', Sigma: 'symmetric' }, toMoments: (q: unknown) => q, fromMoments: (m: unknown) => m }),
        required: ['name', 'family', 'coordinates', 'toMoments', 'fromMoments'],
      }),
    ], {
      // The descriptor it makes must validate and convert a Gaussian in its coordinates, both ways (so that a
      // fromMoments returning garbage is met).
      then: [
        stage([gaussian('q', dist.meanCovariance)], (p: AnyParametrisation, [q]) => {
          p.validate(q as never);
          p.toNatural(q as never);
          return p.fromMoments(p.toMoments(q as never) as never);
        }),
      ],
      names: ['fuzzCovariance'],
    }),
  ],
  fullMomentsFromNatural: family('fullMomentsFromNatural', dist.fullMomentsFromNatural, dist.natural),
  fullNaturalFromMoments: family('fullNaturalFromMoments', dist.fullNaturalFromMoments, dist.meanCovariance),
  fullMomentsFromExpectation: family('fullMomentsFromExpectation', dist.fullMomentsFromExpectation, dist.expectation),
  fullExpectationFromMoments: family('fullExpectationFromMoments', dist.fullExpectationFromMoments, dist.meanCovariance),
  diagonalMomentsFromNatural: family('diagonalMomentsFromNatural', dist.diagonalMomentsFromNatural, dist.diagonalNatural),
  diagonalNaturalFromMoments: family('diagonalNaturalFromMoments', dist.diagonalNaturalFromMoments, dist.diagonal),
  diagonalMomentsFromExpectation: family('diagonalMomentsFromExpectation', dist.diagonalMomentsFromExpectation, dist.diagonalExpectation),
  diagonalExpectationFromMoments: family('diagonalExpectationFromMoments', dist.diagonalExpectationFromMoments, dist.diagonal),
  convert: [call('convert', dist.convert, [gaussian('q', MC), parametrisation('from', MC, DIAG), parametrisation('to', dist.natural, DIAG)])],
  naturalGradient: withP('naturalGradient', dist.naturalGradient, (p) => [direction('dLdEta', expectationOf(p)), ngOptions()]),
  naturalGradientFromEuclidean: withP('naturalGradientFromEuclidean', dist.naturalGradientFromEuclidean, (p) => [direction('dLdXi', p), ngOptions()]),
  expectationGradient: withP('expectationGradient', dist.expectationGradient, (p) => [
    direction('dLdXi', p),
    options('options', { validate: bool('validate') }, { optional: true }),
  ]),
  lossAndNaturalGradient: [call('lossAndNaturalGradient', dist.lossAndNaturalGradient, [lossFn(), P(MC), gaussian('q', MC), ngOptions()])],
  elboNaturalGradient: [
    call('elboNaturalGradient', dist.elboNaturalGradient, [
      options('options', {
        logTarget: logTarget(),
        q: gaussian('q', MC),
        samples: int('samples', { valid: 8, min: 1, size: true }),
        key: key('key'),
        method: method(),
        validate: bool('validate'),
      }, {
        valid: () => ({ logTarget: (x: Value) => ops.mul(-0.5, ops.sum(ops.square(x), -1)), q: gaussian('q', MC).valid(), samples: 8, key: key('key').valid() }),
        required: ['logTarget', 'q', 'samples', 'key'],
      }),
    ]),
  ],
  sample: withP('sample', dist.sample, () => [key('key'), int('n', { valid: 4, size: true })]),
  reparameterise: withP('reparameterise', dist.reparameterise, () => [array('eps', { shape: [4, D], minRank: 1, badShapes: [[4, D + 1], [D + 1]] })]),
  logpdf: withP('logpdf', dist.logpdf, () => [array('x', { shape: [4, D], nan: 'reject', minRank: 1, badShapes: [[4, D + 1], [D + 1]] })]),
  entropy: withP('entropy', dist.entropy, () => []),
  kl: [MC, DIAG].map((p) =>
    call(p === MC ? 'kl' : `kl [${p.name}]`, dist.kl, [
      parametrisation('Pq', p, other(p)), gaussian('q', p), parametrisation('Pp', dist.meanCovariance, DIAG), gaussian('p', dist.meanCovariance),
    ]),
  ),
  monteCarloElbo: [
    call('monteCarloElbo', dist.monteCarloElbo, [
      logTarget(), P(MC), gaussian('q', MC),
      options('options', { samples: int('samples', { valid: 8, min: 1, size: true }), key: key('key') }, {
        valid: () => ({ samples: 8, key: key('key').valid() }),
        required: ['samples', 'key'],
      }),
    ]),
  ],
  // log-likelihood terms may be −∞ (outside the support), a KL +∞: NaN and the other infinities must be refused
  minibatchElbo: [
    call('minibatchElbo', dist.minibatchElbo, [
      array('logLik', { shape: [4], nan: 'reject', badShapes: [[]], range: [-3, -0.1], expect: { '-Infinity entry': 'ieee', '-Infinity at flat index 0': 'ieee', '-Infinity at flat index 1': 'ieee', '-Infinity at flat index 2': 'ieee', '-Infinity at flat index 3': 'ieee' } }),
      // kl [...batch] broadcasts against logLik's batch axes: a [3] kl is a batch of three q's
      array('kl', { shape: [], nan: 'reject', badShapes: [[3]], range: [0.1, 2], expect: { '+Infinity entry': 'ieee', 'Infinity at flat index 0': 'ieee', 'shape [3]': 'any' } }),
      // dataSize is a count, not an allocation: a large one is fine
      options('options', { dataSize: int('dataSize', { valid: 100, min: 4, size: true, expect: { '2^31': 'any', '1e9': 'any' } }) }, { valid: () => ({ dataSize: 100 }), required: ['dataSize'] }),
    ]),
  ],
  minibatchScale: [call('minibatchScale', dist.minibatchScale, [int('dataSize', { valid: 100, min: 1, size: true, expect: { '2^31': 'any', '1e9': 'any' } }), int('batchSize', { valid: 10, min: 1, size: true })])],
  gaussHermite: [call('gaussHermite', dist.gaussHermite, [int('n', { valid: 5, min: 1, max: dist.GAUSS_HERMITE_MAX_POINTS })])],
  expectedLogLikelihood: [
    call('expectedLogLikelihood', dist.expectedLogLikelihood, [
      logLik(), design(), labels(), P(MC), gaussian('q', MC),
      options('options', { points: int('points', { valid: 10, min: 1, max: dist.GAUSS_HERMITE_MAX_POINTS }), reduce: str('reduce', { valid: 'none', oneOf: ['sum', 'none'] }) }, { optional: true }),
    ], {
      // Labels are checked by the likelihood they are handed to (here bernoulliLogLikelihood, whose error names it).
      names: ['bernoulliLogLikelihood'],
    }),
  ],
  gaussHermiteExpectation: [
    call('gaussHermiteExpectation', dist.gaussHermiteExpectation, [
      fn('g', () => (_y: Value, f: Value) => ops.sigmoid(f), { garbage: [['a string', 'abc'], ['undefined', undefined], ['a scalar (wrong shape)', 0]] }),
      array('y', { shape: [5], range: [0, 1], nan: 'reject', badShapes: [[4], [5, 1]], seed: 9 }),
      array('mean', { shape: [5], nan: 'reject', badShapes: [[4]], seed: 10 }),
      array('variance', { shape: [5], range: [0.1, 1], nan: 'reject', badShapes: [[4]], seed: 11, extra: [bad('negative entry', () => Tensor.from([1, -1, 1, 1, 1]), 'reject', 'domain')] }),
      options('options', { points: int('points', { valid: 10, min: 1, max: dist.GAUSS_HERMITE_MAX_POINTS }), where: str('where', { valid: 'fuzzWhere' }) }, { optional: true }),
    ], { names: ['fuzzWhere'] }),
  ],
  bernoulliLogLikelihood: [
    call('bernoulliLogLikelihood', dist.bernoulliLogLikelihood, [
      array('y', { shape: [5, 1], values: [0, 1], badShapes: [[4, 1]], extra: [bad('a label 0.5', () => Tensor.from([[0], [1], [0.5], [1], [0]]), 'reject', 'domain')] }),
      array('f', { shape: [5, 3], badShapes: [[4, 3]], seed: 2 }),
    ]),
  ],
  gaussianLogLikelihood: [
    call('gaussianLogLikelihood', dist.gaussianLogLikelihood, [variance()], {
      then: [apply([array('y', { shape: [5, 1], badShapes: [[4, 1]] }), array('f', { shape: [5, 3], badShapes: [[4, 3]], seed: 2 })])],
    }),
  ],
  expectedGaussianLogLikelihood: [
    call('expectedGaussianLogLikelihood', dist.expectedGaussianLogLikelihood, [
      design(), observations(), variance(), P(MC), gaussian('q', MC),
      options('options', { reduce: str('reduce', { valid: 'none', oneOf: ['sum', 'none'] }) }, { optional: true }),
    ]),
  ],
  conjugatePosterior: [
    call('conjugatePosterior', dist.conjugatePosterior, [design(), observations(), variance(), P(dist.meanCovariance, MC), gaussian('prior', dist.meanCovariance)]),
  ],
  parametrisations: covered('the built-in descriptors by name: checked to be the exported descriptors, frozen', () => {
    const problems: string[] = [];
    const rec = dist.parametrisations as unknown as Readonly<Record<string, unknown>>;
    if (!Object.isFrozen(rec)) problems.push('is not frozen');
    for (const [k, v] of Object.entries(rec)) {
      if (v !== (dist as unknown as Readonly<Record<string, unknown>>)[k]) problems.push(`.${k} is not the exported ${k}`);
      if ((v as AnyParametrisation).name !== k) problems.push(`.${k} is named ${(v as AnyParametrisation).name}`);
    }
    return problems;
  }),
};

const descriptors = Object.fromEntries(
  Object.entries(dist.parametrisations).map(([name, p]) => [name, descriptorEntries(name, p as AnyParametrisation)]),
);

/** `@natgrad/distributions`. */
export const distributionsTable: ModuleTable = {
  id: '@natgrad/distributions',
  module: dist as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/distributions/src/index.ts',
  exports: { ...exportsTable, ...descriptors },
};
