/** Parametrisations by name, so a checkpoint can name the one a NaturalGradient rule uses. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { type AnyParametrisation, parametrisations } from '@natgrad/distributions';

const user = new Map<string, AnyParametrisation>();

/**
 * Makes a user-defined parametrisation (from `defineParametrisation`) known by its `name`, so that checkpoints of a
 * `NaturalGradient` rule using it can be loaded.
 * @throws {InvalidArgumentError} if a different parametrisation already has that name
 */
export function registerParametrisation(P: AnyParametrisation): void {
  if (P === null || typeof P !== 'object' || typeof P.name !== 'string' || P.name === '') {
    throw new InvalidArgumentError('registerParametrisation: expected a parametrisation from defineParametrisation (with a name)');
  }
  const existing = parametrisationByName(P.name);
  if (existing !== undefined && existing !== P) throw new InvalidArgumentError(`registerParametrisation: "${P.name}" is already taken`);
  if (existing === undefined) user.set(P.name, P);
}

/** The parametrisation named `name` (built-in or registered), if any. */
export function parametrisationByName(name: string): AnyParametrisation | undefined {
  const builtin = parametrisations as Readonly<Record<string, AnyParametrisation>>;
  return Object.hasOwn(builtin, name) ? builtin[name] : user.get(name);
}

/** Names of all known parametrisations. @internal */
export function parametrisationNames(): string[] {
  return [...Object.keys(parametrisations), ...user.keys()].sort();
}
