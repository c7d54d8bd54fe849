/**
 * User-defined primitives: the public, checked `definePrimitive` and `bind`. Core's own primitives are declared with
 * the bare declaration of `primitive.ts` and bound by `trace.ts` directly, their arguments having been checked once
 * by the public op. A user's primitive is user code: its definition is checked once, and what its kernel and rules
 * return is checked each time they run, so a kernel returning a string is a typed error naming the primitive rather
 * than a `TypeError` somewhere in a transform.
 * @module
 */
import { checkBoolean, checkCallable, readOptions } from '../args.js';
import { toValue } from '../convert.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, NatgradError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { ArrayValue, type ArrayInput, type Value } from '../value.js';
import { type MaybeValue, type Primitive, definePrimitive as declare } from './primitive.js';
import { bind as bindRaw } from './trace.js';

/** Primitives made by {@link definePrimitive}: the only ones `bind` accepts. */
const defined = new WeakSet<object>();

const MEMBERS = ['name', 'impl', 'jvp', 'vjp', 'nondifferentiable'] as const;
/** Longest primitive name (it is repeated in every message about the primitive). */
const MAX_NAME = 200;

/**
 * Declares a new primitive operation: its kernel `impl` on concrete tensors, and optionally its JVP and VJP rules
 * written with ops (so they are differentiable in turn), as `jax.core.Primitive` with its rules. Apply it with
 * {@link bind}. The definition is checked once; the kernel must return a `Tensor`, the JVP rule a value or `null`,
 * the VJP rule an array with one cotangent (or `null`) per input, each time they run.
 * @throws {InvalidArgumentError} for a `def` that is not a plain object with a string `name` and a function `impl`
 * (optional `jvp`, `vjp` functions and a boolean `nondifferentiable`), or that has other members.
 * @example
 * const double = definePrimitive({
 *   name: 'double',
 *   impl: ([x]) => Tensor.from(x.data.map((v) => 2 * v), x.shape),
 *   jvp: ([t]) => (t === null ? null : ops.mul(t, 2)),
 *   vjp: (ct) => [ops.mul(ct, 2)],
 * });
 * bind(double, [Tensor.from([1, 2])], undefined); // Tensor [2, 4]
 * @typeParam P - the type of the primitive's parameters (`params` of {@link bind}).
 */
export function definePrimitive<P = undefined>(def: Primitive<P>): Primitive<P> {
  const where = 'definePrimitive';
  if (def === undefined) throw new InvalidArgumentError(`${where}: def must be an object { name, impl, jvp?, vjp? }, got undefined`);
  const o = readOptions(def, where, MEMBERS, 'def', 'member');
  const name = o.name;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw new InvalidArgumentError(`${where}: def.name must be a string of 1 to ${MAX_NAME} characters, got ${describeValue(name)}`);
  }
  checkCallable(o.impl, where, 'def.impl');
  if (o.jvp !== undefined) checkCallable(o.jvp, where, 'def.jvp');
  if (o.vjp !== undefined) checkCallable(o.vjp, where, 'def.vjp');
  const flag = o.nondifferentiable;
  const nondifferentiable = flag === undefined ? undefined : checkBoolean(flag, where, 'def.nondifferentiable');
  const impl = o.impl as Primitive<P>['impl'];
  const jvp = o.jvp as Primitive<P>['jvp'];
  const vjp = o.vjp as Primitive<P>['vjp'];
  const prim: Primitive<P> = declare<P>({
    name,
    impl: (inputs, params) => {
      const out: unknown = impl(inputs, params);
      if (!(out instanceof Tensor)) throw new NatgradError('BAD_PRIMITIVE', `${name}: impl must return a Tensor, got ${describeValue(out)}`);
      return out;
    },
    ...(jvp === undefined
      ? {}
      : {
          jvp: (tangents, primals, out, params) => {
            const t: unknown = jvp(tangents, primals, out, params);
            if (t !== null && !(t instanceof ArrayValue)) {
              throw new NatgradError('BAD_JVP_RULE', `${name}: the JVP rule must return a value or null, got ${describeValue(t)}`);
            }
            return t as MaybeValue;
          },
        }),
    ...(vjp === undefined
      ? {}
      : {
          vjp: (ct, primals, out, params, needs) => {
            const cts: unknown = vjp(ct, primals, out, params, needs);
            const isCotangent = (c: unknown) => c === null || c === undefined || c instanceof ArrayValue;
            if (!Array.isArray(cts) || cts.length !== primals.length || !cts.every(isCotangent)) {
              throw new NatgradError(
                'BAD_VJP_RULE',
                `${name}: the VJP rule must return an array of ${primals.length} cotangents (values or null), got ${describeValue(cts)}`,
              );
            }
            return cts as readonly MaybeValue[];
          },
        }),
    ...(nondifferentiable === undefined ? {} : { nondifferentiable }),
  });
  defined.add(prim);
  return prim;
}

/**
 * Applies a primitive made by {@link definePrimitive} to `inputs` (tensors, tracers, numbers or nested arrays of
 * numbers): its kernel on concrete inputs, or, when an input is traced, the innermost transform's rule. `params` is
 * passed to the kernel and the rules unchanged.
 * @throws {InvalidArgumentError} when `prim` was not made by `definePrimitive`, or `inputs` is not a non-empty array
 * of arrays (the message names the input).
 * @typeParam P - the type of the primitive's parameters.
 */
export function bind<P>(prim: Primitive<P>, inputs: readonly (Value | ArrayInput)[], params: P): Value {
  if (!defined.has(prim as object)) {
    throw new InvalidArgumentError(`bind: prim must be a primitive made by definePrimitive, got ${describeValue(prim)}`);
  }
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new InvalidArgumentError(`bind: inputs must be a non-empty array of arrays, got ${describeValue(inputs)}`);
  }
  const values = new Array<Value>(inputs.length);
  for (let i = 0; i < inputs.length; i++) values[i] = toValue(inputs[i], 'bind', `inputs[${i}]`);
  return bindRaw(prim, values, params);
}
