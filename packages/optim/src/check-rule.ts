/** Checking that a value handed to a composite or to `setup` is a rule, so a typo fails where it was made. @module */
import { InvalidArgumentError } from '@natgrad/core';
import type { AnyRule } from './rule.js';
import { shown } from './errors.js';

/** Why `x` is not a {@link Rule}, or undefined when it is one. */
function ruleProblem(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object') return `got ${x === null ? 'null' : typeof x === 'string' ? `the string ${JSON.stringify(x)} (call the factory: Adam(), not 'Adam')` : typeof x}`;
  const r = x as Partial<AnyRule>;
  if (typeof r.name !== 'string' || r.name === '') return 'it has no name';
  if (typeof r.init !== 'function' || typeof r.apply !== 'function') return `${r.name} has no init/apply functions`;
  if (r.hyperparams === null || typeof r.hyperparams !== 'object') return `${r.name} has no hyperparams object`;
  return undefined;
}

/**
 * Returns `x` if it is a rule (name, hyperparams, init, apply).
 * @param where the function and argument, e.g. `"chain: argument 2"`
 * @throws {InvalidArgumentError} saying what `x` is instead
 */
export function checkRule(where: string, x: unknown): AnyRule {
  const problem = ruleProblem(x);
  if (problem !== undefined) throw new InvalidArgumentError(`${where} must be an optimiser rule (e.g. Adam(1e-3)); ${problem}`);
  return x as AnyRule;
}

/** Rejects option keys a function does not know (a typo would otherwise be silently ignored). */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(`${where}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new InvalidArgumentError(`${where}: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  }
}

/**
 * Returns `x` if it looks like an optimiser state from `setup`, `update` or `load` (a rule, a state, a step count).
 * @throws {InvalidArgumentError} naming `where`
 */
export function checkOptimiserState<T extends { readonly rule: unknown; readonly step: number }>(where: string, x: T): T {
  if (x === null || typeof x !== 'object' || !('rule' in x) || !('state' in x)) {
    throw new InvalidArgumentError(`${where} must be an optimiser state (from setup, update or load), got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  checkRule(`${where}.rule`, x.rule);
  if (!Number.isInteger(x.step) || x.step < 0) throw new InvalidArgumentError(`${where}.step must be an integer ≥ 0, got ${shown(x.step)}`);
  return x;
}

/** Throws unless `x` can be subscribed to (an rxjs Observable or anything with `subscribe`). */
export function checkObservable(where: string, x: unknown): void {
  if (x === null || typeof x !== 'object' || typeof (x as { subscribe?: unknown }).subscribe !== 'function') {
    throw new InvalidArgumentError(`${where}: expected an Observable (e.g. train(…)), got ${x === null ? 'null' : typeof x}`);
  }
}
