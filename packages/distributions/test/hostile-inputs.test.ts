/**
 * Every public export of the package against hostile input (fast-check): wrong types, wrong shapes, NaN/∞, huge
 * sizes, hostile objects (own `__proto__`/`constructor` keys, getters, inherited or symbol keys, class instances),
 * bad options. Each call must end in a NatgradError that names the function (and, for an invalid argument, that
 * argument) or in a documented result without NaN. The table must list every runtime export, so a new export cannot
 * escape the test. Out of scope by documentation: `P.unchecked.*` (the bare maps, for validated input only).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrayValue, Tensor, type Value, grad, jvp, ops, random } from '@natgrad/core';
import * as D from '@natgrad/distributions';
import type { AnyParametrisation } from '@natgrad/distributions';
import {
  type Candidate,
  type Kinds,
  arrayCandidates,
  classify,
  descriptorCandidates,
  integerCandidates,
  junk,
  keyCandidates,
  optionsCandidates,
  positiveScalarCandidates,
  tally,
  treeCandidates,
} from './util/hostile.js';
import { randn, randomIn, randomLike, rng } from './util/gaussians.js';

/** A user-defined full and a user-defined diagonal parametrisation: they get the same treatment as the built-ins. */
const userFull = D.defineParametrisation({
  name: 'userLogCholesky',
  family: 'full',
  coordinates: { mu: 'vector', logDiag: 'vector', offDiag: 'lower' },
  toMoments: ({ mu, logDiag, offDiag }) => {
    const l = ops.add(ops.tril(offDiag, -1), ops.diag(ops.exp(logDiag)));
    return { mu, Sigma: ops.matmul(l, ops.matrixTranspose(l)) };
  },
  fromMoments: ({ mu, Sigma }) => {
    const l = ops.cholesky(Sigma);
    return { mu, logDiag: ops.log(ops.diagonal(l)), offDiag: ops.tril(l, -1) };
  },
});
const userDiagonal = D.defineParametrisation({
  name: 'userLogVariance',
  family: 'diagonal',
  coordinates: { mu: 'vector', logVar: 'vector' },
  toMoments: ({ mu, logVar }) => ({ mu, sigma2: ops.exp(logVar) }),
  fromMoments: ({ mu, sigma2 }) => ({ mu, logVar: ops.log(sigma2) }),
});
const BUILT_IN = Object.values(D.parametrisations) as AnyParametrisation[];
const DESCRIPTORS: AnyParametrisation[] = [...BUILT_IN, userFull, userDiagonal];

const SPACE_KINDS: Record<string, Record<'moments' | 'natural' | 'expectation', Kinds>> = {
  full: {
    moments: { mu: 'vector', Sigma: 'symmetric' },
    natural: { theta1: 'vector', theta2: 'symmetric' },
    expectation: { eta1: 'vector', eta2: 'symmetric' },
  },
  diagonal: {
    moments: { mu: 'vector', sigma2: 'positive' },
    natural: { theta1: 'vector', theta2: 'negative' },
    expectation: { eta1: 'vector', eta2: 'positive' }, // η₂ ≤ 0 makes η₂ − η₁² negative
  },
};
const PAIR = (family: string): Kinds => ({ eta1: 'vector', eta2: family === 'full' ? 'symmetric' : 'vector' });

type Tree = Record<string, Tensor>;

/** Everything one run needs: a dimension, maybe a batch, and a random stream. */
interface Setup {
  readonly d: number;
  readonly batch: number[];
  readonly next: () => number;
  readonly pick: number;
}

/** One argument position: its name in messages, and the candidates that replace its valid value. */
interface Slot {
  readonly label: string;
  candidates(valid: unknown, s: Setup): Candidate[];
}

/** One callable: its name (errors must start with `prefix`), how to make valid arguments, its slots. */
interface Entry {
  readonly name: string;
  readonly prefix: string | readonly string[];
  valid(s: Setup): unknown[];
  readonly slots: readonly Slot[];
  call(args: unknown[]): unknown;
}

