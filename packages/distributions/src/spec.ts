/**
 * Reading a {@link ParametrisationSpec} as untrusted input: own data members only, no unknown member (a misspelt
 * `fromNaturals` must not silently fall back to the derived map), maps that are functions, and coordinate names that
 * are safe object keys (Gaussians, gradients and results are built with them).
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { checkFunction } from './arguments.js';
import { describeValue } from './describe.js';
import type { ParametrisationSpec } from './define.js';
import { readOptions } from './options.js';
import { isPlainObject } from './structure.js';
import type { CoordinateKind, GaussianFamily } from './types.js';

const WHERE = 'defineParametrisation';
const MAPS = [
  'toMoments',
  'fromMoments',
  'fromNatural',
  'toNatural',
  'fromExpectation',
  'toExpectation',
  'toScale',
  'constraints',
  'project',
  'closedFormNaturalGradient',
  'closedFormNaturalGradientFromEuclidean',
] as const;
const REQUIRED = ['toMoments', 'fromMoments'];
const MEMBERS = ['name', 'family', 'coordinates', ...MAPS];
const KINDS: readonly CoordinateKind[] = ['vector', 'positive', 'negative', 'symmetric', 'lower', 'cholesky'];
const VECTOR_KINDS: readonly CoordinateKind[] = ['vector', 'positive', 'negative'];
const FAMILIES: readonly GaussianFamily[] = ['full', 'diagonal'];
/** Bounds that keep names printable in messages and key sets small enough to validate per call. */
const MAX_NAME = 200;
const MAX_COORDINATES = 16;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A validated copy of `spec` (null prototype): coordinates frozen in their key order, optional maps only if given. */
export function readSpec<K extends string, F extends GaussianFamily>(spec: ParametrisationSpec<K, F>): ParametrisationSpec<K, F> {
  const o = readOptions(WHERE, spec, MEMBERS, 'spec', 'member');
  if (spec === undefined) throw new InvalidArgumentError(`${WHERE}: spec must be a plain object, got undefined`);
  const name = o.name;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw new InvalidArgumentError(`${WHERE}: spec.name must be a string of 1 to ${MAX_NAME} characters, got ${describeValue(name)}`);
  }
  const family = o.family as GaussianFamily;
  if (!FAMILIES.includes(family)) {
    throw new InvalidArgumentError(`${WHERE} (${name}): spec.family must be 'full' or 'diagonal', got ${describeValue(o.family)}`);
  }
  const out: Record<string, unknown> = Object.create(null);
  out.name = name;
  out.family = family;
  out.coordinates = readCoordinates(name, family, o.coordinates);
  for (const m of MAPS) {
    const f = o[m];
    if (f === undefined && !REQUIRED.includes(m)) continue;
    checkFunction(`${WHERE} (${name})`, `spec.${m}`, f);
    out[m] = f;
  }
  return out as unknown as ParametrisationSpec<K, F>;
}

function readCoordinates(name: string, family: GaussianFamily, coordinates: unknown): Readonly<Record<string, CoordinateKind>> {
  const where = `${WHERE} (${name})`;
  if (!isPlainObject(coordinates)) {
    throw new InvalidArgumentError(`${where}: spec.coordinates must be a plain object of coordinate kinds, got ${describeValue(coordinates)}`);
  }
  const keys = Reflect.ownKeys(coordinates);
  if (keys.length === 0 || keys.length > MAX_COORDINATES) {
    throw new InvalidArgumentError(`${where}: spec.coordinates must have 1 to ${MAX_COORDINATES} coordinates, got ${keys.length}`);
  }
  const kinds = family === 'full' ? KINDS : VECTOR_KINDS;
  const out: Record<string, CoordinateKind> = Object.create(null);
  for (const k of keys) {
    if (typeof k !== 'string' || !IDENTIFIER.test(k) || k in Object.prototype) {
      const shown = typeof k === 'string' ? JSON.stringify(k) : 'a symbol';
      throw new InvalidArgumentError(
        `${where}: spec.coordinates has the coordinate name ${shown}: names must be identifiers that are not members of ` +
          'Object.prototype',
      );
    }
    const d = Object.getOwnPropertyDescriptor(coordinates, k)!;
    const kind: unknown = 'value' in d ? d.value : undefined;
    if (!kinds.includes(kind as CoordinateKind)) {
      throw new InvalidArgumentError(
        `${where}: spec.coordinates.${k} must be one of ${kinds.map((x) => `'${x}'`).join(', ')} for the ${family} family, ` +
          `got ${describeValue(kind)}`,
      );
    }
    out[k] = kind as CoordinateKind;
  }
  return Object.freeze(out);
}
