/** Parametrisations by name, so a checkpoint can name the one a NaturalGradient rule uses. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { type AnyParametrisation, parametrisations } from '@natgrad/distributions';
import { checkParametrisation } from './coordinates.js';

const user = new Map<string, AnyParametrisation>();

/**
 * Makes a user-defined parametrisation (from `defineParametrisation`) known by its `name`, so that checkpoints of a
 * `NaturalGradient` rule using it can be loaded.
 * @throws {InvalidArgumentError} if a different parametrisation already has that name
 */
export function registerParametrisation(P: AnyParametrisation): void {
  checkParametrisation('registerParametrisation: P', P);
  if (P.name === '' || P.name === '__proto__' || P.name === 'constructor' || P.name === 'prototype') {
    throw new InvalidArgumentError(`registerParametrisation: the name ${JSON.stringify(P.name)} is not allowed`);
  }
  const existing = parametrisationByName(P.name);
  if (existing !== undefined && existing !== P) throw new InvalidArgumentError(`registerParametrisation: "${P.name}" is already taken`);
  if (existing === undefined) user.set(P.name, P);
}

/**
 * The parametrisation named `name` (built-in or registered), if any.
 * @throws {InvalidArgumentError} when `name` is not a string
 */
export function parametrisationByName(name: string): AnyParametrisation | undefined {
  if (typeof name !== 'string') throw new InvalidArgumentError(`parametrisationByName: name must be a string, got ${name === null ? 'null' : typeof name}`);
  const builtin = parametrisations as Readonly<Record<string, AnyParametrisation>>;
  return Object.hasOwn(builtin, name) ? builtin[name] : user.get(name);
}

/** Names of all known parametrisations. @internal */
export function parametrisationNames(): string[] {
  return [...Object.keys(parametrisations), ...user.keys()].sort();
}