const tree = (label: string, kinds: (valid: Tree) => Kinds, constrained: boolean): Slot => ({
  label,
  candidates: (v, s) => treeCandidates(v as Tree, kinds(v as Tree), constrained, s.pick),
});
const gaussianSlot = (P: AnyParametrisation, label = 'q') => tree(label, () => P.coordinates, true);
const directionSlot = (label: string, kinds: () => Kinds) => tree(label, kinds, false);
const arraySlot = (label: string): Slot => ({ label, candidates: (v, s) => arrayCandidates(v as Tensor, s.pick) });
const integerSlot = (label: string, min: number, max: number): Slot => ({ label, candidates: () => integerCandidates(min, max) });
const descriptorSlot = (label: string): Slot => ({ label, candidates: () => descriptorCandidates() });
const optionsSlot = (members: Record<string, () => Candidate[]>): Slot => ({
  label: 'options',
  candidates: (_v, s) => optionsCandidates(Object.fromEntries(Object.entries(members).map(([k, f]) => [k, f()])), s.pick),
});
const bool = (): Candidate[] => [
  ...junk().filter((c) => c.kind !== 'true'),
  { kind: "'no'", value: 'no', invalid: true },
  { kind: '1', value: 1, invalid: true },
  { kind: 'true', value: true, invalid: false },
  { kind: 'false', value: false, invalid: false },
];
/** A `where` prefix: any string is fine, and undefined is the default. */
const whereSlot = (): Slot => ({ label: 'where', candidates: () => junk().filter((c) => typeof c.value !== 'string' && c.value !== undefined) });
/** Data that may carry extra leading (sample or batch) axes. */
const leadingAxesSlot = (label: string): Slot => ({
  label,
  candidates: (v, s) => arrayCandidates(v as Tensor, s.pick).map((c) => (c.kind === 'an extra axis' ? { ...c, invalid: false } : c)),
});
/** ∂L/∂η of either family: η₂ is a matrix exactly when it has one more axis than η₁. */
const pairKinds = (t: Tree): Kinds => ({ eta1: 'vector', eta2: t.eta2.shape.length > t.eta1.shape.length ? 'symmetric' : 'vector' });
const method = (): Candidate[] => [...junk(), { kind: "'fast'", value: 'fast', invalid: true }, { kind: "'ad'", value: 'ad', invalid: false }];
const positive = (label: string): Slot => ({ label, candidates: () => positiveScalarCandidates() });
const returning = (what: string, ...outs: [string, (x: Value, f?: Value) => unknown][]): Slot => ({
  label: what,
  candidates: () => [...junk(), ...outs.map(([kind, f]): Candidate => ({ kind: `a ${what} returning ${kind}`, value: f, invalid: true }))],
});

const gaussianOf = (P: AnyParametrisation, s: Setup): Tree => randomIn(P, s.d, s.next, 30, s.batch);
const momentsOf = (P: AnyParametrisation, s: Setup): Tree => P.unchecked.toMoments(gaussianOf(P, s)) as unknown as Tree;
const etaGradient = (P: AnyParametrisation, s: Setup): Tree => {
  const a = randn([...s.batch, s.d, s.d], s.next);
  return { eta1: randn([...s.batch, s.d], s.next), eta2: P.family === 'full' ? (ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5) as Tensor) : randn([...s.batch, s.d], s.next) };
};
const pickP = (s: Setup, family?: string) => {
  const list = family ? DESCRIPTORS.filter((P) => P.family === family) : DESCRIPTORS;
  return list[s.pick % list.length];
};
const target = (x: Value) => ops.mul(ops.sum(ops.square(x), -1), -0.5);
/**
 * y or f of a LogLikelihood called directly: elementwise and broadcasting, so ±∞ (a limit: −∞ or 0), shapes that
 * broadcast, an empty array and extreme values are results (or typed errors), not necessarily errors; NaN, non-arrays and shapes that do not broadcast are errors.
 */
const likelihoodArgument = (v: Tensor, s: Setup): Candidate[] =>
  arrayCandidates(v, s.pick).map((c) =>
    ['∞', 'an extra axis', 'one more element', 'an empty array', 'scaled by 1e300'].includes(c.kind) ? { ...c, invalid: false } : c,
  );
