/**
 * Tracing machinery shared by forward and reverse mode.
 *
 * Each running transform (one call of `jvp`, `vjp`, `grad`, …) owns a {@link Main} with a level equal to its depth in
 * the transform stack: the tag that ForwardDiff puts in a dual's type. A primitive applied to tracers is handed to
 * the highest-level main among its inputs; tracers of lower levels are constants to it. That is what makes nested
 * derivatives free of perturbation confusion. A main is deactivated when its transform returns, and meeting a
 * tracer of an inactive main is an error instead of a silently wrong number.
 * @module
 */
import { describeValue } from '../describe.js';
import { ConcretizationError, InvalidArgumentError, TracerEscapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { ArrayValue, type NestedArray, type Value } from '../value.js';
import type { CustomCall } from './custom-call.js';
import { ClosedOverTracerError, type CustomRole } from './errors.js';
import type { Primitive } from './primitive.js';

const stack: Main[] = [];
let nextId = 1;

/** A running transform. Subclasses decide what applying a primitive to their tracers means. */
export abstract class Main {
  readonly level: number;
  readonly id: number;
  active = true;
  /** Human-readable name of the transform for error messages. */
  abstract readonly kind: string;

  constructor() {
    this.level = stack.length;
    this.id = nextId++;
  }

  /** Applies `prim` to `inputs`, at least one of which is a tracer of this main. */
  abstract process<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value;

  /** Applies a function with a custom rule to `inputs` (flat leaves), at least one of which is a tracer of this main. */
  abstract processCustom(call: CustomCall, inputs: readonly Value[]): Value[];
}

/** A value being traced by a transform. Carries the primal it stands for. */
export abstract class Tracer extends ArrayValue {
  /** The transform that created this tracer; its level orders nested transforms (no perturbation confusion). */
  abstract readonly main: Main;
  /** The value this tracer stands for, one level down. */
  abstract readonly primal: Value;

  get shape(): Shape {
    return this.primal.shape;
  }

  toArray(): NestedArray {
    throw new ConcretizationError(
      `toArray() called on a value traced by ${this.main.kind}; its derivative would be lost. ` +
        'Use primalValue(x) for a constant copy (e.g. for control flow) or return the value from the transform.',
    );
  }

  toFlatArray(): number[] {
    throw new ConcretizationError(
      `toFlatArray() called on a value traced by ${this.main.kind}; its derivative would be lost. ` +
        'Use primalValue(x).toFlatArray() for a constant copy.',
    );
  }

  item(): number {
    throw new ConcretizationError(
      `item() called on a value traced by ${this.main.kind}; its derivative would be lost. ` +
        'Use primalValue(x).item() for a constant copy (e.g. for control flow).',
    );
  }

  override toString(): string {
    return `Tracer<${this.main.kind}, level ${this.main.level}>(${this.shape.join(', ')})`;
  }
}

/** Runs `fn` with `main` on top of the transform stack, deactivating it afterwards whatever happens. */
export function withMain<M extends Main, R>(main: M, fn: (main: M) => R): R {
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
    main.active = false;
  }
}

/**
 * Strips the innermost running transform from a value: a tracer of the top main becomes its primal (a value one level
 * down, possibly still traced by outer transforms). Used for auxiliary outputs that are returned undifferentiated.
 */
export function lowerInnermost(x: unknown): unknown {
  const top = stack[stack.length - 1];
  return x instanceof Tracer && top !== undefined && x.main === top ? x.primal : x;
}

function escaped(t: Tracer, where: string): TracerEscapeError {
  return new TracerEscapeError(
    `${where}: a value traced by ${t.main.kind} (level ${t.main.level}) was used after that transform returned. ` +
      'Return it from the transformed function instead of capturing it.',
  );
}

/** The highest active main among `inputs`, or null if all are concrete. Throws on an escaped tracer. */
export function topMain(inputs: readonly Value[], where: string): Main | null {
  let top: Main | null = null;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    if (x instanceof Tracer) {
      const m = x.main;
      if (!m.active) throw escaped(x, where);
      if (top === null || m.level > top.level) top = m;
    }
  }
  return top;
}

/** Applies a primitive: runs its kernel on concrete inputs, or hands it to the innermost transform tracing an input. */
export function bind<P>(prim: Primitive<P>, inputs: readonly Value[], params: P): Value {
  const top = topMain(inputs, prim.name);
  if (top === null) return prim.impl(inputs as readonly Tensor[], params);
  return top.process(prim, inputs, params);
}

/**
 * Applies a function with a custom rule to flat leaves: on concrete inputs it runs `f`, otherwise the innermost
 * transform tracing an input applies its rule (and binds the call again one level down for the primal).
 */
export function bindCustom(call: CustomCall, inputs: readonly Value[]): Value[] {
  const top = topMain(inputs, call.name);
  if (top === null) {
    const outs = call.f(inputs);
    // The inputs are concrete, so any tracer in the result was captured by f from outside.
    checkCaptured(outs, 0, call.name, 'f');
    return outs;
  }
  return top.processCustom(call, inputs);
}

/**
 * Throws {@link ClosedOverTracerError} if `values` (what a custom function or rule returned) hold a tracer that cannot
 * have come from its arguments: one of a finished transform, or of a transform at level `minLevel` or above (the
 * arguments live below the transform applying the rule).
 */
export function checkCaptured(values: readonly unknown[], minLevel: number, fn: string, role: CustomRole): void {
  for (const v of values) {
    if (v instanceof Tracer && (!v.main.active || v.main.level >= minLevel)) {
      const state = v.main.active ? `running ${v.main.kind} (level ${v.main.level})` : `${v.main.kind} that has returned`;
      throw new ClosedOverTracerError(fn, role, `returned a value traced by a ${state} that is not derived from its arguments`);
    }
  }
}

/** Checks a transform's output leaf: a tracer of an inactive transform has escaped. */
export function checkNotEscaped(x: Value, where: string): void {
  if (x instanceof Tracer && !x.main.active) throw escaped(x, where);
}

/**
 * The concrete value under all tracing: a constant `Tensor` with no derivative attached. Use it for control flow or
 * logging inside transformed functions.
 * @throws {InvalidArgumentError} when `x` is not a tensor or a traced value (convert numbers and nested arrays with
 * `Tensor.from`).
 */
export function primalValue(x: Value): Tensor {
  let v: Value = x;
  while (v instanceof Tracer) v = v.primal;
  if (!(v instanceof Tensor)) {
    throw new InvalidArgumentError(`primalValue: x must be a tensor or a traced value, got ${describeValue(x)}`);
  }
  return v;
}
