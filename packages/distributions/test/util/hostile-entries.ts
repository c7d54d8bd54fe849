/**
 * The table of the export-wide property test: for every runtime export of the package, the callables it offers, how
 * to make valid arguments for them, and the slots whose candidates replace those arguments.
 */
import { Tensor, type Value, ops, random } from '@natgrad/core';
import * as D from '@natgrad/distributions';
import type { AnyParametrisation } from '@natgrad/distributions';
import { expect } from 'vitest';
import { type Candidate, arrayCandidates, integerCandidates, junk, keyCandidates, optionsCandidates, treeCandidates } from './hostile.js';
import { randn, randomIn, randomLike } from './gaussians.js';
import {
  BUILT_IN,
  type Entry,
  SPACE_KINDS,
  type Setup,
  type Tree,
  arraySlot,
  bool,
  descriptorEntries,
  descriptorSlot,
  etaGradient,
  integerSlot,
  kindsOf,
  labels,
  leadingAxesSlot,
  likelihoodArgument,
  method,
  optionsSlot,
  pairKinds,
  pickP,
  plusMinusOne,
  positive,
  returning,
  target,
  tree,
  userDiagonal,
  userFull,
  whereSlot,
  withGaussian,
  gaussianOf,
} from './hostile-slots.js';

/** Entries by export name: the test checks that these are exactly the package's runtime exports. */
export const ENTRIES: Record<string, Entry[]> = {};
const add = (exportName: string, ...entries: Entry[]) => (ENTRIES[exportName] = [...(ENTRIES[exportName] ?? []), ...entries]);

for (const P of BUILT_IN) add(P.name, ...descriptorEntries(P));
add('defineParametrisation', ...[userFull, userDiagonal].flatMap(descriptorEntries), {
  name: 'defineParametrisation',
  prefix: 'defineParametrisation',
  valid: () => [{ name: 'x', family: 'full', coordinates: { mu: 'vector', S: 'symmetric' }, toMoments: (q: Tree) => ({ mu: q.mu, Sigma: q.S }), fromMoments: (m: Tree) => ({ mu: m.mu, S: m.Sigma }) }],
  slots: [
    {
      label: 'spec',
      candidates: (v) => {
        const spec = v as Record<string, unknown>;
        const bad = (kind: string, value: unknown): Candidate => ({ kind, value, invalid: true });
        return [
          ...junk(),
          bad('an unknown member', { ...spec, fromNaturals: spec.fromMoments }),
          bad('a missing map', { ...spec, toMoments: undefined }),
          bad('a non-function map', { ...spec, toNatural: 'map' }),
          bad('an empty name', { ...spec, name: '' }),
          bad('a symbol name', { ...spec, name: Symbol('n') }),
          bad('a bad family', { ...spec, family: 'both' }),
          bad('no coordinates', { ...spec, coordinates: {} }),
          bad('a __proto__ coordinate', { ...spec, coordinates: JSON.parse('{"__proto__": "vector", "S": "symmetric"}') }),
          bad('a constructor coordinate', { ...spec, coordinates: { constructor: 'vector', S: 'symmetric' } }),
          bad('a symbol coordinate', { ...spec, coordinates: { [Symbol('c')]: 'vector' } }),
          bad('a non-identifier coordinate', { ...spec, coordinates: { 'a b': 'vector' } }),
          bad('a bad kind', { ...spec, coordinates: { mu: 'vector', S: 'square' } }),
          bad('17 coordinates', { ...spec, coordinates: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`c${i}`, 'vector'])) }),
          bad('a getter member', Object.defineProperty({ ...spec }, 'name', { get: () => 'x', enumerable: true })),
          bad('coordinates as an array', { ...spec, coordinates: ['vector'] }),
          { kind: 'a null-prototype spec', value: Object.assign(Object.create(null), spec), invalid: false },
        ];
      },
    },
  ],
  call: ([spec]) => D.defineParametrisation(spec as never),
});

