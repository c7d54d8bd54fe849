/** `freeze` / `thaw` (Optimisers.jl `freeze!` / `thaw!`), without mutation: they return new optimiser states. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { covers } from '../tree-utils.js';
import type { OptimiserState } from '../update.js';

/**
 * Freezes the parameters at `path` (and below): they get zero steps and their rule state — momentum, moments,
 * counters — is kept untouched until {@link thaw}. Schedules keep following the global step.
 * @example opt = freeze(opt, 'kernel')
 */
export function freeze<S>(opt: OptimiserState<S>, path: string): OptimiserState<S> {
  if (typeof path !== 'string') throw new InvalidArgumentError('freeze: path must be a string');
  const frozen = opt.frozen ?? [];
  if (frozen.some((f) => covers(f, path))) return opt; // already frozen
  return Object.freeze({ ...opt, frozen: Object.freeze([...frozen.filter((f) => !covers(path, f)), path].sort()) });
}

/**
 * Thaws `path` and everything frozen below it; the kept rule state resumes.
 * @throws {InvalidArgumentError} when `path` lies inside a larger frozen subtree (thaw that one instead)
 */
export function thaw<S>(opt: OptimiserState<S>, path: string): OptimiserState<S> {
  const frozen = opt.frozen ?? [];
  const outer = frozen.find((f) => f !== path && covers(f, path));
  if (outer !== undefined) {
    throw new InvalidArgumentError(`thaw: "${path}" is frozen as part of "${outer}"; thaw "${outer}" (and freeze the rest again)`);
  }
  const rest = frozen.filter((f) => !covers(path, f));
  return rest.length === frozen.length ? opt : Object.freeze({ ...opt, frozen: Object.freeze(rest) });
}
