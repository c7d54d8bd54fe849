/**
 * Argument checks of the public entry points: the descriptor must be one `defineParametrisation` made, Gaussians are
 * validated by their parametrisation, gradients and directions must have the Gaussian's structure and shapes, and the
 * natural-gradient options are read strictly.
 * @module
 */
import { InvalidArgumentError, ShapeError, type Value } from '@natgrad/core';
import { describeValue } from './describe.js';
import { booleanOption, enumOption, readOptions } from './options.js';
import { internalsOf } from './registry.js';
import { type CheckedGaussian, readTree, sameBatch } from './structure.js';
import type { AnyParametrisation, CoordinateKind, Gaussian, GaussianFamily, Parametrisation } from './types.js';
import { checkShapes } from './validate.js';

/** How a natural gradient is computed: `'auto'` uses a closed form where one exists, else `'ad'`. */
export type NaturalGradientMethod = 'auto' | 'ad' | 'closed-form';

/** Options shared by the natural-gradient entry points. */
export interface NaturalGradientOptions {
  /**
   * `'ad'`: one forward-mode (dual-number) pass through θ ↦ ξ; `'closed-form'`: the parametrisation's closed form
   * (an error if it has none); `'auto'` (default): closed form when available, else AD.
   */
  method?: NaturalGradientMethod;
  /**
   * Validate the values of q (finiteness, constraints, positive definiteness) and of the gradient, and check that
   * the result is finite. Default true; pass false in hot loops where q is known to be valid (e.g. it was just
   * produced by a validated step). Structure and shapes are checked either way (that costs O(number of keys)).
   */
  validate?: boolean;
}

const METHODS: readonly NaturalGradientMethod[] = ['auto', 'ad', 'closed-form'];

/** The method option, defaulted to `'auto'`; anything else is an {@link InvalidArgumentError}. */
export function checkMethod(method: unknown, where: string, fallback: NaturalGradientMethod = 'auto'): NaturalGradientMethod {
  return enumOption(where, 'options.method', method, METHODS, fallback);
}

/** Reads {@link NaturalGradientOptions} strictly: `[method, validate]`. */
export function naturalGradientOptions(where: string, options: unknown): [NaturalGradientMethod, boolean] {
  const o = readOptions(where, options, ['method', 'validate']);
  return [checkMethod(o.method, where), booleanOption(where, 'options.validate', o.validate, true)];
}

/** Only descriptors made by `defineParametrisation` are accepted (guards against arguments in the wrong order). */
export function checkParametrisation(P: unknown, where: string, label = 'parametrisation'): asserts P is AnyParametrisation {
  if (internalsOf(P) === undefined) {
    throw new InvalidArgumentError(
      `${where}: ${label} must be a parametrisation descriptor made by defineParametrisation (e.g. meanCholesky), got ` +
        describeValue(P),
    );
  }
}

/**
 * Validates q with its parametrisation (`values` false: structure and shapes only) and returns its shape summary;
 * `label` is what messages call it. P must have passed {@link checkParametrisation}.
 */
export function validateGaussian<K extends string>(
  P: Parametrisation<K>,
  q: unknown,
  where: string,
  values = true,
  label = 'q',
): CheckedGaussian {
  return internalsOf(P)!.check(where, q, values, label);
}

type Pairs = Map<string, Map<string, Readonly<Record<string, CoordinateKind>>>>;
const PAIRS: Record<GaussianFamily, Pairs> = { full: new Map(), diagonal: new Map() };

/** The coordinates of θ- or η-shaped trees of a family (one frozen record per family and names). */
export function pairCoordinates(family: GaussianFamily, names: readonly [string, string]): Readonly<Record<string, CoordinateKind>> {
  const byFirst = PAIRS[family];
  let bySecond = byFirst.get(names[0]);
  if (bySecond === undefined) byFirst.set(names[0], (bySecond = new Map()));
  let out = bySecond.get(names[1]);
  if (out === undefined) {
    const rec: Record<string, CoordinateKind> = Object.create(null);
    rec[names[0]] = 'vector';
    rec[names[1]] = family === 'full' ? 'symmetric' : 'vector';
    out = Object.freeze(rec);
    bySecond.set(names[1], out);
  }
  return out;
}

/**
 * A gradient or direction must have the structure of `coordinates` and the batch axes and D of the Gaussian, and
 * (when `values`) finite entries.
 */
export function checkDirection(
  where: string,
  label: string,
  g: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  like: CheckedGaussian,
  values = true,
): void {
  const c = values ? checkShapes(where, g, coordinates, label) : readTree(where, g, coordinates, label);
  if (c.dim !== like.dim || c.batch.length !== like.batch.length || !sameBatch(c.batch, like.batch)) {
    const shapes = Object.keys(coordinates)
      .map((k) => `${k} [${c.values[k].shape.join(', ')}]`)
      .join(', ');
    throw new ShapeError(
      `${where}: ${label} has shapes ${shapes}, which do not match the Gaussian (batch [${like.batch.join(', ')}], D = ${like.dim})`,
    );
  }
}

/** Re-orders an object's keys to `keys` (results read like the parametrisation's own key order). */
export function inKeyOrder<K extends string>(keys: readonly K[], obj: Gaussian<K>): Gaussian<K> {
  const out = {} as Record<K, Value>;
  for (const k of keys) out[k] = obj[k];
  return out;
}
