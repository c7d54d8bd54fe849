/**
 * Hostile inputs for the export-wide property test: candidates for each kind of argument (Gaussian-shaped trees,
 * data arrays, integers, scalars, keys, options, callbacks, descriptors), and the classification of one call into a
 * typed error, a documented result, an untyped error or a silent NaN.
 */
import { expect } from 'vitest';
import { ArrayValue, NatgradError, Tensor, type Value, ops, primalValue } from '@natgrad/core';
import { meanCholesky } from '@natgrad/distributions';

/** One argument to try: `invalid` ones must be refused with a typed error; the others may also return a result. */
export interface Candidate {
  readonly kind: string;
  readonly value: unknown;
  readonly invalid: boolean;
  /** The name the error must mention, if not the slot's label (e.g. `"q"` inside an options object). */
  readonly label?: string;
}

const bad = (kind: string, value: unknown, label?: string): Candidate => ({ kind, value, invalid: true, label });
const maybe = (kind: string, value: unknown): Candidate => ({ kind, value, invalid: false });

class Lookalike {
  readonly shape = [2];
}

/** Values that are no kind of argument at all. */
export function junk(): Candidate[] {
  const hostileToString = { toString: () => { throw new Error('toString called'); } };
  return [
    bad('null', null),
    bad('undefined', undefined),
    bad('NaN', NaN),
    bad('Infinity', Infinity),
    bad('a string', 'no'),
    bad('an empty string', ''),
    bad('a symbol', Symbol('s')),
    bad('a bigint', 10n),
    bad('true', true),
    bad('a Map', new Map()),
    bad('a Date', new Date(0)),
    bad('a class instance', new Lookalike()),
    bad('an object with a throwing toString', hostileToString),
    bad('a function', () => 1),
    bad('an own __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')),
    bad('a constructor key', { constructor: 1 }),
  ];
}

const omit = (t: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(t).filter(([j]) => j !== k));
const withValue = (t: Record<string, unknown>, k: string, v: unknown) => ({ ...t, [k]: v });

function edited(x: Tensor, index: number, v: number): Tensor {
  const d = x.data.slice();
  d[index] = v;
  return new Tensor(d, x.shape);
}

/** Kinds of coordinates, as in `CoordinateKind`. */
export type Kinds = Readonly<Record<string, string>>;

/**
 * Mutants of a valid tree (a Gaussian, θ, η, moments or a gradient): structure attacks (missing, extra, inherited,
 * accessor and symbol keys, non-plain objects), bad coordinates (non-tensors, wrong shapes, NaN/∞), constraint
 * violations (when `constrained`), and harmless variants (null prototype, frozen, reordered, extreme scales).
 */