/** 0/1 labels as ±1, with at least one −1 (all-ones labels would map to themselves). */
const plusMinusOne = (y: Tensor): Tensor => {
  const d = y.data.map((v) => 2 * v - 1);
  d[0] = -1;
  return new Tensor(d, y.shape);
};
const labels = (n: number, next: () => number) => Tensor.from(Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)));

/** The maps of one descriptor, each an entry. */
function descriptorEntries(P: AnyParametrisation): Entry[] {
  const sp = SPACE_KINDS[P.family];
  const at = (m: string) => `${P.name}.${m}`;
  const map = (m: string, slot: Slot, valid: (s: Setup) => unknown): Entry => ({
    name: at(m),
    prefix: at(m),
    valid: (s) => [valid(s)],
    slots: [slot],
    call: ([a]) => (P as unknown as Record<string, (x: unknown) => unknown>)[m](a),
  });
  const entries: Entry[] = [
    map('toMoments', gaussianSlot(P), (s) => gaussianOf(P, s)),
    map('fromMoments', tree('m', () => sp.moments, true), (s) => momentsOf(P, s)),
    map('fromNatural', tree('theta', () => sp.natural, true), (s) => P.unchecked.toNatural(gaussianOf(P, s))),
    map('toNatural', gaussianSlot(P), (s) => gaussianOf(P, s)),
    map('fromExpectation', tree('eta', () => sp.expectation, true), (s) => P.unchecked.toExpectation(gaussianOf(P, s))),
    map('toExpectation', gaussianSlot(P), (s) => gaussianOf(P, s)),
    map('toScale', gaussianSlot(P), (s) => gaussianOf(P, s)),
    map('project', directionSlot('g', () => P.coordinates), (s) => randomLike(gaussianOf(P, s), s.next)),
    {
      name: at('validate'),
      prefix: P.name,
      valid: (s) => [gaussianOf(P, s), P.name],
      slots: [gaussianSlot(P), whereSlot()],
      call: ([q, w]) => P.validate(q as Tree, w as string),
    },
  ];
  if (P.closedFormNaturalGradient) {
    entries.push({
      name: at('closedFormNaturalGradient'),
      prefix: at('closedFormNaturalGradient'),
      valid: (s) => [gaussianOf(P, s), etaGradient(P, s)],
      slots: [gaussianSlot(P), directionSlot('dLdEta', () => PAIR(P.family))],
      call: ([q, g]) => P.closedFormNaturalGradient!(q as Tree, g as never),
    });
  }
  if (P.closedFormNaturalGradientFromEuclidean) {
    entries.push({
      name: at('closedFormNaturalGradientFromEuclidean'),
      prefix: at('closedFormNaturalGradientFromEuclidean'),
      valid: (s) => {
        const q = gaussianOf(P, s);
        return [q, randomLike(q, s.next)];
      },
      slots: [gaussianSlot(P), directionSlot('dLdXi', () => P.coordinates)],
      call: ([q, g]) => P.closedFormNaturalGradientFromEuclidean!(q as Tree, g as Tree),
    });
  }
  return entries;
}

/** A function of (P, q, ...rest): P and q slots in front of `rest`. */
function withGaussian(
  name: string,
  rest: readonly Slot[],
  valid: (P: AnyParametrisation, q: Tree, s: Setup) => unknown[],
  call: (args: unknown[]) => unknown,
  family?: string,
): Entry {
  return {
    name,
    prefix: name,
    valid: (s) => {
      const P = pickP(s, family);
      const q = gaussianOf(P, s);
      return [P, q, ...valid(P, q, s)];
    },
    slots: [descriptorSlot('parametrisation'), { label: 'q', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick) }, ...rest],
    call,
  };
}

/** The coordinate kinds of a valid Gaussian, recovered from its keys (any descriptor's q). */
function kindsOf(q: Tree): Kinds {
  const P = DESCRIPTORS.find((p) => p.keys.length === Object.keys(q).length && p.keys.every((k) => k in q) && matchesFamily(p, q));
  return P ? P.coordinates : {};
}
const matchesFamily = (P: AnyParametrisation, q: Tree) => (P.family === 'full') === P.keys.some((k) => q[k].shape.length >= 2 && ['symmetric', 'lower', 'cholesky'].includes(P.coordinates[k]));

