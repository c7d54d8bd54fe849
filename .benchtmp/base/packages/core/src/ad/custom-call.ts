/**
 * The flat protocol between functions with custom rules (`custom.ts`, which deals with the user's trees and checks
 * what the user's functions return) and the transforms that process them (each {@link Main}'s `processCustom`, in the
 * style of JAX's `process_custom_jvp_call` / `process_custom_vjp_call`). Everything here is on flat leaf lists.
 * One call object is made per invocation of a custom function, so it may remember the output structure.
 * @module
 */
import type { Value } from '../value.js';
import type { MaybeValue } from './primitive.js';

/** An invocation of a function with a custom JVP rule. */
export interface CustomJvpCall {
  readonly kind: 'customJvp';
  /** `customJvp(name)`, for error messages. */
  readonly name: string;
  /** `f` itself: the primal outputs. */
  f(inputs: readonly Value[]): Value[];
  /**
   * The rule at `primals` for one set of input tangents (`null`: a zero tangent). Returns the primal outputs and the
   * output tangents (`null`: zero). Linear in the tangents, which is what lets reverse mode transpose it.
   */
  rule(primals: readonly Value[], tangents: readonly MaybeValue[]): [Value[], MaybeValue[]];
}

/** An invocation of a function with a custom VJP rule. */
export interface CustomVjpCall {
  readonly kind: 'customVjp';
  /** `customVjp(name)`, for error messages. */
  readonly name: string;
  /** `f` itself: the primal outputs (forward mode differentiates through it). */
  f(inputs: readonly Value[]): Value[];
  /** The forward half: primal outputs and residuals for `bwd`. */
  fwd(primals: readonly Value[]): [Value[], unknown];
  /** The backward half: the cotangent of each input leaf (`null`: zero) from the output cotangents. */
  bwd(residuals: unknown, cotangents: readonly Value[]): MaybeValue[];
}

/** Either kind of custom call. */
export type CustomCall = CustomJvpCall | CustomVjpCall;
