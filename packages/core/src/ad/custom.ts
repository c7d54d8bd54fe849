/**
 * User-defined derivative rules (`jax.custom_jvp`, `jax.custom_vjp`) on functions of trees.
 *
 * Semantics, as in JAX:
 * - `customJvp(f, rule)`: forward mode applies `rule`; reverse mode transposes it (the rule is linear in the
 *   tangents, so its VJP with respect to the tangents is the transpose), and `linearize` replays it — the rule is
 *   used by every transform, to any order (the rule is itself differentiated for higher derivatives).
 * - `customVjp(f, { fwd, bwd })`: reverse mode applies `fwd`/`bwd` (differentiated themselves for higher
 *   derivatives). Forward mode, which JAX refuses, differentiates through `f` instead (documented fallback); the
 *   primal is still the custom call, so an enclosing reverse-mode transform keeps using `bwd`.
 * - `f` must not close over a traced value, and a rule must not close over one of the transform applying it:
 *   such values are not arguments, so the rule cannot give their derivatives; {@link ClosedOverTracerError}.
 *   Rules may close over tracers of enclosing transforms (they are differentiated through, as in JAX).
 * Each invocation of a custom function is one {@link CustomCall} (`custom-call.ts`); this file turns the user's trees
 * into flat leaves and checks everything the user's functions return.
 * @module
 */
