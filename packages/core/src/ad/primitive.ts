/**
 * A primitive is the unit of differentiation: its primal kernel, its JVP rule and its VJP rule stand together, so
 * adding an operation to natgrad means writing one primitive (see `src/primitives/`).
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { Value } from '../value.js';

/** A tangent or cotangent; `null` is a symbolic zero (no work is done for it). */
export type MaybeValue = Value | null;

/** Definition of a primitive operation with parameters of type `P`. */
export interface Primitive<P = undefined> {
  /** Name used in error messages and in {@link Primitive} listings. */
  readonly name: string;
  /** Primal kernel on concrete tensors. */
  impl(inputs: readonly Tensor[], params: P): Tensor;
  /**
   * Forward rule: the output tangent, linear in `tangents`, given the primal inputs and output. `tangents[i]` is null
   * where input i has no tangent. Written with ops, so it is itself differentiable (higher-order derivatives).
   * Omitted for non-differentiable primitives whose derivative is zero (comparisons, rounding).
   */
  jvp?(tangents: readonly MaybeValue[], primals: readonly Value[], out: Value, params: P): MaybeValue;
  /**
   * Reverse rule: the cotangent of each input given the output cotangent. `needs[i]` is false where input i is a
   * constant, so the rule may skip (return null for) it. Written with ops, so it is itself differentiable.
   */
  vjp?(cotangent: Value, primals: readonly Value[], out: Value, params: P, needs: readonly boolean[]): readonly MaybeValue[];
  /**
   * Optional first-order fast path of forward mode: the primal output and its tangent in one kernel pass, for
   * concrete primals and one concrete tangent per input (`null`: a symbolic zero, at least one is present). Used by
   * `jvp` when nothing else is traced (no enclosing transform sees the inputs or tangents); it must give exactly
   * what `impl` and `jvp` give. Returns null to decline (e.g. a broadcast it does not handle): the rule path runs.
   */
  jvpFused?(primals: readonly Tensor[], tangents: readonly (Tensor | null)[], params: P): readonly [Tensor, Tensor] | null;
  /** True when the output does not depend differentiably on the inputs (zero derivative everywhere). */
  readonly nondifferentiable?: boolean;
}

/**
 * @internal Declares one of core's own primitives: the bare declaration (it freezes `def`, for type inference and as
 * the one place rules are registered). Users declare theirs with the checked `definePrimitive` of
 * `user-primitive.ts`, exported from the package index.
 */
export function definePrimitive<P = undefined>(def: Primitive<P>): Primitive<P> {
  return Object.freeze(def);
}
