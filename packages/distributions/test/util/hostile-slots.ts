/**
 * The vocabulary of the export-wide property test: the descriptors under test (built-ins and two user-defined ones),
 * argument slots with their candidates, generators of valid arguments, and the entries of one descriptor's maps.
 */
import { Tensor, type Value, ops } from '@natgrad/core';
import * as D from '@natgrad/distributions';
import type { AnyParametrisation } from '@natgrad/distributions';
import {
  type Candidate,
  type Kinds,
  arrayCandidates,
  descriptorCandidates,
  integerCandidates,
  junk,
  optionsCandidates,
  positiveScalarCandidates,
  treeCandidates,
} from './hostile.js';
import { randn, randomIn, randomLike } from './gaussians.js';

/** A user-defined full and a user-defined diagonal parametrisation: they get the same treatment as the built-ins. */
export const userFull = D.defineParametrisation({
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
export const userDiagonal = D.defineParametrisation({
  name: 'userLogVariance',
  family: 'diagonal',
  coordinates: { mu: 'vector', logVar: 'vector' },
  toMoments: ({ mu, logVar }) => ({ mu, sigma2: ops.exp(logVar) }),
  fromMoments: ({ mu, sigma2 }) => ({ mu, logVar: ops.log(sigma2) }),
});
export const BUILT_IN = Object.values(D.parametrisations) as AnyParametrisation[];
export const DESCRIPTORS: AnyParametrisation[] = [...BUILT_IN, userFull, userDiagonal];

export const SPACE_KINDS: Record<string, Record<'moments' | 'natural' | 'expectation', Kinds>> = {
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
export const PAIR = (family: string): Kinds => ({ eta1: 'vector', eta2: family === 'full' ? 'symmetric' : 'vector' });

export type Tree = Record<string, Tensor>;

/** Everything one run needs: a dimension, maybe a batch, and a random stream. */
export interface Setup {
  readonly d: number;
  readonly batch: number[];
  readonly next: () => number;
  readonly pick: number;
}

/** One argument position: its name in messages, and the candidates that replace its valid value. */
export interface Slot {
  readonly label: string;
  candidates(valid: unknown, s: Setup): Candidate[];
}

/** One callable: its name (errors must start with `prefix`), how to make valid arguments, its slots. */
export interface Entry {
  readonly name: string;
  readonly prefix: string | readonly string[];
  valid(s: Setup): unknown[];
  readonly slots: readonly Slot[];
  call(args: unknown[]): unknown;
}

export const tree = (label: string, kinds: (valid: Tree) => Kinds, constrained: boolean): Slot => ({
  label,
  candidates: (v, s) => treeCandidates(v as Tree, kinds(v as Tree), constrained, s.pick),
});
export const gaussianSlot = (P: AnyParametrisation, label = 'q') => tree(label, () => P.coordinates, true);
export const directionSlot = (label: string, kinds: () => Kinds) => tree(label, kinds, false);
export const arraySlot = (label: string): Slot => ({ label, candidates: (v, s) => arrayCandidates(v as Tensor, s.pick) });
export const integerSlot = (label: string, min: number, max: number): Slot => ({ label, candidates: () => integerCandidates(min, max) });
export const descriptorSlot = (label: string): Slot => ({ label, candidates: () => descriptorCandidates() });
export const optionsSlot = (members: Record<string, () => Candidate[]>): Slot => ({
  label: 'options',
  candidates: (_v, s) => optionsCandidates(Object.fromEntries(Object.entries(members).map(([k, f]) => [k, f()])), s.pick),
});
export const bool = (): Candidate[] => [
  ...junk().filter((c) => c.kind !== 'true'),
  { kind: "'no'", value: 'no', invalid: true },
  { kind: '1', value: 1, invalid: true },
  { kind: 'true', value: true, invalid: false },
  { kind: 'false', value: false, invalid: false },
];
/** A `where` prefix: any string is fine, and undefined is the default. */
export const whereSlot = (): Slot => ({ label: 'where', candidates: () => junk().filter((c) => typeof c.value !== 'string' && c.value !== undefined) });
/** Data that may carry extra leading (sample or batch) axes. */
export const leadingAxesSlot = (label: string): Slot => ({
  label,
  candidates: (v, s) => arrayCandidates(v as Tensor, s.pick).map((c) => (c.kind === 'an extra axis' ? { ...c, invalid: false } : c)),
});
/** ∂L/∂η of either family: η₂ is a matrix exactly when it has one more axis than η₁. */
export const pairKinds = (t: Tree): Kinds => ({ eta1: 'vector', eta2: t.eta2.shape.length > t.eta1.shape.length ? 'symmetric' : 'vector' });
export const method = (): Candidate[] => [...junk(), { kind: "'fast'", value: 'fast', invalid: true }, { kind: "'ad'", value: 'ad', invalid: false }];
export const positive = (label: string): Slot => ({ label, candidates: () => positiveScalarCandidates() });
export const returning = (what: string, ...outs: [string, (x: Value, f?: Value) => unknown][]): Slot => ({
  label: what,
  candidates: () => [...junk(), ...outs.map(([kind, f]): Candidate => ({ kind: `a ${what} returning ${kind}`, value: f, invalid: true }))],
});

export const gaussianOf = (P: AnyParametrisation, s: Setup): Tree => randomIn(P, s.d, s.next, 30, s.batch);
export const momentsOf = (P: AnyParametrisation, s: Setup): Tree => P.unchecked.toMoments(gaussianOf(P, s)) as unknown as Tree;
export const etaGradient = (P: AnyParametrisation, s: Setup): Tree => {
  const a = randn([...s.batch, s.d, s.d], s.next);
  return { eta1: randn([...s.batch, s.d], s.next), eta2: P.family === 'full' ? (ops.mul(ops.add(a, ops.matrixTranspose(a)), 0.5) as Tensor) : randn([...s.batch, s.d], s.next) };
};
export const pickP = (s: Setup, family?: string) => {
  const list = family ? DESCRIPTORS.filter((P) => P.family === family) : DESCRIPTORS;
  return list[s.pick % list.length];
};
export const target = (x: Value) => ops.mul(ops.sum(ops.square(x), -1), -0.5);
/**
 * y or f of a LogLikelihood called directly: elementwise and broadcasting, so ±∞ (a limit: −∞ or 0), shapes that
 * broadcast, an empty array and extreme values are results (or typed errors), not necessarily errors; NaN, non-arrays and shapes that do not broadcast are errors.
 */
export const likelihoodArgument = (v: Tensor, s: Setup): Candidate[] =>
  arrayCandidates(v, s.pick).map((c) =>
    ['∞', 'an extra axis', 'one more element', 'an empty array', 'scaled by 1e300'].includes(c.kind) ? { ...c, invalid: false } : c,
  );
/** 0/1 labels as ±1, with at least one −1 (all-ones labels would map to themselves). */
export const plusMinusOne = (y: Tensor): Tensor => {
  const d = y.data.map((v) => 2 * v - 1);
  d[0] = -1;
  return new Tensor(d, y.shape);
};
export const labels = (n: number, next: () => number) => Tensor.from(Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)));

/** The maps of one descriptor, each an entry. */
export function descriptorEntries(P: AnyParametrisation): Entry[] {
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
export function withGaussian(
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
export function kindsOf(q: Tree): Kinds {
  const P = DESCRIPTORS.find((p) => p.keys.length === Object.keys(q).length && p.keys.every((k) => k in q) && matchesFamily(p, q));
  return P ? P.coordinates : {};
}
export const matchesFamily = (P: AnyParametrisation, q: Tree) => (P.family === 'full') === P.keys.some((k) => q[k].shape.length >= 2 && ['symmetric', 'lower', 'cholesky'].includes(P.coordinates[k]));
