/**
 * User-defined derivative rules (`jax.custom_jvp`, `jax.custom_vjp`). The wrapped function becomes a primitive of its
 * own: the supplied rule is used by the matching mode, and the other mode differentiates through `f` itself.
 * @module
 */
import { asValue } from '../convert.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Value } from '../value.js';
import { type MaybeValue, definePrimitive } from './primitive.js';
import { bind } from './trace.js';

/**
 * Gives `f` a custom forward-mode rule. `rule(primals, tangents)` returns `[f(...primals), tangentOut]`, linear in the
 * tangents (a missing tangent is passed as zeros). Reverse mode differentiates through `f`.
 * @example
 * // log1p(exp(x)) with a stable derivative
 * const softplus = customJvp((x) => ops.log1p(ops.exp(x)), ([x], [t]) => [softplus(x), ops.mul(t, ops.sigmoid(x))]);
 */
export function customJvp<A extends Value[]>(
  f: (...args: A) => ArrayInput,
  rule: (primals: A, tangents: A) => readonly [ArrayInput, ArrayInput],
): (...args: ArrayInput[]) => Value {
  const prim = definePrimitive<undefined>({
    name: `customJvp(${f.name || 'anonymous'})`,
    impl: (inputs) => asValue(f(...(inputs as unknown as A))) as Tensor,
    jvp: (tangents, primals) => {
      const ts = tangents.map((t, i) => t ?? Tensor.zeros(primals[i].shape));
      return asValue(rule(primals as A, ts as A)[1]);
    },
    decompose: (inputs) => asValue(f(...(inputs as A))),
  });
  return (...args: ArrayInput[]) => bind(prim, args.map(asValue), undefined);
}

/** The forward and backward halves of a {@link customVjp} rule. */
export interface CustomVjpRule<A extends Value[], R> {
  /** Returns `[f(...args), residuals]`; residuals are whatever `bwd` needs. */
  fwd(...args: A): readonly [ArrayInput, R];
  /** Returns the cotangent of each argument (null for none) given the residuals and the output cotangent. */
  bwd(residuals: R, cotangent: Value): readonly MaybeValue[];
}

/**
 * Gives `f` a custom reverse-mode rule (`fwd` saves residuals, `bwd` maps the output cotangent to argument
 * cotangents). Forward mode differentiates through `f`.
 */
export function customVjp<A extends Value[], R>(
  f: (...args: A) => ArrayInput,
  rule: CustomVjpRule<A, R>,
): (...args: ArrayInput[]) => Value {
  const prim = definePrimitive<undefined>({
    name: `customVjp(${f.name || 'anonymous'})`,
    impl: (inputs) => asValue(f(...(inputs as unknown as A))) as Tensor,
    vjpForward: (primals) => {
      const [out, res] = rule.fwd(...(primals as A));
      return [asValue(out), res];
    },
    vjp: (ct, _primals, _out, _params, _needs, residuals) => rule.bwd(residuals as R, ct),
    decompose: (inputs) => asValue(f(...(inputs as A))),
  });
  return (...args: ArrayInput[]) => bind(prim, args.map(asValue), undefined);
}