import { NatgradError, TracerEscapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { isClassConstructor } from '../args.js';
import { type TreeDef, defsEqual, unflatten } from '../tree.js';
import type { ArrayInput, ArrayValue, Value } from '../value.js';
import type { CustomJvpCall, CustomVjpCall } from './custom-call.js';
import { ClosedOverTracerError, type CustomRole, CustomRuleError, describeRole } from './errors.js';
import { instantiate } from './forward.js';
import { describe, flattenArgList, flattenLike, flattenValues, formatDef, leafCount } from './leaves.js';
import { booleanOption, checkFunction, readOptions } from './options.js';
import type { MaybeValue } from './primitive.js';
import { bindCustom, checkCaptured } from './trace.js';

/**
 * What a custom function accepts for an argument of type `T`: array leaves may be numbers or nested arrays too.
 * @typeParam T - the argument's type as the wrapped function sees it (trees of values).
 */
export type InputTree<T> = T extends ArrayValue
  ? ArrayInput
  : T extends readonly unknown[]
    ? { [K in keyof T]: InputTree<T[K]> }
    : T extends (...args: any[]) => any
      ? T
      : T extends object
        ? { [K in keyof T]: InputTree<T[K]> }
        : T;

/** Options of {@link customJvp}. */
export interface CustomJvpOptions {
  /**
   * Pass `null` to the rule for a tangent that is symbolically zero (an argument that is not being differentiated)
   * instead of a tensor of zeros, as JAX's `symbolic_zeros=True`. Default false.
   */
  symbolicZeros?: boolean;
}

/**
 * Gives `f` a custom forward-mode rule, used by every transform (`jax.custom_jvp`).
 *
 * `f` takes trees of arrays (tensors, numbers, nested arrays of numbers) and returns a tree of arrays.
 * `rule(primals, tangents)` gets the argument list and a tangent list of the same structure, and returns
 * `[primalOut, tangentOut]`: `primalOut` equal to `f(...primals)` (same structure and shapes), `tangentOut` of that
 * structure, linear in the tangents (`null` for an output leaf or subtree means zero). Missing tangents are zeros
 * (or `null` with `symbolicZeros`). Forward mode applies the rule; reverse mode and `linearize` use its transpose;
 * higher derivatives differentiate the rule, which is why it must be written with ops (it may call the custom
 * function itself, e.g. `[g(x), …]`).
 * @throws {ClosedOverTracerError} when `f` uses a traced value that is not an argument, or the rule uses a traced
 * value of the transform applying it: pass such values as arguments.
 * @throws {CustomRuleError} when the rule returns something that is not such a pair, or of the wrong structure or
 * shapes (the message names the output leaf and the shapes). Forward mode runs only the rule (not f), so a primal
 * output that disagrees with f is caught where both run (reverse mode runs f for the primal, then the rule).
 * @example
 * // log(1 + eˣ) with a derivative that does not overflow
 * const softplus = customJvp(
 *   (x: Value) => ops.log1p(ops.exp(x)),
 *   ([x], [t]) => [softplus(x), ops.mul(t, ops.sigmoid(x))],
 * );
 */
export function customJvp<A extends unknown[], R>(
  f: (...args: A) => R,
  rule: (primals: A, tangents: A) => readonly [NoInfer<R>, unknown],
  options?: CustomJvpOptions,
): (...args: { [K in keyof A]: InputTree<A[K]> }) => R {
  checkFunction(f, 'customJvp');
  const name = `customJvp(${f.name || 'anonymous'})`;
  if (typeof rule !== 'function' || isClassConstructor(rule)) throw new CustomRuleError(name, 'rule', 'must be a function (not a class)');
  const symbolicZeros = booleanOption(readOptions(options, 'customJvp', ['symbolicZeros']).symbolicZeros, 'customJvp', 'symbolicZeros');
  return ((...args: unknown[]) => {
    const [leaves, argDef] = flattenArgList(args, { where: name, what: 'arguments' });
    const call = new JvpCall(name, argDef, leaves, f as (...a: unknown[]) => unknown, rule as JvpRule, symbolicZeros);
    const outs = bindCustom(call, leaves); // sets call.outDef
    return unflatten(call.outDef!, outs);
  }) as (...args: { [K in keyof A]: InputTree<A[K]> }) => R;
}

/** The forward and backward halves of a {@link customVjp} rule. */
export interface CustomVjpRule<A extends unknown[], R, O = Value> {
  /** Returns `[f(...args), residuals]`; residuals are whatever `bwd` needs (any value, trees of tensors included). */
  fwd(...args: A): readonly [O, R];
  /**
   * Returns an array with one cotangent per argument of f, each a tree like that argument, or `null` for zero —
   * also an array when f has a single argument (`[ct]`). `cotangent` has the structure of f's output.
   */
  bwd(residuals: R, cotangent: O): readonly unknown[];
}

/**
 * Gives `f` a custom reverse-mode rule (`jax.custom_vjp`): `fwd` saves residuals, `bwd` maps the output cotangent to
 * argument cotangents. Arguments and outputs are trees as in {@link customJvp}. Reverse mode (`vjp`, `grad`,
 * `jacrev`, and the reverse half of `hessian`) uses the rule and differentiates `fwd`/`bwd` for higher orders.
 * Forward mode (`jvp`, `jacfwd`, `linearize` of such a function) differentiates through `f` — JAX refuses
 * forward mode here; natgrad falls back to f, so the rule must agree with f where both are used.
 * @throws {CustomRuleError} when `fwd` does not return `[output, residuals]` matching f's output, or `bwd` does not
 * return one cotangent per argument of the argument's structure and shapes (the message names the argument).
 * @throws {ClosedOverTracerError} as for {@link customJvp}.
 */
export function customVjp<A extends unknown[], R, O>(
  f: (...args: A) => O,
  rule: CustomVjpRule<A, R, NoInfer<O>>,
): (...args: { [K in keyof A]: InputTree<A[K]> }) => O {
  checkFunction(f, 'customVjp');
  const name = `customVjp(${f.name || 'anonymous'})`;
  const callable = (g: unknown) => typeof g === 'function' && !isClassConstructor(g);
  if (rule === null || typeof rule !== 'object' || !callable(rule.fwd) || !callable(rule.bwd)) {
    throw new CustomRuleError(name, 'fwd', 'and bwd must be given as functions (not classes): customVjp(f, { fwd, bwd })');
  }
  return ((...args: unknown[]) => {
    const [leaves, argDef] = flattenArgList(args, { where: name, what: 'arguments' });
    const call = new VjpCall(name, argDef, leaves, f as (...a: unknown[]) => unknown, rule as CustomVjpRule<unknown[], unknown, unknown>);
    const outs = bindCustom(call, leaves); // sets call.outDef
    return unflatten(call.outDef!, outs);
  }) as (...args: { [K in keyof A]: InputTree<A[K]> }) => O;
}

type JvpRule = (primals: unknown[], tangents: unknown[]) => unknown;

/** One invocation of a custom function: its argument structure, and the output structure once known. */
abstract class Invocation {
  outDef: TreeDef | undefined;
  private outShapes: (readonly number[])[] = [];

  constructor(
    readonly name: string,
    protected readonly argDef: TreeDef,
    protected readonly argLeaves: readonly Value[],
    protected readonly fn: (...args: unknown[]) => unknown,
  ) {}

  f(inputs: readonly Value[]): Value[] {
    return this.invoke('f', () => this.outputs(this.fn(...this.args(inputs)), 'f'));
  }

  protected args(leaves: readonly unknown[]): unknown[] {
    return unflatten<unknown[]>(this.argDef, leaves);
  }

  /** Flattens a primal output (of f, or of a rule) and checks it agrees with every earlier one of this invocation. */
  protected outputs(tree: unknown, role: CustomRole): Value[] {
    const what = role === 'f' ? 'the output of f' : `the primal output of ${describeRole(role)}`;
    const [leaves, def] = this.validating(role, () => flattenValues(tree, { where: this.name, what }));
    if (this.outDef === undefined) {
      this.outDef = def;
      this.outShapes = leaves.map((l) => l.shape);
      return leaves;
    }
    if (!defsEqual(def, this.outDef)) {
      throw new CustomRuleError(
        this.name,
        role,
        `returned a primal output of structure ${formatDef(def)}, but the function's output has structure ${formatDef(this.outDef)}`,
      );
    }
    leaves.forEach((l, i) => {
      if (!shapesEqual(l.shape, this.outShapes[i])) {
        throw new CustomRuleError(
          this.name,
          role,
          `returned primal output leaf ${i} of shape ${formatShape(l.shape)}, but the function's output has shape ${formatShape(this.outShapes[i])}`,
        );
      }
    });
    return leaves;
  }

  /** Runs a user function; a dead tracer met inside it was captured from outside. */
  protected invoke<T>(role: CustomRole, body: () => T): T {
    try {
      return body();
    } catch (e) {
      if (e instanceof TracerEscapeError && !(e instanceof ClosedOverTracerError)) {
        throw new ClosedOverTracerError(this.name, role, `used a traced value of a transform that has already returned (${e.message})`);
      }
      throw e;
    }
  }

  /** Runs a check of what a rule returned, reporting structure and shape problems as the rule's fault. */
  protected validating<T>(role: CustomRole, check: () => T): T {
    try {
      return check();
    } catch (e) {
      if (e instanceof NatgradError && !(e instanceof CustomRuleError) && !(e instanceof TracerEscapeError)) {
        const prefix = `${this.name}: `;
        const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
        throw new CustomRuleError(this.name, role, `returned an invalid value: ${detail}`);
      }
      throw e;
    }
  }

  protected pair(r: unknown, role: CustomRole, names: string): [unknown, unknown] {
    if (!Array.isArray(r) || r.length !== 2) throw new CustomRuleError(this.name, role, `must return a pair ${names}, got ${describe(r)}`);
    return [r[0], r[1]];
  }
}

class JvpCall extends Invocation implements CustomJvpCall {
  readonly kind = 'customJvp';
  constructor(
    name: string,
    argDef: TreeDef,
    argLeaves: readonly Value[],
    fn: (...args: unknown[]) => unknown,
    private readonly ruleFn: JvpRule,
    private readonly symbolicZeros: boolean,
  ) {
    super(name, argDef, argLeaves, fn);
  }

  rule(primals: readonly Value[], tangents: readonly MaybeValue[]): [Value[], MaybeValue[]] {
    return this.invoke('rule', () => {
      const ts = this.symbolicZeros ? tangents : instantiate(tangents, primals);
      const [p, t] = this.pair(this.ruleFn(this.args(primals), this.args(ts)), 'rule', '[primalOut, tangentOut]');
      const outs = this.outputs(p, 'rule');
      const site = { where: this.name, what: 'the tangent output of the JVP rule' };
      return [outs, this.validating('rule', () => flattenLike(t, this.outDef!, outs, site, true))];
    });
  }
}

class VjpCall extends Invocation implements CustomVjpCall {
  readonly kind = 'customVjp';
  constructor(
    name: string,
    argDef: TreeDef,
    argLeaves: readonly Value[],
    fn: (...args: unknown[]) => unknown,
    private readonly vjpRule: CustomVjpRule<unknown[], unknown, unknown>,
  ) {
    super(name, argDef, argLeaves, fn);
  }

  fwd(primals: readonly Value[]): [Value[], unknown] {
    return this.invoke('fwd', () => {
      const [out, residuals] = this.pair(this.vjpRule.fwd(...this.args(primals)), 'fwd', '[output, residuals]');
      return [this.outputs(out, 'fwd'), residuals];
    });
  }

  bwd(residuals: unknown, cotangents: readonly Value[]): MaybeValue[] {
    return this.invoke('bwd', () => {
      const r = this.vjpRule.bwd(residuals, unflatten(this.outDef!, cotangents));
      const args = this.argDef.kind === 'array' ? this.argDef.children : [];
      if (!Array.isArray(r) || r.length !== args.length) {
        const hint = args.length === 1 ? ' (for a single argument too: return [ct])' : '';
        const got = Array.isArray(r) ? `an array of length ${r.length}` : describe(r);
        throw new CustomRuleError(
          this.name,
          'bwd',
          `must return an array with one cotangent (or null) per argument: ${args.length} here${hint}; got ${got}`,
        );
      }
      const out: MaybeValue[] = [];
      let start = 0;
      args.forEach((d, i) => {
        const like = this.argLeaves.slice(start, start + leafCount(d));
        start += like.length;
        const site = { where: this.name, what: `the bwd cotangent of argument ${i}` };
        for (const c of this.validating('bwd', () => flattenLike(r[i], d, like, site, true))) out.push(c);
      });
      checkCaptured(out, Infinity, this.name, 'bwd');
      return out;
    });
  }
}
