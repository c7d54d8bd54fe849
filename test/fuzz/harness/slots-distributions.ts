/**
 * Slot kinds of @natgrad/distributions: a Gaussian in a given parametrisation (every constraint of every coordinate
 * broken once, shapes and batches mismatched, hostile objects), and a parametrisation descriptor.
 * @module
 */
import { Tensor } from '@natgrad/core';
import type { AnyParametrisation, CoordinateKind } from '@natgrad/distributions';
import { bad, flippingGetter, hostileObjects, wrongTypes } from './hostile.js';
import { type SlotOptions, slot } from './slot.js';
import type { Bad, Slot } from './types.js';
import { nested, spd, withValue } from './values.js';

/** Dimension of the Gaussians the tables use. */
export const D = 2;

const MU = Tensor.from([0.3, -0.2]);
const SIGMA = spd(D, [], 3);
const SIGMA2 = Tensor.from([0.5, 1.5]);

/** Concrete tensors of a tree of values (maps may return values; cases want plain tensors). */
function concrete(q: Record<string, unknown>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(q)) out[k] = Tensor.from(v as Tensor);
  return out;
}

const cache = new Map<AnyParametrisation, Record<string, Tensor>>();

/** The Gaussian N(μ, Σ) of the tables (diagonal family: N(μ, diag σ²)) in the coordinates of P, as fresh tensors. */
export function gaussianOf(P: AnyParametrisation, scale = 1): Record<string, Tensor> {
  let q = scale === 1 ? cache.get(P) : undefined;
  if (q === undefined) {
    const m = P.family === 'full' ? { mu: MU, Sigma: SIGMA.mul(scale) } : { mu: MU, sigma2: SIGMA2.mul(scale) };
    q = concrete(P.fromMoments(m as never) as Record<string, unknown>);
    if (scale === 1) cache.set(P, q);
  }
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(q)) out[k] = new Tensor(t.data.slice(), t.shape);
  return out;
}

/** Values that break the constraint of a coordinate of kind `kind` (each makes q invalid). */
function breakers(P: AnyParametrisation, k: string, kind: CoordinateKind, t: Tensor): [string, () => Tensor][] {
  const neg = () => t.mul(-1) as Tensor;
  switch (kind) {
    case 'cholesky':
      return [
        ['non-zero above the diagonal', () => withValue(t, 1, 0.5)],
        ['negative diagonal entry', () => withValue(t, 0, -t.data[0])],
        ['zero diagonal entry', () => withValue(t, 3, 0)],
      ];
    case 'lower':
      return [['non-zero above the diagonal', () => withValue(t, 1, 0.5)]];
    case 'symmetric':
      return [
        ['asymmetric', () => withValue(t, 1, t.data[1] + 1)],
        ['negated (not definite)', neg],
      ];
    case 'positive':
      return [
        ['zero entry', () => withValue(t, 0, 0)],
        ['negative entry', () => withValue(t, 0, -1)],
      ];
    case 'negative':
      return [
        ['zero entry', () => withValue(t, 0, 0)],
        ['positive entry', () => withValue(t, 0, 1)],
      ];
    case 'vector':
      return P.family === 'diagonal' && k === 'eta2' ? [['negated (η₂ − η₁² < 0)', neg]] : [];
  }
}

/** Options of a Gaussian argument. */
export interface GaussianOptions extends SlotOptions {
  /**
   * Also try a getter that reads valid once and NaN afterwards (default true): a function that validates must not
   * compute with what it did not validate. Off for the unchecked coordinate maps, where NaN is not checked at all.
   */
  readonly toctou?: boolean;
}

/** A Gaussian in the coordinates of P: a plain object of tensors with exactly P's keys. */
export function gaussian(name: string, P: AnyParametrisation, o: GaussianOptions = {}): Slot {
  const valid = () => gaussianOf(P);
  const kinds = P.coordinates as Readonly<Record<string, CoordinateKind>>;
  const keys = Object.keys(kinds);
  const with_ = (k: string, v: () => unknown) => () => ({ ...valid(), [k]: v() });
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('unknown extra key', () => ({ ...valid(), fuzz: Tensor.zeros([D]) }), 'reject', 'shape'),
    bad('batch of two', () => batched(valid()), 'any', 'shape'),
    bad('scaled by 1e150', () => scaled(P, valid(), 1e150), 'any', 'domain'),
    bad('scaled by 1e-150', () => scaled(P, valid(), 1e-150), 'any', 'domain'),
    ...hostileObjects(valid, true, keys[0]),
  ];
  if (o.toctou !== false) {
    const k = keys[keys.length - 1];
    bads.push(bad(`toctou getter on "${k}" (NaN on the second read)`, () => flippingGetter(valid(), k, () => Tensor.full(valid()[k].shape, NaN)), 'any', 'hostile'));
  }
  for (const k of keys) {
    const t = () => valid()[k];
    const own: Bad[] = [
      bad(`missing "${k}"`, () => {
        const q: Record<string, unknown> = valid();
        delete q[k];
        return q;
      }, 'reject', 'shape'),
      bad(`${k}: nested array`, with_(k, () => nested(t())), 'any', 'type'),
      bad(`${k}: string`, with_(k, () => 'abc'), 'reject', 'type'),
      bad(`${k}: null`, with_(k, () => null), 'reject', 'type'),
      bad(`${k}: scalar tensor`, with_(k, () => Tensor.scalar(1)), 'reject', 'shape'),
      bad(`${k}: NaN entry`, with_(k, () => withValue(t(), 0, NaN)), 'reject', 'nonfinite'),
      bad(`${k}: +Infinity entry`, with_(k, () => withValue(t(), t().size - 1, Infinity)), 'reject', 'nonfinite'),
      bad(`${k}: dimension ${D + 1}`, with_(k, () => grow(t())), 'reject', 'shape'),
      bad(`${k}: extra batch axis`, with_(k, () => Tensor.from([t().toArray(), t().toArray()] as number[][])), 'reject', 'shape'),
      ...breakers(P, k, kinds[k], t()).map(([label, make]) => bad(`${k}: ${label}`, with_(k, make), 'reject', 'domain')),
    ];
    bads.push(...own.map((b) => ({ ...b, sub: k })));
  }
  return slot(name, valid, bads, o);
}