const ENTRIES: Record<string, Entry[]> = {};
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
  slots: [arraySlot('X'), arraySlot('y'), positive('variance'), descriptorSlot('parametrisation'), { label: 'prior', candidates: (v, s) => treeCandidates(v as Tree, kindsOf(v as Tree), true, s.pick).map((c) => ({ ...c, label: c.invalid ? 'prior|q' : undefined })) }],
  call: ([X, y, v, P, p]) => D.conjugatePosterior(X as never, y as never, v as never, P as never, p as never),
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

/** One run: valid arguments, then (unless `slot` is negative) one of them replaced by a candidate. */
function run(entry: Entry, seed: number, slot: number, candidate: number): void {
  const s: Setup = { d: 1 + (seed % 3), batch: seed % 5 === 0 ? [2] : [], next: rng(seed), pick: Math.abs(seed) };
  const args = entry.valid(s);
  if (slot < 0 || entry.slots.length === 0) return classify(entry.name, entry.prefix, () => entry.call(args));
  const i = slot % entry.slots.length;
  const cs = entry.slots[i].candidates(args[i], s);
  const c = cs[candidate % cs.length];
  const replaced = [...args];
  replaced[i] = c.value;
  const label = c.label ?? entry.slots[i].label;
  if (label.includes('|')) {
    // Either name is right (e.g. a prior validated as the Gaussian it is): accept the first that the message has.
    return classify(entry.name, entry.prefix, () => entry.call(replaced), { ...c, label: undefined }, undefined);
  }
  classify(entry.name, entry.prefix, () => entry.call(replaced), c, label);
}

describe('every public export, against hostile input', () => {
  it('the table covers every runtime export of the package', () => {
    expect(Object.keys(ENTRIES).sort()).toEqual(Object.keys(D).sort());
  });

  for (const [exportName, entries] of Object.entries(ENTRIES)) {
    it(`${exportName}: a typed error naming function and argument, or a documented result without NaN`, () => {
      for (const entry of entries) {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: -1, max: 50 }), fc.nat(400), (seed, slot, candidate) =>
            run(entry, seed, slot, candidate),
          ),
          { numRuns: entry.slots.length === 0 ? 3 : 40 + 12 * entry.slots.length },
        );
      }
    });
  }

  it('inside jvp and grad: hostile values arrive as tracers and are still refused by their primal values', () => {
    const traced = (x: Tree, t: Value): Record<string, Value> =>
      Object.fromEntries(Object.entries(x).map(([k, v]) => [k, ops.add(v, ops.mul(t, 0))]));
    const valueMutant = (c: Candidate) => /NaN|∞|not |negat|≤|≥|zero|× 1e|copy|reordered/.test(c.kind);
    const maps = ['toMoments', 'toNatural', 'toExpectation', 'toScale'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.nat(400), fc.boolean(), (seed, pick, reverse) => {
        const s: Setup = { d: 1 + (seed % 3), batch: [], next: rng(seed), pick };
        const P = pickP(s);
        const map = maps[pick % maps.length];
        const cs = treeCandidates(gaussianOf(P, s), P.coordinates, true, pick).filter(
          (c) => valueMutant(c) && c.value !== null && typeof c.value === 'object' && Object.values(c.value).every((v) => v instanceof ArrayValue),
        );
        const c = cs[pick % cs.length];
        const f = (t: Value) => {
          const out = (P as unknown as Record<string, (q: unknown) => unknown>)[map](traced(c.value as Tree, t));
          return ops.sum(out instanceof ArrayValue ? (out as Value) : ops.add(ops.sum(Object.values(out as object)[0]), ops.sum(Object.values(out as object)[1])));
        };
        const name = `${P.name}.${map} inside ${reverse ? 'grad' : 'jvp'}`;
        classify(name, `${P.name}.${map}`, () => (reverse ? grad(f)(Tensor.scalar(0)) : jvp(f, [Tensor.scalar(0)], [Tensor.scalar(1)])), c, 'q');
      }),
      { numRuns: 300 },
    );
  });

  afterAll(() => {
    // The figures of the report: inputs tried, typed errors, documented results, untyped errors, silent NaN.
    console.info(`hostile inputs: ${JSON.stringify(tally)}`);
  });
});