const familyMap = (name: string, family: string, from: 'moments' | 'natural' | 'expectation', label: string, valid: (s: Setup) => unknown): Entry => ({
  name,
  prefix: name,
  valid: (s) => [valid(s)],
  slots: [tree(label, () => SPACE_KINDS[family][from], true)],
  call: ([a]) => (D as unknown as Record<string, (x: unknown) => unknown>)[name](a),
});
const fullQ = (s: Setup) => randomIn(D.meanCovariance, s.d, s.next, 30, s.batch);
const diagQ = (s: Setup) => randomIn(D.diagonal, s.d, s.next, 30, s.batch);
add('fullMomentsFromNatural', familyMap('fullMomentsFromNatural', 'full', 'natural', 'theta', (s) => D.meanCovariance.unchecked.toNatural(fullQ(s))));
add('fullNaturalFromMoments', familyMap('fullNaturalFromMoments', 'full', 'moments', 'm', fullQ));
add('fullMomentsFromExpectation', familyMap('fullMomentsFromExpectation', 'full', 'expectation', 'eta', (s) => D.meanCovariance.unchecked.toExpectation(fullQ(s))));
add('fullExpectationFromMoments', familyMap('fullExpectationFromMoments', 'full', 'moments', 'm', fullQ));
add('diagonalMomentsFromNatural', familyMap('diagonalMomentsFromNatural', 'diagonal', 'natural', 'theta', (s) => D.diagonal.unchecked.toNatural(diagQ(s))));
add('diagonalNaturalFromMoments', familyMap('diagonalNaturalFromMoments', 'diagonal', 'moments', 'm', diagQ));
add('diagonalMomentsFromExpectation', familyMap('diagonalMomentsFromExpectation', 'diagonal', 'expectation', 'eta', (s) => D.diagonal.unchecked.toExpectation(diagQ(s))));
add('diagonalExpectationFromMoments', familyMap('diagonalExpectationFromMoments', 'diagonal', 'moments', 'm', diagQ));

