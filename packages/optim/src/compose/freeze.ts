/** `freeze` / `thaw` (Optimisers.jl `freeze!` / `thaw!`), without mutation: they return new optimiser states. @module */
import { InvalidArgumentError } from '@natgrad/core';
import { checkOptimiserState } from '../check-rule.js';
import { pathSegments } from '../keys.js';
import { covers } from '../tree-utils.js';
import type { OptimiserState } from '../update.js';

/** `path` must be a well-formed path that covers at least one parameter of the layout `setup` recorded. */
function checkPath(where: string, opt: OptimiserState, path: unknown): string {
  checkOptimiserState(`${where}: opt`, opt);
  if (typeof path !== 'string') throw new InvalidArgumentError(`${where}: path must be a string, got ${typeof path}`);
  pathSegments(`${where}: path`, path);
  if (opt.layout !== undefined) {
    const params = Object.keys(opt.layout);
    if (!params.some((p) => covers(path, p))) {
      const shown = params.slice(0, 8).map((p) => `"${p}"`).join(', ');
      throw new InvalidArgumentError(`${where}: path "${path}" matches no parameter (parameters: ${shown}${params.length > 8 ? ', …' : ''})`);
    }
  }
  return path;
}

/**
 * Freezes the parameters at `path` (and below): they get zero steps and their rule state — momentum, moments,
 * counters — is kept untouched until {@link thaw}. Schedules keep following the global step.
 * @example opt = freeze(opt, 'kernel')
 * @throws {InvalidArgumentError} when `path` matches no parameter of the tree the optimiser was set up for
 */
export function freeze<S>(opt: OptimiserState<S>, path: string): OptimiserState<S> {
  checkPath('freeze', opt as OptimiserState, path);
  const frozen = opt.frozen ?? [];
  if (frozen.some((f) => covers(f, path))) return opt; // already frozen
  return Object.freeze({ ...opt, frozen: Object.freeze([...frozen.filter((f) => !covers(path, f)), path].sort()) });
}

/**
 * Thaws `path` and everything frozen below it; the kept rule state resumes.
 * @throws {InvalidArgumentError} when `path` matches no parameter, or lies inside a larger frozen subtree (thaw that
 * one instead)
 */
export function thaw<S>(opt: OptimiserState<S>, path: string): OptimiserState<S> {
  checkPath('thaw', opt as OptimiserState, path);
  const frozen = opt.frozen ?? [];
  const outer = frozen.find((f) => f !== path && covers(f, path));
  if (outer !== undefined) {
    throw new InvalidArgumentError(`thaw: "${path}" is frozen as part of "${outer}"; thaw "${outer}" (and freeze the rest again)`);
  }
  const rest = frozen.filter((f) => !covers(path, f));
  return rest.length === frozen.length ? opt : Object.freeze({ ...opt, frozen: Object.freeze(rest) });
}
