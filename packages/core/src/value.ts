/**
 * The common base of concrete tensors and AD tracers, so user code is written once and runs on both.
 * Methods forward to the functional ops (`x.mul(y)` is `ops.mul(x, y)`); the op table is installed by the package
 * index, which keeps this module free of runtime imports and so free of import cycles.
 * @module
 */
import type { Shape } from './shape.js';

/** A nested array of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type NestedArray = number | readonly NestedArray[];

/** Anything an op accepts as an array argument: a tensor or tracer, a number, or a nested array of numbers. */
export type ArrayInput = ArrayValue | number | readonly NestedArray[];

/** A differentiable array value: a concrete {@link Tensor} or a tracer inside a transform. */
export type Value = ArrayValue;

/**
 * The result type of an op: a concrete `Tensor` when every input is concrete, otherwise a traced {@link Value}.
 * (At run time the same rule holds: ops on concrete inputs never allocate tracers.)
 */
export type Result<T> = [T] extends [ConcreteInput] ? import('./tensor.js').Tensor : Value;
type ConcreteInput = import('./tensor.js').Tensor | number | readonly NestedArray[];

type Axes = number | readonly number[] | undefined;
type Binary = (x: ArrayInput, y: ArrayInput) => Value;
type Unary = (x: ArrayInput) => Value;
type Reduce = (x: ArrayInput, axis: Axes, keepdims: boolean) => Value;

/** The ops the methods forward to (a subset of the `ops` namespace). */
export interface MethodOps {
  add: Binary; sub: Binary; mul: Binary; div: Binary; pow: Binary; maximum: Binary; matmul: Binary; dot: Binary;
  neg: Unary; exp: Unary; log: Unary; sqrt: Unary; square: Unary; abs: Unary; tanh: Unary; sigmoid: Unary;
  softplus: Unary; diagonal: Unary; matrixTranspose: Unary;
  sum: Reduce; mean: Reduce; max: Reduce; min: Reduce;
  reshape(x: ArrayInput, shape: readonly number[]): Value;
  transpose(x: ArrayInput, axes?: readonly number[]): Value;
  slice(x: ArrayInput, ...index: import('./primitives/slice.js').IndexSpec[]): Value;
  tril(x: ArrayInput, k?: number): Value;
  triu(x: ArrayInput, k?: number): Value;
}

let ops: MethodOps | undefined;

/** @internal Installs the functional op table that the methods forward to. */
export function installOps(table: MethodOps): void {
  ops = table;
}

function table(): MethodOps {
  if (ops === undefined) throw new Error('natgrad: ops not installed (import from the package index)');
  return ops;
}

/** Base class of {@link Tensor} and of tracers. All methods are pure and return new values. */
export abstract class ArrayValue {
  /** Extent of each axis, outermost first. */
  abstract readonly shape: Shape;

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  /** Nested JavaScript arrays (a number for a scalar). Throws {@link ConcretizationError} on a tracer. */
  abstract toArray(): NestedArray;

  /** The single element of a size-1 array. Throws {@link ConcretizationError} on a tracer. */
  abstract item(): number;

  add(y: ArrayInput): Value { return table().add(this, y); }
  sub(y: ArrayInput): Value { return table().sub(this, y); }
  mul(y: ArrayInput): Value { return table().mul(this, y); }
  div(y: ArrayInput): Value { return table().div(this, y); }
  pow(y: ArrayInput): Value { return table().pow(this, y); }
  maximum(y: ArrayInput): Value { return table().maximum(this, y); }
  neg(): Value { return table().neg(this); }
  exp(): Value { return table().exp(this); }
  log(): Value { return table().log(this); }
  sqrt(): Value { return table().sqrt(this); }
  square(): Value { return table().square(this); }
  abs(): Value { return table().abs(this); }
  tanh(): Value { return table().tanh(this); }
  sigmoid(): Value { return table().sigmoid(this); }
  softplus(): Value { return table().softplus(this); }
  sum(axis?: number | readonly number[], keepdims = false): Value { return table().sum(this, axis, keepdims); }
  mean(axis?: number | readonly number[], keepdims = false): Value { return table().mean(this, axis, keepdims); }
  max(axis?: number | readonly number[], keepdims = false): Value { return table().max(this, axis, keepdims); }
  min(axis?: number | readonly number[], keepdims = false): Value { return table().min(this, axis, keepdims); }
  matmul(y: ArrayInput): Value { return table().matmul(this, y); }
  dot(y: ArrayInput): Value { return table().dot(this, y); }
  reshape(shape: readonly number[]): Value { return table().reshape(this, shape); }
  transpose(axes?: readonly number[]): Value { return table().transpose(this, axes); }
  /** Reverses the axes (matrix transpose for rank 2). */
  get T(): Value { return table().transpose(this); }
  /** Transposes the last two axes (a batch of matrix transposes). */
  get mT(): Value { return table().matrixTranspose(this); }
  /** NumPy-style basic indexing, see {@link Ops.slice}. */
  slice(...index: import('./primitives/slice.js').IndexSpec[]): Value { return table().slice(this, ...index); }
  tril(k = 0): Value { return table().tril(this, k); }
  triu(k = 0): Value { return table().triu(this, k); }
  diagonal(): Value { return table().diagonal(this); }
}
