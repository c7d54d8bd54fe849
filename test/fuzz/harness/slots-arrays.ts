/**
 * Slot kinds for array arguments: any `ArrayInput` (tensors, numbers, nested arrays), the tensor a method is called
 * on, values that must already be tensors, and square matrices of a kind (SPD, triangular, invertible).
 * @module
 */
import fc from 'fast-check';
import { Tensor } from '@natgrad/core';
import { HostileError, bad, throwingProxy, wrongTypes } from './hostile.js';
import { RANDOM_PER_SLOT, type SlotOptions, sampled, slot } from './slot.js';
import type { Bad, Expect, Slot } from './types.js';
import { choice, invertible, lowerFactor, nested, show, spd, tensor, withValue } from './values.js';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Options of an array argument. */
export interface ArrayOptions extends SlotOptions {
  readonly shape?: readonly number[];
  /** Range of the valid entries (keep them in the function's domain). */
  readonly range?: readonly [number, number];
  /** What NaN/±∞ in the data must give: IEEE propagation (elementwise maths) or a typed error. */
  readonly nan?: 'ieee' | 'reject';
  /** Shapes that cannot work with the other arguments: each must be rejected. */
  readonly badShapes?: readonly (readonly number[])[];
  /** Any shape works (elementwise unary maths): also try random shapes, which must work. */
  readonly anyShape?: boolean;
  /** Fewest dimensions: scalars must be rejected from 1 on, and the empty array `[]` (rank 1) from 2 on. */
  readonly minRank?: number;
  readonly seed?: number;
  /** The valid entries are drawn from these values (labels 0 and 1), not from `range`. */
  readonly values?: readonly number[];
}

/** `[1, 2, 3]` whose element 0 is a getter that throws. */
function throwingElement(): number[] {
  const a = [1, 2, 3];
  Object.defineProperty(a, 0, {
    enumerable: true,
    get() {
      throw new HostileError('array element getter');
    },
  });
  return a;
}

/** An array argument (`ArrayInput`: a tensor, a number or nested arrays of numbers). */
export function array(name: string, o: ArrayOptions = {}): Slot {
  const shape = o.shape ?? [2, 3];
  const [lo, hi] = o.range ?? [-2, 2];
  const seed = o.seed ?? 1;
  const values = o.values;
  const valid = () => (values === undefined ? tensor(shape, lo, hi, seed) : choice(shape, values, seed));
  const nan = o.nan ?? 'ieee';
  const minRank = o.minRank ?? 0;
  const bads: Bad[] = [
    ...wrongTypes(['number', 'nan', 'array']),
    bad('scalar 7', () => 7, minRank >= 1 ? 'reject' : 'any', 'shape'),
    bad('empty array []', () => [], minRank >= 2 ? 'reject' : 'any', 'shape'),
    bad('scalar NaN', () => NaN, minRank >= 1 ? 'reject' : nan, 'nonfinite'),
    bad('nested-array form', () => nested(valid()), 'any', 'type'),
    bad('Float64Array', () => Float64Array.from(valid().data), 'any', 'type'),
    bad('ragged nested array', () => [[1, 2], [3]], 'reject', 'shape'),
    bad('ragged at depth 2', () => [[[1], [2, 3]], [[4], [5]]], 'reject', 'shape'),
    bad('array with a string', () => [1, 'a', 3], 'reject', 'type'),
    bad('array with holes', () => [1, , 3], 'reject', 'type'), // eslint-disable-line no-sparse-arrays
    bad('array-like object', () => ({ 0: 1, 1: 2, length: 2 }), 'reject', 'type'),
    bad('array of tensors', () => [valid(), valid()], 'any', 'type'),
    bad('tensor-like plain object', () => ({ data: valid().data, shape: [...shape] }), 'reject', 'type'),
    bad('nested 3000 deep', () => JSON.parse(`${'['.repeat(3000)}1${']'.repeat(3000)}`), 'any', 'hostile'),
    bad('NaN entry', () => withValue(valid(), 0, NaN), nan, 'nonfinite'),
    bad('+Infinity entry', () => withValue(valid(), size(shape) - 1, Infinity), nan, 'nonfinite'),
    bad('-Infinity entry', () => withValue(valid(), 1, -Infinity), nan, 'nonfinite'),
    bad('transparent Proxy of a tensor', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
    bad('array with a throwing getter', throwingElement, 'any', 'hostile'),
    ...(o.badShapes ?? []).map((s) => bad(`shape [${s.join(', ')}]`, () => tensor(s, lo, hi, seed), 'reject', 'shape')),
  ];
  const rand = (s: number): Bad[] => {
    const out = sampled(fc.tuple(fc.nat(size(shape) - 1), fc.constantFrom(NaN, Infinity, -Infinity)), s, RANDOM_PER_SLOT, ([i, v]) =>
      bad(`${v} at flat index ${i}`, () => withValue(valid(), i, v), nan, 'nonfinite'),
    );
    if (o.anyShape) {
      const shapes = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 });
      out.push(...sampled(shapes, s + 1, RANDOM_PER_SLOT, (sh) => bad(`random shape [${sh.join(', ')}]`, () => tensor(sh, lo, hi, seed), 'any', 'shape')));
    }
    const entry = fc.integer({ min: Math.ceil(lo * 100), max: Math.floor(hi * 100) }).map((v) => v / 100);
    const ragged = fc.array(fc.oneof(entry, fc.array(entry, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 });
    out.push(...sampled(ragged, s + 2, RANDOM_PER_SLOT, (v) => bad(`random nested ${show(v)}`, () => structuredClone(v), 'any', 'shape')));
    return out;
  };
  return slot(name, valid, bads, o, rand);
}

