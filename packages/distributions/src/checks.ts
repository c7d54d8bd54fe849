/**
 * Argument checks of the public entry points: Gaussians are validated by their parametrisation, gradients and
 * directions must have the Gaussian's structure and shapes.
 * @module
 */
import { InvalidArgumentError, ShapeError, type Value } from '@natgrad/core';
import { type CheckedGaussian, checkShapes } from './validate.js';
import type { AnyParametrisation, CoordinateKind, Gaussian, GaussianFamily, Parametrisation } from './types.js';

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
   * Validate q (structure, constraints, positive definiteness) and the gradient's shapes. Default true; pass false
   * in hot loops where q is known to be valid (e.g. it was just produced by a validated step).
   */
  validate?: boolean;
}

const METHODS: readonly NaturalGradientMethod[] = ['auto', 'ad', 'closed-form'];

/** The method option, defaulted to `'auto'`; anything else is an {@link InvalidArgumentError}. */
export function checkMethod(method: unknown, where: string): NaturalGradientMethod {
  const m = method ?? 'auto';
  if (!METHODS.includes(m as NaturalGradientMethod)) {
    throw new InvalidArgumentError(`${where}: method must be one of ${METHODS.map((x) => `'${x}'`).join(', ')}, got ${String(method)}`);
  }
  return m as NaturalGradientMethod;
}

/** Guards against passing something that is not a descriptor (e.g. arguments in the wrong order). */
export function checkParametrisation(P: unknown, where: string, label = 'parametrisation'): asserts P is AnyParametrisation {
  const p = P as Partial<AnyParametrisation> | null;
  if (p === null || typeof p !== 'object' || typeof p.fromNatural !== 'function' || !Array.isArray(p.keys)) {
    throw new InvalidArgumentError(`${where}: ${label} must be a parametrisation descriptor (e.g. meanCholesky), got ${String(P)}`);
  }
}

/** Validates q with its parametrisation and returns its shape summary. */
export function validateGaussian<K extends string>(P: Parametrisation<K>, q: Gaussian<K>, where: string): CheckedGaussian {
  P.validate(q, where);
  return checkShapes(where, q, P.coordinates);
}

/** The coordinates of θ- or η-shaped trees of a family. */
export function pairCoordinates(family: GaussianFamily, names: readonly [string, string]): Record<string, CoordinateKind> {
  return { [names[0]]: 'vector', [names[1]]: family === 'full' ? 'symmetric' : 'vector' };
}

/** A gradient or direction must have the structure of `coordinates` and the batch axes and D of the Gaussian. */
export function checkDirection(
  where: string,
  label: string,
  g: unknown,
  coordinates: Readonly<Record<string, CoordinateKind>>,
  like: CheckedGaussian,
): void {
  const c = checkShapes(where, g, coordinates, label);
  if (c.dim !== like.dim || c.batch.length !== like.batch.length || c.batch.some((b, i) => b !== like.batch[i])) {
    const shapes = Object.keys(coordinates)
      .map((k) => `${k} [${(g as Record<string, Value>)[k].shape.join(', ')}]`)
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

