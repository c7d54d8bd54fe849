/**
 * The public reverse-mode transforms on top of the tape (`tape.ts`): `vjp`, `linearize`, `grad`, `valueAndGrad`.
 * Arguments, cotangents and outputs are trees with the transform leaf rule (`leaves.ts`).
 * @module
 */
import { Tensor } from '../tensor.js';
import { unflatten } from '../tree.js';
import { instantiate } from './forward.js';
import { flattenArgList, flattenLike } from './leaves.js';
import {
  type Argnums,
  argnumsOption,
  booleanOption,
  checkFunction,
  readOptions,
  resolveArgnums,
  selectArgs,
} from './options.js';
import type { MaybeValue } from './primitive.js';
import { backward, checkScalarOutput, record, replayTangents } from './tape.js';
import type { AuxOf, JvpOptions, OutputOf } from './forward.js';

/** Options of {@link vjp}. */
export interface VjpOptions {
  /** `f` returns `[output, aux]`; `aux` is returned as a third result, not differentiated. Default false. */
  hasAux?: boolean;
}

/**
 * Vector-Jacobian product (`jax.vjp`): evaluates `f(...primals)` and returns it with a pullback that maps an output
 * cotangent (same structure and leaf shapes as the output) to the cotangents of the arguments (an array like
 * `primals`). The pullback may be called many times; for a single size-1 output its argument defaults to 1.
 * Arguments and cotangents follow the transform leaf rule (a nested array of numbers is one array leaf).
 * With `{ hasAux: true }`, f returns `[output, aux]` and the result is `[output, pullback, aux]`.
 * @throws {ShapeError} from the pullback when the cotangent does not match the output (the message gives the path).
 * @throws {TracerEscapeError} when an input is a tracer of a transform that has already returned.
 * @typeParam F - the function's type; the first result has the type of its output.
 */
export function vjp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
): [ReturnType<F>, (cotangent?: unknown) => any[]];
export function vjp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  options: VjpOptions & { hasAux: true },
): [OutputOf<F>, (cotangent?: unknown) => any[], AuxOf<F>];
export function vjp<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  options?: VjpOptions,
): [ReturnType<F>, (cotangent?: unknown) => any[]] | [unknown, (cotangent?: unknown) => any[], unknown];
export function vjp(f: (...args: any[]) => any, primals: readonly unknown[], options?: VjpOptions): unknown[] {
  checkFunction(f, 'vjp');
  const hasAux = booleanOption(readOptions(options, 'vjp', ['hasAux']).hasAux, 'vjp', 'hasAux');
  const [pLeaves, pDef] = flattenArgList(primals, { where: 'vjp', what: 'primals' });
  const rec = record(f, pDef, pLeaves, 'vjp', hasAux);
  const pullback = (cotangent?: unknown): any[] => {
    const cts: MaybeValue[] =
      cotangent === undefined && rec.outs.length === 1 && rec.outs[0].size === 1
        ? [Tensor.ones(rec.outs[0].shape)]
        : flattenLike(cotangent, rec.outDef, rec.outs, { where: 'vjp pullback', what: 'cotangent' });
    const got = backward(rec.tape, rec.outNodes, cts, rec.inputNodes);
    return unflatten<any[]>(pDef, instantiate(got, pLeaves));
  };
  const out = [unflatten(rec.outDef, rec.outs), pullback];
  return hasAux ? [...out, rec.aux] : out;
}

/**
 * Linearisation (`jax.linearize`): evaluates `f(...primals)` once and returns `[out, jvpFn]`, where `jvpFn(...tangents)`
 * replays the recorded tape with JVP rules only; each call costs the tangent work, not another primal pass.
 * Custom rules are applied as in {@link jvp}. With `{ hasAux: true }`, f returns `[output, aux]` and the result is
 * `[output, jvpFn, aux]`.
 * @throws {ShapeError} from `jvpFn` when the tangents do not match the primals.
 * @typeParam F - the function's type; `out` and every `jvpFn` result have the type of its output.
 */
