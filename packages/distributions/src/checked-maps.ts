/**
 * The checked maps of a descriptor: each validates its argument (structure, finiteness, constraints — on primal
 * values, so tracers pass through), calls the bare map, and checks that the result has the expected structure, the
 * argument's batch axes and D, and finite entries. One policy for the built-ins and for user-defined
 * parametrisations alike; the bare maps stay available as `P.unchecked`.
 * @module
 */
import { NonFiniteError, ShapeError } from '@natgrad/core';
import { checkDirection, pairCoordinates } from './checks.js';
import { computing } from './context.js';
import { sym } from './matrix.js';
import { checkIn, spaces } from './spaces.js';
import { type CheckedGaussian, coordinateKeys, readTree, sameBatch } from './structure.js';
import type { CoordinateKind, ExpectationParameters, GaussianFamily, ParametrisationMaps } from './types.js';
import { checkShapes } from './validate.js';

type Check = (where: string, q: unknown, values: boolean) => CheckedGaussian;

const OVERFLOW_HINT = 'the argument is valid, but this overflows float64: see checkUsable';
/** What a core failure inside a bare map on valid input means. */
export const INTERMEDIATE = `an intermediate value (${OVERFLOW_HINT})`;
const GRADIENT_HINT = 'is q numerically usable (see checkUsable), and is the gradient of the objective finite?';

function sameShape(where: string, label: string, c: CheckedGaussian, like: CheckedGaussian): void {
  if (c.dim !== like.dim || c.batch.length !== like.batch.length || !sameBatch(c.batch, like.batch)) {
    throw new ShapeError(
      `${where}: ${label} has batch [${c.batch.join(', ')}] and D = ${c.dim}, but the argument has batch ` +
        `[${like.batch.join(', ')}] and D = ${like.dim} (a map breaks its contract)`,
    );
  }
}

/**
 * A computed tree must have exactly `coordinates`, the batch axes and D of `like`, and finite entries; `label`
 * names it and `hint` says what a non-finite entry means.
 */
export function checkComputed<T>(
  where: string,
  label: string,
  out: T,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  like: CheckedGaussian,
  hint: string,
): T {
  const c = readTree(where, out, coordinates, label);
  sameShape(where, label, c, like);
  for (const k of coordinateKeys(coordinates)) {
    const data = c.values[k].data;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v - v !== 0) throw new NonFiniteError(`${where}: ${label}.${k} (${hint})`, i, v);
    }
  }
  return out;
}

/** The result of a map: see {@link checkComputed}. */
export function result<T>(where: string, out: T, coordinates: Readonly<Record<string, CoordinateKind>>, like: CheckedGaussian): T {
  return checkComputed(where, 'the result', out, coordinates, like, OVERFLOW_HINT);
}

/** A computed gradient (∂L/∂η or a natural gradient): see {@link checkComputed}. */
export function gradientResult<T>(
  where: string,
  label: string,
  out: T,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  like: CheckedGaussian,
): T {
  return checkComputed(where, label, out, coordinates, like, GRADIENT_HINT);
}

/** The checked maps of a parametrisation, over its bare maps `raw` and its validation `check`. */
export function checkedMaps<K extends string, F extends GaussianFamily>(
  name: string,
  family: F,
  coordinates: Readonly<Record<K, CoordinateKind>>,
  raw: ParametrisationMaps<K, F>,
  check: Check,
): ParametrisationMaps<K, F> {
  const sp = spaces[family];
  const at = (map: string) => `${name}.${map}`;
  const eta = pairCoordinates(family, ['eta1', 'eta2']);
  const maps: ParametrisationMaps<K, F> = {
    toMoments(q) {
      const w = at('toMoments');
      const c = check(w, q, true);
      return result(w, computing(w, INTERMEDIATE, () => raw.toMoments(q)), sp.moments.coordinates, c);
    },
    fromMoments(m) {
      const w = at('fromMoments');
      const c = checkIn(sp.moments, w, m, 'm');
      return result(w, computing(w, INTERMEDIATE, () => raw.fromMoments(m)), coordinates, c);
    },
    fromNatural(theta) {
      const w = at('fromNatural');
      const c = checkIn(sp.natural, w, theta, 'theta');
      return result(w, computing(w, INTERMEDIATE, () => raw.fromNatural(theta)), coordinates, c);
    },
    toNatural(q) {
      const w = at('toNatural');
      const c = check(w, q, true);
      return result(w, computing(w, INTERMEDIATE, () => raw.toNatural(q)), sp.natural.coordinates, c);
    },
    fromExpectation(e) {
      const w = at('fromExpectation');
      const c = checkIn(sp.expectation, w, e, 'eta');
      return result(w, computing(w, INTERMEDIATE, () => raw.fromExpectation(e)), coordinates, c);
    },
    toExpectation(q) {
      const w = at('toExpectation');
      const c = check(w, q, true);
      return result(w, computing(w, INTERMEDIATE, () => raw.toExpectation(q)), sp.expectation.coordinates, c);
    },
    toScale(q) {
      const w = at('toScale');
      const c = check(w, q, true);
      const s = computing(w, INTERMEDIATE, () => raw.toScale(q));
      const kind: CoordinateKind = family === 'full' ? 'cholesky' : 'vector';
      checkComputed(w, 'the result', { scale: s }, { scale: kind }, c, OVERFLOW_HINT);
      return s;
    },
    project(g) {
      const w = at('project');
      const c = checkShapes(w, g, coordinates, 'g');
      return result(w, computing(w, INTERMEDIATE, () => raw.project(g)), coordinates, c);
    },
  };
  const closed = raw.closedFormNaturalGradient;
  if (closed) {
    maps.closedFormNaturalGradient = (q, dLdEta) => {
      const w = at('closedFormNaturalGradient');
      const c = check(w, q, true);
      checkDirection(w, 'dLdEta', dLdEta, eta, c);
      // The closed forms assume a symmetric η₂ part: symmetrise as naturalGradient does (exact on symmetric input).
      const g: ExpectationParameters = { eta1: dLdEta.eta1, eta2: family === 'full' ? sym(dLdEta.eta2) : dLdEta.eta2 };
      return result(w, computing(w, INTERMEDIATE, () => closed(q, g)), coordinates, c);
    };
  }
  const closedEuclidean = raw.closedFormNaturalGradientFromEuclidean;
  if (closedEuclidean) {
    maps.closedFormNaturalGradientFromEuclidean = (q, dLdXi) => {
      const w = at('closedFormNaturalGradientFromEuclidean');
      const c = check(w, q, true);
      checkDirection(w, 'dLdXi', dLdXi, coordinates, c);
      // Projection is idempotent, so a projected gradient is unchanged and a raw one becomes what the form assumes.
      return result(w, computing(w, INTERMEDIATE, () => closedEuclidean(q, raw.project(dLdXi))), coordinates, c);
    };
  }
  return maps;
}
