/**
 * The registry factory of NaturalGradient: rebuilds it from `{ maxHalvings, maxConsecutiveRejections }` and
 * `{ parametrisation, coordinates, riemannian }`. @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import type { RuleFactory } from '../registry.js';
import { NaturalGradient } from './natural-gradient.js';
import { parametrisationByName, parametrisationNames } from './parametrisations.js';

/** Rebuilds a NaturalGradient rule from its description. */
export const NaturalGradientFactory: RuleFactory = (h, o, children) => {
  if (children.length !== 1) throw new InvalidArgumentError(`NaturalGradient: expected 1 child rule, got ${children.length}`);
  const opts = (o !== null && typeof o === 'object' && !Array.isArray(o) ? o : {}) as Record<string, unknown>;
  const name = opts.parametrisation;
  const P = typeof name === 'string' ? parametrisationByName(name) : undefined;
  if (P === undefined) {
    throw new InvalidArgumentError(`NaturalGradient: unknown parametrisation ${JSON.stringify(name)} (known: ${parametrisationNames().join(', ')}; see registerParametrisation)`);
  }
  if (opts.coordinates !== 'natural' && opts.coordinates !== 'native') {
    throw new InvalidArgumentError(`NaturalGradient: coordinates must be 'natural' or 'native', got ${JSON.stringify(opts.coordinates)}`);
  }
  return NaturalGradient(children[0], {
    parametrisation: P,
    coordinates: opts.coordinates,
    maxHalvings: h.maxHalvings,
    maxConsecutiveRejections: h.maxConsecutiveRejections,
    riemannian: opts.riemannian === true,
  });
};