/** `t` with its last axis (and the one before, for matrices) one longer, padded with the identity. */
function grow(t: Tensor): Tensor {
  if (t.ndim === 1) return Tensor.from([...t.toFlatArray(), 1]);
  const n = t.shape[t.ndim - 1];
  const rows = t.toArray() as number[][];
  return Tensor.from([...rows.map((r) => [...r, 0]), [...Array.from({ length: n }, () => 0), 1]]);
}

function batched(q: Record<string, Tensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(q)) out[k] = Tensor.from([t.toArray(), t.toArray()] as number[][]);
  return out;
}

function scaled(P: AnyParametrisation, q: Record<string, Tensor>, c: number): Record<string, Tensor> {
  const kinds = P.coordinates as Readonly<Record<string, CoordinateKind>>;
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(q)) out[k] = kinds[k] === 'vector' ? t : (t.mul(c) as Tensor);
  return out;
}

/** A parametrisation descriptor argument; `other` is a descriptor with different keys (a mix-up). */
export function parametrisation(name: string, P: AnyParametrisation, other: AnyParametrisation, o: SlotOptions = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('its name as a string', () => P.name, 'reject', 'type'),
    bad(`another parametrisation (${other.name})`, () => other, 'reject', 'domain'),
    bad('shallow copy', () => ({ ...P }), 'any', 'type'),
    bad('descriptor with only name, keys and fromNatural', () => ({ name: P.name, keys: P.keys, fromNatural: P.fromNatural }), 'reject', 'type'),
    bad('transparent Proxy', () => new Proxy(P, {}), 'any', 'hostile'),
  ];
  return slot(name, () => P, bads, o);
}

/** Options of a direction argument. */
export interface DirectionOptions extends SlotOptions {
  /** What NaN/±∞ in the direction must give: a typed error (gradients handed to entry points) or propagation. */
  readonly nan?: 'ieee' | 'reject';
}

/**
 * A gradient or direction with the keys and shapes of the coordinates of P (no constraints on the values): missing,
 * unknown and mis-shaped keys must be rejected.
 */
export function direction(name: string, P: AnyParametrisation, o: DirectionOptions = {}): Slot {
  const kinds = P.coordinates as Readonly<Record<string, CoordinateKind>>;
  const keys = Object.keys(kinds);
  const nan = o.nan ?? 'reject';
  const valid = (): Record<string, Tensor> => {
    const out: Record<string, Tensor> = {};
    const q = gaussianOf(P);
    keys.forEach((k, i) => {
      const t = q[k];
      out[k] = new Tensor(t.data.map((_, j) => Math.round(Math.sin(3 * i + j + 1) * 1000) / 1000), t.shape);
    });
    return out;
  };
  const with_ = (k: string, v: () => unknown) => () => ({ ...valid(), [k]: v() });
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('unknown extra key', () => ({ ...valid(), fuzz: Tensor.zeros([D]) }), 'reject', 'shape'),
    ...hostileObjects(valid, true, keys[0]),
  ];
  for (const k of keys) {
    const t = () => valid()[k];
    const own: Bad[] = [
      bad(`missing "${k}"`, () => {
        const g: Record<string, unknown> = valid();
        delete g[k];
        return g;
      }, 'reject', 'shape'),
      bad(`${k}: string`, with_(k, () => 'abc'), 'reject', 'type'),
      bad(`${k}: nested array`, with_(k, () => nested(t())), 'any', 'type'),
      bad(`${k}: NaN entry`, with_(k, () => withValue(t(), 0, NaN)), nan, 'nonfinite'),
      bad(`${k}: -Infinity entry`, with_(k, () => withValue(t(), t().size - 1, -Infinity)), nan, 'nonfinite'),
      bad(`${k}: dimension ${D + 1}`, with_(k, () => grow(t())), 'reject', 'shape'),
      bad(`${k}: extra batch axis`, with_(k, () => Tensor.from([t().toArray(), t().toArray()] as number[][])), 'reject', 'shape'),
    ];
    bads.push(...own.map((b) => ({ ...b, sub: k })));
  }
  return slot(name, valid, bads, o);
}
