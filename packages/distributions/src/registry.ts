/**
 * The descriptors made by `defineParametrisation`, with the internal hook the entry points validate through. A
 * registry instead of a duck-type test: an object that merely has a `fromNatural` function is not a parametrisation.
 * @module
 */
import type { CheckedGaussian } from './structure.js';

/** What the entry points need from a descriptor beyond its public members. */
export interface DescriptorInternals {
  /**
   * Reads q's structure and shapes (always, O(keys)) and, when `values` is true, validates it fully (finiteness,
   * kinds, constraints) — `P.validate` with the shape summary returned. `label` names q in messages (default `"q"`).
   */
  check(where: string, q: unknown, values: boolean, label?: string): CheckedGaussian;
}

const registry = new WeakMap<object, DescriptorInternals>();

/** Records a descriptor made by `defineParametrisation`. */
export function register(descriptor: object, internals: DescriptorInternals): void {
  registry.set(descriptor, internals);
}

/** The internals of a descriptor, or undefined for anything `defineParametrisation` did not make. */
export function internalsOf(P: unknown): DescriptorInternals | undefined {
  return typeof P === 'object' && P !== null ? registry.get(P) : undefined;
}