export function treeCandidates(t: Record<string, Tensor>, kinds: Kinds, constrained: boolean, pick: number): Candidate[] {
  const keys = Object.keys(t);
  const k = keys[pick % keys.length];
  const x = t[k];
  const s = x.shape;
  const isMatrix = ['symmetric', 'lower', 'cholesky'].includes(kinds[k]);
  const d = s[s.length - 1];
  const getter = Object.defineProperty({ ...omit(t, k) }, k, { get: () => x, enumerable: true });
  const out: Candidate[] = [
    ...junk(),
    bad('an array of the coordinates', Object.values(t)),
    bad(`missing ${k}`, omit(t, k)),
    bad('an extra "constructor" key', { ...t, constructor: x }),
    bad('an extra "toString" key', { ...t, toString: x }),
    bad('an own "__proto__" key', Object.assign(JSON.parse('{"__proto__": {}}'), t)),
    bad('a symbol key', { ...t, [Symbol('k')]: x }),
    bad(`a getter for ${k}`, getter),
    bad('inherited coordinates', Object.create(t)),
    bad('a class instance', Object.assign(new Lookalike(), t)),
    bad(`${k} null`, withValue(t, k, null)),
    bad(`${k} a number`, withValue(t, k, 1)),
    bad(`${k} a nested array`, withValue(t, k, x.toArray())),
    bad(`${k} a string`, withValue(t, k, 'tensor')),
    bad(`${k} flattened`, withValue(t, k, isMatrix ? new Tensor(x.data.slice(), [x.size]) : x.reshape([...s.slice(0, -1), 1, d]))),
    bad(`${k} with D + 1`, withValue(t, k, Tensor.zeros(isMatrix ? [...s.slice(0, -2), d + 1, d + 1] : [...s.slice(0, -1), d + 1]))),
    bad(`${k} with an extra batch axis`, withValue(t, k, ops.broadcastTo(x, [3, ...s]))),
    bad(`${k} empty`, withValue(t, k, Tensor.zeros(isMatrix ? [0, 0] : [0]))),
    bad(`${k} a scalar`, withValue(t, k, Tensor.scalar(1))),
    bad(`NaN in ${k}`, withValue(t, k, edited(x, pick % x.size, NaN))),
    bad(`∞ in ${k}`, withValue(t, k, edited(x, pick % x.size, Infinity))),
    bad(`−∞ in ${k}`, withValue(t, k, edited(x, pick % x.size, -Infinity))),
    maybe('a null-prototype copy', Object.assign(Object.create(null), t)),
    maybe('a frozen copy', Object.freeze({ ...t })),
    maybe('keys reordered', Object.fromEntries([...keys].reverse().map((j) => [j, t[j]]))),
    maybe(`${k} × 1e200`, withValue(t, k, x.mul(1e200) as Tensor)),
    maybe(`${k} × 1e-200`, withValue(t, k, x.mul(1e-200) as Tensor)),
    maybe(`${k} × 1e300 (overflows when squared)`, withValue(t, k, x.mul(1e300) as Tensor)),
  ];
  if (!constrained) return out;
  const kind = kinds[k];
  const n = isMatrix ? d : 1;
  const at = (i: number, j: number) => (isMatrix ? i * d + j : i); // within the first matrix of the batch
  if ((kind === 'cholesky' || kind === 'lower') && d > 1) out.push(bad(`${k} not lower triangular`, withValue(t, k, edited(x, at(0, 1), 0.5))));
  if (kind === 'cholesky') {
    out.push(bad(`${k} with a zero diagonal entry`, withValue(t, k, edited(x, at(n - 1, n - 1), 0))));
    out.push(bad(`${k} with a negative diagonal entry`, withValue(t, k, edited(x, at(0, 0), -1))));
  }
  if (kind === 'symmetric') {
    if (d > 1) out.push(bad(`${k} not symmetric`, withValue(t, k, edited(x, at(0, 1), x.data[at(0, 1)] + 1))));
    out.push(bad(`${k} negated (definiteness flips)`, withValue(t, k, x.neg() as Tensor)));
  }
  if (kind === 'positive') out.push(bad(`${k} ≤ 0`, withValue(t, k, edited(x, pick % x.size, -x.data[pick % x.size]))));
  if (kind === 'negative') out.push(bad(`${k} ≥ 0`, withValue(t, k, edited(x, pick % x.size, 0))));
  return out;
}

/** Data arrays: everything that is not a finite array of the documented shape (`like` is a valid one). */
export function arrayCandidates(like: Tensor, pick: number): Candidate[] {
  const s = like.shape;
  return [
    ...junk().filter((c) => c.kind !== 'NaN' && c.kind !== 'Infinity'),
    bad('NaN', withNaN(like, pick, NaN)),
    bad('∞', withNaN(like, pick, Infinity)),
    bad('an array of strings', Array.from({ length: Math.max(1, s[0] ?? 1) }, () => 'a')),
    bad('a ragged array', [[1, 2], [3]]),
    bad('an extra axis', Tensor.zeros([2, ...s])),
    bad('one more element', Tensor.zeros(s.length ? [...s.slice(0, -1), s[s.length - 1] + 1] : [2])),
    bad('an empty array', []),
    bad('an object', {}),
    maybe('a nested array', like.toArray()),
    maybe('scaled by 1e300', like.mul(1e300)),
  ];
}

function withNaN(t: Tensor, pick: number, v: number): Tensor {
  return t.size === 0 ? Tensor.from([v]) : edited(t, pick % t.size, v);
}

/** Integers in [min, max]: NaN, fractions, infinities, huge values, strings, and the edges just outside. */
export function integerCandidates(min: number, max: number): Candidate[] {
  return [
    ...junk().filter((c) => c.kind !== 'Infinity'),
    bad('Infinity', Infinity),
    bad('−Infinity', -Infinity),
    bad('a fraction', min + 0.5),
    bad('below the minimum', min - 1),
    bad('above the maximum', max + 1),
    bad('2^40', 2 ** 40),
    bad('2^53', 2 ** 53),
    bad('1e300', 1e300),
    bad('a numeric string', String(min + 1)),
    bad('a boxed number', Object(min + 1)),
    maybe('the minimum', min),
  ];
}

/** Positive scalars (a noise variance): ≤ 0, NaN, ∞, non-scalars, non-numbers. */
export function positiveScalarCandidates(): Candidate[] {
  return [
    ...junk().filter((c) => c.kind !== 'NaN' && c.kind !== 'Infinity'),
    bad('NaN', NaN),
    bad('∞', Infinity),
    bad('−1', -1),
    bad('0', 0),
    bad('−0', -0),
    bad('a vector', Tensor.from([0.5, 0.5])),
    bad('a tensor of NaN', Tensor.scalar(NaN)),
    bad('a numeric string', '0.5'),
    maybe('1e-300', 1e-300),
    maybe('1e300', 1e300),
    maybe('a scalar tensor', Tensor.scalar(0.5)),
  ];
}