export function linearize<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
): [ReturnType<F>, (...tangents: unknown[]) => ReturnType<F>];
export function linearize<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  options: JvpOptions & { hasAux: true },
): [OutputOf<F>, (...tangents: unknown[]) => OutputOf<F>, AuxOf<F>];
export function linearize<F extends (...args: any[]) => any>(
  f: F,
  primals: readonly unknown[],
  options?: JvpOptions,
): [ReturnType<F>, (...tangents: unknown[]) => ReturnType<F>] | [unknown, (...tangents: unknown[]) => unknown, unknown];
export function linearize(f: (...args: any[]) => any, primals: readonly unknown[], options?: JvpOptions): unknown[] {
  checkFunction(f, 'linearize');
  const hasAux = booleanOption(readOptions(options, 'linearize', ['hasAux']).hasAux, 'linearize', 'hasAux');
  const [pLeaves, pDef] = flattenArgList(primals, { where: 'linearize', what: 'primals' });
  const rec = record(f, pDef, pLeaves, 'linearize', hasAux);
  const jvpFn = (...tangents: unknown[]): unknown => {
    const ts = flattenLike(tangents, pDef, pLeaves, { where: 'linearize', what: 'tangents' }, false, true);
    return unflatten(rec.outDef, instantiate(replayTangents(rec, ts), rec.outs));
  };
  const out = [unflatten(rec.outDef, rec.outs), jvpFn];
  return hasAux ? [...out, rec.aux] : out;
}

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /**
   * Which positional argument(s) to differentiate with respect to. Default 0. Negative counts from the end (−1 is
   * the last argument); an array gives a gradient per entry; naming an argument twice is an error.
   */
  argnums?: Argnums;
  /** `f` returns `[loss, aux]`; `aux` is passed through without being differentiated. */
  hasAux?: boolean;
}

/** @internal valueAndGrad with the options already read; `where` names the public transform in messages. */
export function valueAndGradOf(
  f: (...args: any[]) => any,
  argnums: Argnums,
  hasAux: boolean,
  where: string,
): (...args: any[]) => [any, any] {
  return (...args: any[]) => {
    const list = resolveArgnums(argnums, args.length, where);
    const { leaves, def, g } = selectArgs(f, args, list, where);
    const rec = record(g, def, leaves, where, hasAux);
    const value = checkScalarOutput(rec, where);
    const got = backward(rec.tape, rec.outNodes, [Tensor.ones([])], rec.inputNodes);
    const grads = unflatten<any[]>(def, instantiate(got, leaves));
    return [hasAux ? [value, rec.aux] : value, typeof argnums === 'number' ? grads[0] : grads];
  };
}

/**
 * Value and gradient of a scalar function (`jax.value_and_grad`). Returns `(...args) => [value, gradient]`, where the
 * gradient has the structure of the selected argument (an array of them when `argnums` is an array); a nested
 * array of numbers in an argument is one array leaf and gets one tensor gradient. With `hasAux`, `f` returns
 * `[value, aux]` and the result is `[[value, aux], gradient]`.
 * @throws {ShapeError} when f does not return a scalar (shape []).
 * @throws {InvalidArgumentError} for a bad option (unknown key, non-boolean hasAux, argnums out of range or
 * repeated).
 */
export function valueAndGrad(f: (...args: any[]) => any, options: GradOptions = {}): (...args: any[]) => [any, any] {
  checkFunction(f, 'valueAndGrad');
  const opts = readOptions(options, 'valueAndGrad', ['argnums', 'hasAux']);
  const argnums = argnumsOption(opts.argnums, 'valueAndGrad');
  return valueAndGradOf(f, argnums, booleanOption(opts.hasAux, 'valueAndGrad', 'hasAux'), 'valueAndGrad');
}

/**
 * Gradient of a scalar function (`jax.grad`): `(...args) => ∂f/∂args[argnums]`; with `hasAux`, `[gradient, aux]`.
 * See {@link valueAndGrad} for the options and errors.
 */
export function grad(f: (...args: any[]) => any, options: GradOptions = {}): (...args: any[]) => any {
  checkFunction(f, 'grad');
  const opts = readOptions(options, 'grad', ['argnums', 'hasAux']);
  const hasAux = booleanOption(opts.hasAux, 'grad', 'hasAux');
  const vg = valueAndGradOf(f, argnumsOption(opts.argnums, 'grad'), hasAux, 'grad');
  return (...args: any[]) => {
    const [value, g] = vg(...args);
    return hasAux ? [g, value[1]] : g;
  };
}