add('checkUsable', withGaussian('checkUsable', [whereSlot()], () => ['checkUsable'], ([P, q, w]) => D.checkUsable(P as never, q as never, w as string)));
add('convert', {
  name: 'convert',
  prefix: 'convert',
  valid: (s) => {
    const from = pickP(s);
    const to = from.family === 'full' ? pickP({ ...s, pick: s.pick + 1 }, 'full') : pickP({ ...s, pick: s.pick + 3 });
    return [gaussianOf(from, s), from, to];
  },
  slots: [{ label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, descriptorSlot('from'), descriptorSlot('to')],
  call: ([q, from, to]) => D.convert(q as Tree, from as never, to as never),
});
const ngOptions = () => optionsSlot({ method, validate: bool });
add('naturalGradient', withGaussian('naturalGradient', [tree('dLdEta', pairKinds, false), ngOptions()], (P, _q, s) => [etaGradient(P, s), undefined], ([P, q, g, o]) => D.naturalGradient(P as never, q as never, g as never, o as never)));
add('naturalGradientFromEuclidean', withGaussian('naturalGradientFromEuclidean', [{ label: 'dLdXi', candidates: (v, s) => treeCandidates(v as Tree, {}, false, s.pick) }, ngOptions()], (_P, q, s) => [randomLike(q, s.next), undefined], ([P, q, g, o]) => D.naturalGradientFromEuclidean(P as never, q as never, g as never, o as never)));
add('expectationGradient', withGaussian('expectationGradient', [{ label: 'dLdXi', candidates: (v, s) => treeCandidates(v as Tree, {}, false, s.pick) }, optionsSlot({ validate: bool })], (_P, q, s) => [randomLike(q, s.next), undefined], ([P, q, g, o]) => D.expectationGradient(P as never, q as never, g as never, o as never)));
const lossFnSlot = returning('lossFn', ['a string', () => 'loss'], ['a number', () => 3], ['NaN', () => Tensor.scalar(NaN)], ['a vector', (q) => (q as unknown as Tree)[Object.keys(q)[0]]]);
add('lossAndNaturalGradient', {
  name: 'lossAndNaturalGradient',
  prefix: 'lossAndNaturalGradient',
  valid: (s) => {
    const P = pickP(s);
    return [(q: Tree) => ops.sum(ops.square(P.unchecked.toMoments(q).mu)), P, gaussianOf(P, s), undefined];
  },
  slots: [lossFnSlot, descriptorSlot('parametrisation'), { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, ngOptions()],
  call: ([f, P, q, o]) => D.lossAndNaturalGradient(f as never, P as never, q as never, o as never),
});
add('elboNaturalGradient', {
  name: 'elboNaturalGradient',
  prefix: 'elboNaturalGradient',
  valid: (s) => [{ logTarget: target, q: gaussianOf(D.meanCholesky, s), samples: 3, key: random.key(s.pick) }],
  slots: [
    {
      label: 'options',
      candidates: (v, s) => {
        const o = v as Record<string, unknown>;
        const member = (k: string, cs: Candidate[], label: string) => cs.filter((c) => c.kind !== 'undefined' || k !== 'method').map((c) => ({ ...c, kind: `${k}: ${c.kind}`, value: { ...o, [k]: c.value }, label: c.invalid ? label : undefined, invalid: c.invalid && !(c.kind === 'undefined' && (k === 'validate' || k === 'method')) }));
        return [
          ...junk(),
          ...member('logTarget', returning('logTarget', ['NaN', (x) => ops.mul(ops.sum(x, -1), NaN)], ['a wrong shape', (x) => x]).candidates(undefined, s), 'logTarget'),
          ...member('q', treeCandidates(o.q as Tree, D.meanCholesky.coordinates, true, s.pick), 'q'),
          ...member('samples', integerCandidates(1, D.MAX_ARRAY_SIZE), 'options.samples'),
          ...member('key', keyCandidates(), 'options.key'),
          ...member('method', method(), 'options.method'),
          ...member('validate', bool(), 'options.validate'),
          { kind: 'an unknown member', value: { ...o, sample: 3 }, invalid: true },
        ];
      },
    },
  ],
  call: ([o]) => D.elboNaturalGradient(o as never),
});
add('sample', withGaussian('sample', [{ label: 'key', candidates: () => keyCandidates() }, integerSlot('n', 0, D.MAX_ARRAY_SIZE)], (_P, _q, s) => [random.key(s.pick), 3], ([P, q, k, n]) => D.sample(P as never, q as never, k as never, n as number)));
add('reparameterise', withGaussian('reparameterise', [leadingAxesSlot('eps')], (_P, _q, s) => [randn([2, ...s.batch, s.d], s.next)], ([P, q, e]) => D.reparameterise(P as never, q as never, e as never)));
add('logpdf', withGaussian('logpdf', [leadingAxesSlot('x')], (_P, _q, s) => [randn([3, ...s.batch, s.d], s.next)], ([P, q, x]) => D.logpdf(P as never, q as never, x as never)));
add('entropy', withGaussian('entropy', [], () => [], ([P, q]) => D.entropy(P as never, q as never)));
add('kl', {
  name: 'kl',
  prefix: 'kl',
  valid: (s) => {
    const Pq = pickP(s), Pp = pickP({ ...s, pick: s.pick + 5 });
    return [Pq, gaussianOf(Pq, s), Pp, gaussianOf(Pp, s)];
  },
  slots: [
    descriptorSlot('Pq'),
    { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) },
    descriptorSlot('Pp'),
    { label: 'p', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) },
  ],
  call: ([Pq, q, Pp, p]) => D.kl(Pq as never, q as never, Pp as never, p as never),
});
const logTargetSlot = returning('logTarget', ['NaN', (x) => ops.mul(ops.sum(x, -1), NaN)], ['a wrong shape', (x) => x], ['a string', () => 'x'], ['a number', () => 1]);
add('monteCarloElbo', {
  name: 'monteCarloElbo',
  prefix: 'monteCarloElbo',
  valid: (s) => {
    const P = pickP(s);
    return [target, P, gaussianOf(P, s), { samples: 3, key: random.key(s.pick) }];
  },
  slots: [logTargetSlot, descriptorSlot('parametrisation'), { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, {
    label: 'options',
    candidates: (v, s) => [
      ...optionsCandidates({}, s.pick).filter((c) => c.kind !== 'no options' && c.kind !== 'a null-prototype object'),
      ...integerCandidates(1, D.MAX_ARRAY_SIZE).map((c) => ({ ...c, kind: `samples: ${c.kind}`, value: { ...(v as object), samples: c.value }, label: 'options.samples' })),
      ...keyCandidates().map((c) => ({ ...c, kind: `key: ${c.kind}`, value: { ...(v as object), key: c.value }, label: 'options.key' })),
    ],
  }],
  call: ([f, P, q, o]) => D.monteCarloElbo(f as never, P as never, q as never, o as never),
});
add('gaussHermite', { name: 'gaussHermite', prefix: 'gaussHermite', valid: () => [5], slots: [integerSlot('n', 1, 300)], call: ([n]) => D.gaussHermite(n as number) });
const logLikSlot = returning('logLik', ['NaN', (_y: Value, f?: Value) => ops.mul(f as Value, NaN)], ['a wrong shape', () => Tensor.zeros([7])], ['a string', () => 'll']);
add('expectedLogLikelihood', {
  name: 'expectedLogLikelihood',
  prefix: ['expectedLogLikelihood', 'bernoulliLogLikelihood'],
  valid: (s) => {
    const P = pickP(s);
    return [D.bernoulliLogLikelihood, randn([4, s.d], s.next), labels(4, s.next), P, gaussianOf(P, s), undefined];
  },
  slots: [logLikSlot, arraySlot('X'), arraySlot('y'), descriptorSlot('parametrisation'), { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, optionsSlot({ points: () => integerCandidates(1, 300), reduce: () => [...junk(), { kind: "'mean'", value: 'mean', invalid: true }] })],
  call: ([f, X, y, P, q, o]) => D.expectedLogLikelihood(f as never, X as never, y as never, P as never, q as never, o as never),
});
add('gaussHermiteExpectation', {
  name: 'gaussHermiteExpectation',
  prefix: ['gaussHermiteExpectation', 'bernoulliLogLikelihood'],
  valid: (s) => [D.bernoulliLogLikelihood, labels(4, s.next), randn([...s.batch, 4], s.next), ops.square(randn([...s.batch, 4], s.next)), undefined],
  slots: [
    returning('g', ['NaN', (_y: Value, f?: Value) => ops.mul(f as Value, NaN)], ['a wrong shape', () => Tensor.zeros([7])]),
    arraySlot('y'),
    arraySlot('mean'),
    { label: 'variance', candidates: (v, s) => [...arrayCandidates(v as Tensor, s.pick), { kind: 'a negative variance', value: ops.neg(ops.add(v as Tensor, 1)), invalid: true }] },
    optionsSlot({ points: () => integerCandidates(1, 300) }),
  ],
  call: ([g, y, m, v, o]) => D.gaussHermiteExpectation(g as never, y as never, m as never, v as never, o as never),
});
add('bernoulliLogLikelihood', {
  name: 'bernoulliLogLikelihood',
  prefix: 'bernoulliLogLikelihood',
  valid: (s) => [ops.reshape(labels(4, s.next), [4, 1]), randn([...s.batch, 4, 3], s.next)],
  slots: [
    { label: 'y', candidates: (v, s) => [...likelihoodArgument(v as Tensor, s), { kind: '±1 labels', value: plusMinusOne(v as Tensor), invalid: true }, { kind: 'a label 0.5', value: ops.add(ops.mul(v as Tensor, 0), 0.5), invalid: true }] },
    { label: 'f', candidates: (v, s) => likelihoodArgument(v as Tensor, s) },
  ],
  call: ([y, f]) => D.bernoulliLogLikelihood(y as never, f as never),
});
add('gaussianLogLikelihood', { name: 'gaussianLogLikelihood', prefix: 'gaussianLogLikelihood', valid: () => [0.5], slots: [positive('variance')], call: ([v]) => D.gaussianLogLikelihood(v as never) }, {
  name: 'gaussianLogLikelihood(0.5)(y, f)',
  prefix: 'gaussianLogLikelihood',
  valid: (s) => [randn([4, 1], s.next), randn([4, 3], s.next)],
  slots: [
    { label: 'y', candidates: (v, s) => likelihoodArgument(v as Tensor, s) },
    { label: 'f', candidates: (v, s) => likelihoodArgument(v as Tensor, s) },
  ],
  call: ([y, f]) => D.gaussianLogLikelihood(0.5)(y as never, f as never),
});
const reduceOptions = () => optionsSlot({ reduce: () => [...junk(), { kind: "'mean'", value: 'mean', invalid: true }] });
add('expectedGaussianLogLikelihood', {
  name: 'expectedGaussianLogLikelihood',
  prefix: 'expectedGaussianLogLikelihood',
  valid: (s) => {
    const P = pickP(s);
    return [randn([4, s.d], s.next), randn([4], s.next), 0.5, P, gaussianOf(P, s), undefined];
  },
  slots: [arraySlot('X'), arraySlot('y'), positive('variance'), descriptorSlot('parametrisation'), { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, reduceOptions()],
  call: ([X, y, v, P, q, o]) => D.expectedGaussianLogLikelihood(X as never, y as never, v as never, P as never, q as never, o as never),
});
add('conjugatePosterior', {
  name: 'conjugatePosterior',
  prefix: 'conjugatePosterior',
  valid: (s) => {
    const P = pickP(s);
    return [randn([4, s.d], s.next), randn([4], s.next), 0.5, P, randomIn(P, s.d, s.next, 30)];
  },
  slots: [arraySlot('X'), arraySlot('y'), positive('variance'), descriptorSlot('parametrisation'), { label: 'prior', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }],
  call: ([X, y, v, P, p]) => D.conjugatePosterior(X as never, y as never, v as never, P as never, p as never),
});
const bad = (kind: string, value: unknown): Candidate => ({ kind, value, invalid: true });
const maybe = (kind: string, value: unknown): Candidate => ({ kind, value, invalid: false });
/** logLik [..., B] of a batch of B ≤ N = 10 points: −∞ entries and extra batch axes are valid, NaN and +∞ are not. */
const logLikCandidates = (v: Tensor): Candidate[] => [
  ...junk(),
  bad('NaN', ops.mul(v, NaN)),
  bad('+∞', ops.add(v, Infinity)),
  maybe('−∞', ops.add(v, -Infinity)),
  bad('a scalar', Tensor.scalar(-1)),
  bad('no data points', Tensor.zeros([0])),
  bad('more points than the data', Tensor.zeros([11])),
  bad('an array of strings', ['a', 'b']),
  bad('a ragged array', [[1, 2], [3]]),
  maybe('an extra batch axis', Tensor.zeros([2, 3])),
  maybe('a nested array', v.toArray()),
  maybe('scaled by 1e300', v.mul(1e300)),
];
const klCandidates = (): Candidate[] => [
  ...junk(),
  bad('a tensor of NaN', Tensor.scalar(NaN)),
  bad('−∞', -Infinity),
  maybe('+∞', Infinity),
  maybe('a vector', Tensor.from([1, 2])),
  bad('a matrix that does not broadcast', Tensor.zeros([2, 2, 3])),
  bad('an array of strings', ['a']),
];
const dataSizeCandidates = (): Candidate[] => [
  ...junk().filter((c) => c.kind !== 'undefined'),
  bad('a fraction', 4.5),
  bad('0', 0),
  bad('−1', -1),
  bad('−Infinity', -Infinity),
  bad('2^53', 2 ** 53),
  bad('fewer than the batch', 2),
  bad('a numeric string', '10'),
  maybe('2^40', 2 ** 40),
];
add('minibatchElbo', {
  name: 'minibatchElbo',
  prefix: 'minibatchElbo',
  valid: (s) => [randn([3], s.next), 1.5, { dataSize: 10 }],
  slots: [
    { label: 'logLik', candidates: (v) => logLikCandidates(v as Tensor) },
    { label: 'kl', candidates: () => klCandidates() },
    optionsSlot({ dataSize: dataSizeCandidates }),
  ],
  call: ([ll, k, o]) => D.minibatchElbo(ll as never, k as never, o as never),
});
add('minibatchScale', {
  name: 'minibatchScale',
  prefix: 'minibatchScale',
  valid: () => [10, 3],
  slots: [
    { label: 'dataSize', candidates: () => dataSizeCandidates() },
    { label: 'batchSize', candidates: () => [...dataSizeCandidates().filter((c) => c.kind !== 'fewer than the batch' && c.kind !== '2^40'), bad('more than the data', 11)] },
  ],
  call: ([n, b]) => D.minibatchScale(n as never, b as never),
});
const errorEntry = (name: 'InvalidParameterError' | 'NotSymmetricError', arity: number): Entry => ({
  name: `new ${name}`,
  prefix: name,
  valid: () => (name === 'InvalidParameterError' ? ['where', 'q.L', [0, 1], 0.5, 'must be lower'] : ['where', 'q.S', 1, 0, [1, 2], 0, 1e-8]),
  slots: Array.from({ length: arity }, (_, i) => ({ label: `argument ${i}`, candidates: () => junk().map((c) => ({ ...c, invalid: false })) })),
  call: (args) => {
    const e = new (D[name] as unknown as new (...a: unknown[]) => Error)(...args);
    expect(e).toBeInstanceOf(D[name]);
    expect(typeof e.message).toBe('string');
    return e;
  },
});
add('InvalidParameterError', errorEntry('InvalidParameterError', 5));
add('NotSymmetricError', errorEntry('NotSymmetricError', 7));
add('parametrisations', {
  name: 'parametrisations[name]',
  prefix: 'parametrisations',
  valid: () => ['meanCholesky'],
  slots: [{ label: 'name', candidates: () => ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', ''].map((n) => ({ kind: JSON.stringify(n), value: n, invalid: false })) }],
  call: ([n]) => {
    const found = (D.parametrisations as unknown as Record<string, unknown>)[n as string];
    expect(found === undefined || BUILT_IN.includes(found as AnyParametrisation)).toBe(true);
    return found;
  },
});
for (const c of ['SYMMETRY_TOLERANCE', 'MAX_ARRAY_SIZE', 'GAUSS_HERMITE_MAX_POINTS'] as const) {
  add(c, { name: c, prefix: c, valid: () => [], slots: [], call: () => (expect(Number.isFinite(D[c]) && D[c] > 0).toBe(true), D[c]) });
}