/** Random keys. */
export function keyCandidates(): Candidate[] {
  return [...junk(), bad('a seed', 0), bad('raw key data', [0, 0]), bad('a key-like object', { k0: 0, k1: 0 })];
}

/** Descriptor arguments (valid descriptors of the right family are the caller's business). */
export function descriptorCandidates(): Candidate[] {
  return [
    ...junk(),
    bad('a copy of a descriptor', { ...meanCholesky }),
    bad('a duck-typed descriptor', { name: 'fake', family: 'full', keys: ['mu', 'L'], fromNatural: () => ({}) }),
    bad('an object inheriting from a descriptor', Object.create(meanCholesky)),
    bad('a descriptor name', 'meanCholesky'),
  ];
}

/** Option objects; `members` gives candidates for each known member. */
export function optionsCandidates(members: Readonly<Record<string, Candidate[]>>, pick: number): Candidate[] {
  const inner: Candidate[] = [];
  for (const [k, cs] of Object.entries(members)) {
    for (const c of cs) {
      if (c.kind === 'undefined') continue; // an undefined member is absent, i.e. the default
      inner.push({ ...c, kind: `options.${k}: ${c.kind}`, value: { [k]: c.value }, label: c.label ?? `options.${k}` });
    }
  }
  const getter = Object.defineProperty({}, Object.keys(members)[pick % Math.max(1, Object.keys(members).length)] ?? 'x', {
    get: () => true,
    enumerable: true,
  });
  return [
    ...junk().filter((c) => c.kind !== 'undefined' && c.kind !== 'a constructor key' && c.kind !== 'an own __proto__ key'),
    bad('an array', []),
    bad('an unknown key', { unknownOption: 1 }),
    bad('a misspelt key', { valdiate: false, sample: 3, point: 2 }),
    bad('a constructor key', { constructor: 1 }),
    bad('an own __proto__ key', JSON.parse('{"__proto__": {"validate": false}}')),
    bad('a symbol key', { [Symbol('o')]: 1 }),
    bad('a getter', getter),
    bad('inherited options', Object.create({ validate: false })),
    maybe('no options', {}),
    maybe('a null-prototype object', Object.create(null)),
    ...inner.map((c) => ({ ...c, value: { ...(c.value as object) } })),
  ];
}

/** Does `x` (a value, or a tree/array/object of them) hold NaN? */
export function hasNaN(x: unknown, depth = 0): boolean {
  if (depth > 6) return false;
  if (typeof x === 'number') return Number.isNaN(x);
  if (x instanceof ArrayValue) return primalValue(x as Value).data.some((v) => Number.isNaN(v));
  if (Array.isArray(x)) return x.some((v) => hasNaN(v, depth + 1));
  if (x !== null && typeof x === 'object' && !(x instanceof Error)) return Object.values(x).some((v) => hasNaN(v, depth + 1));
  return false;
}

/** Running totals of the export-wide property test. */
export const tally = { tried: 0, typed: 0, results: 0, untyped: 0, silentNaN: 0 };

const token = (label: string) => new RegExp(`(^|[^A-Za-z0-9_])${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`);

/**
 * Calls `f` and classifies the outcome. A typed error must start with `prefix` (the function's name, or the name of a
 * public callback it was given) and, for an
 * invalid candidate, mention `label` (the argument); an invalid candidate must not return; a result must not hold NaN.
 */
export function classify(what: string, prefix: string | readonly string[], f: () => unknown, candidate?: Candidate, label?: string): void {
  tally.tried++;
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    if (!(e instanceof NatgradError)) {
      tally.untyped++;
      throw new Error(`${what}: untyped ${(e as Error)?.constructor?.name} for ${candidate?.kind ?? 'valid arguments'}: ${(e as Error)?.message}`);
    }
    tally.typed++;
    const prefixes = typeof prefix === 'string' ? [prefix] : prefix;
    expect(prefixes.some((p) => e.message.startsWith(p)), `${what} (${candidate?.kind}): "${e.message}" should start with ${prefixes.join(' or ')}`).toBe(true);
    const name = candidate?.label ?? label;
    if (candidate?.invalid && name !== undefined && !token(name).test(e.message)) {
      throw new Error(`${what}: the error for ${candidate.kind} does not name ${name}: "${e.message}"`);
    }
    return;
  }
  if (candidate?.invalid) throw new Error(`${what}: ${candidate.kind} for ${label} was accepted`);
  if (hasNaN(out)) {
    tally.silentNaN++;
    throw new Error(`${what}: silent NaN for ${candidate?.kind ?? 'valid arguments'}`);
  }
  tally.results++;
}