const RECEIVER_BADS = /entry|Proxy|^shape \[|flat index|random shape/;

/**
 * The tensor a method is called on: the tensor-valued bad values of {@link array} (non-finite entries, other shapes,
 * Proxies), since a method can only be called on an array value.
 */
export function receiver(name: string, o: ArrayOptions = {}): Slot {
  const a = array(name, o);
  const keep = (b: Bad) => RECEIVER_BADS.test(b.label) && !b.label.includes('getter');
  return { ...a, bad: a.bad.filter(keep), random: a.random && ((s) => a.random!(s).filter(keep)) };
}

/** Which square matrices are valid. */
export type MatrixKind = 'spd' | 'general' | 'invertible' | 'lower' | 'upper';

/** Options of a matrix argument. */
export interface MatrixOptions extends SlotOptions {
  readonly n?: number;
  readonly kind?: MatrixKind;
  readonly batch?: readonly number[];
  /** What NaN/±∞ entries must give (linear algebra rejects them; structural ops propagate). */
  readonly nan?: 'ieee' | 'reject';
  /** The matrix must be square (solves, factorisations); otherwise any rank-≥2 array. */
  readonly square?: boolean;
  /** What a singular (or, for `spd`, not positive-definite) matrix must give. */
  readonly singular?: Expect;
  /**
   * The entries the function reads, where it is not the kind's own triangle (lower for `spd`/`lower`, upper for
   * `upper`, all for the others): `'upper'` for `cholesky(a, { upper: true })`, `'strictly-lower'` for a unit
   * diagonal. NaN/∞ elsewhere is never read, so any outcome but an untyped error is fine there.
   */
  readonly reads?: 'lower' | 'upper' | 'strictly-lower';
}

function makeMatrix(kind: MatrixKind, n: number, batch: readonly number[]): Tensor {
  switch (kind) {
    case 'spd':
      return spd(n, batch);
    case 'invertible':
      return invertible(n, batch);
    case 'lower':
      return lowerFactor(n, batch);
    case 'upper':
      return Tensor.from(lowerFactor(n, batch).mT as Tensor);
    case 'general':
      return tensor([...batch, n, n], -1, 1, 11);
  }
}

/** A (batch of) square matrices of some kind. */
export function matrix(name: string, o: MatrixOptions = {}): Slot {
  const n = o.n ?? 3;
  const kind = o.kind ?? 'general';
  const batch = o.batch ?? [];
  const valid = () => makeMatrix(kind, n, batch);
  const nan = o.nan ?? 'reject';
  const square: Expect = o.square === false ? 'any' : 'reject';
  const singular = o.singular ?? (kind === 'general' ? 'any' : 'reject');
  const zero = Tensor.zeros([...batch, n, n]);
  const reads = o.reads ?? (kind === 'spd' || kind === 'lower' ? 'lower' : kind === 'upper' ? 'upper' : 'all');
  const isRead = (i: number) => {
    const r = Math.floor(i / n), c = i % n;
    return reads === 'lower' ? c <= r : reads === 'upper' ? c >= r : reads === 'strictly-lower' ? c < r : true;
  };
  const nanAt = (i: number): Expect => (isRead(i) ? nan : 'any');
  const bads: Bad[] = [
    ...wrongTypes(['nan']),
    bad('scalar NaN', () => NaN, 'reject', 'shape'),
    bad('vector [n]', () => tensor([n]), 'reject', 'shape'),
    bad('non-square [n, n+1]', () => tensor([...batch, n, n + 1]), square, 'shape'),
    bad('empty [0, 0]', () => Tensor.zeros([0, 0]), 'any', 'shape'),
    bad('batch of two', () => makeMatrix(kind, n, [2, ...batch]), 'any', 'shape'),
    bad('nested-array form', () => nested(valid()), 'any', 'type'),
    bad('ragged nested array', () => [[1, 2], [3]], 'reject', 'shape'),
    bad('NaN entry', () => withValue(valid(), 0, NaN), nanAt(0), 'nonfinite'),
    bad('+Infinity entry', () => withValue(valid(), n * n - 1, Infinity), nanAt(n * n - 1), 'nonfinite'),
    bad('-Infinity on the diagonal', () => withValue(valid(), n + 1, -Infinity), nanAt(n + 1), 'nonfinite'),
    bad('zero matrix', () => zero, singular, 'domain'),
    bad('entries of 1e300', () => new Tensor(valid().data.map((v) => v * 1e300), valid().shape), 'any', 'domain'),
    bad('entries of 1e-300', () => new Tensor(valid().data.map((v) => v * 1e-300), valid().shape), 'any', 'domain'),
    // the ends of the float64 range: the largest entry near the maximum, or all entries subnormal
    bad('largest entry 1.5e308', () => scaledTo(valid(), 1.5e308), 'any', 'domain'),
    bad('subnormal entries (~1e-310)', () => scaledTo(valid(), 1e-310), 'any', 'domain'),
    bad('transparent Proxy of a tensor', () => new Proxy(valid(), {}), 'any', 'hostile'),
    bad('Proxy with throwing traps', () => throwingProxy(valid()), 'any', 'hostile'),
  ];
  if (kind === 'spd') {
    bads.push(
      bad('negative definite', () => new Tensor(valid().data.map((v) => -v), valid().shape), 'reject', 'domain'),
      bad('rank-deficient (ones)', () => Tensor.full([...batch, n, n], 1), 'reject', 'domain'),
      bad('asymmetric (upper triangle changed)', () => withValue(valid(), 1, 100), 'any', 'domain'),
    );
  }
  if (kind === 'invertible' || kind === 'general') {
    bads.push(bad('singular (two equal rows)', () => rowsEqual(valid(), n), singular, 'domain'));
  }
  if (kind === 'lower' || kind === 'upper') {
    bads.push(bad('zero on the diagonal', () => withValue(valid(), n + 1, 0), singular, 'domain'));
  }
  // Factorisations and triangular solves read one triangle only (documented): NaN goes where it is read.
  const read = Array.from({ length: n * n }, (_, i) => i).filter(isRead);
  const rand = (s: number): Bad[] =>
    sampled(fc.tuple(fc.constantFrom(...read), fc.constantFrom(NaN, Infinity, -Infinity)), s, RANDOM_PER_SLOT, ([i, v]) =>
      bad(`${v} at flat index ${i}`, () => withValue(valid(), i, v), nan, 'nonfinite'),
    );
  return slot(name, valid, bads, o, rand);
}

/** `t` scaled so that its largest |entry| is `top`. */
function scaledTo(t: Tensor, top: number): Tensor {
  const m = t.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  return new Tensor(t.data.map((v) => (v / m) * top), t.shape);
}

function rowsEqual(t: Tensor, n: number): Tensor {
  const d = t.data.slice();
  for (let b = 0; b < d.length; b += n * n) for (let j = 0; j < n; j++) d[b + n + j] = d[b + j];
  return new Tensor(d, t.shape);
}

/** An array value that must already be a `Value` (a tensor or tracer): nested arrays and numbers must be rejected. */
export function value(name: string, o: ArrayOptions = {}): Slot {
  const a = array(name, { minRank: 1, ...o });
  const keep = (b: Bad) => RECEIVER_BADS.test(b.label) || b.family === 'type';
  const marked = a.bad.filter(keep).map((b) => (b.label === 'Float64Array' || b.label.includes('nested') || b.label === 'array of tensors' ? { ...b, expect: 'reject' as const } : b));
  return { ...a, bad: marked, random: a.random && ((s) => a.random!(s).filter(keep)) };
}
