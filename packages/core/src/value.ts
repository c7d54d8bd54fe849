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

type Axes = number | readonly number[] | null | undefined;
type Binary = (x: ArrayInput, y: ArrayInput) => Value;
type Unary = (x: ArrayInput) => Value;
type Reduce = (x: ArrayInput, axis: Axes, keepdims: boolean) => Value;

/** The ops the methods forward to (a subset of the `ops` namespace). */
export interface MethodOps {
  add: Binary; sub: Binary; mul: Binary; div: Binary; pow: Binary; maximum: Binary; matmul: Binary; dot: Binary;
  neg: Unary; exp: Unary; log: Unary; sqrt: Unary; square: Unary; abs: Unary; tanh: Unary; sigmoid: Unary;
  softplus: Unary; diagonal: Unary; matrixTranspose: Unary;
  sum: Reduce; prod: Reduce; mean: Reduce; max: Reduce; min: Reduce;
  reshape(x: ArrayInput, shape: readonly number[]): Value;
  transpose(x: ArrayInput, axes?: readonly number[]): Value;
  slice(x: ArrayInput, ...index: import('./ops/indexing.js').IndexSpec[]): Value;
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

  /** The elements as a plain `number[]`, row-major. Throws {@link ConcretizationError} on a tracer. */
  abstract toFlatArray(): number[];

  /** Elementwise `this + y` with broadcasting ({@link ops.add}). */
  add(y: ArrayInput): Value { return table().add(this, y); }
  /** Elementwise `this − y` with broadcasting ({@link ops.sub}). */
  sub(y: ArrayInput): Value { return table().sub(this, y); }
  /** Elementwise `this · y` with broadcasting ({@link ops.mul}). */
  mul(y: ArrayInput): Value { return table().mul(this, y); }
  /** Elementwise `this / y` with broadcasting ({@link ops.div}). */
  div(y: ArrayInput): Value { return table().div(this, y); }
  /** Elementwise `this ** y` with broadcasting ({@link ops.pow}). */
  pow(y: ArrayInput): Value { return table().pow(this, y); }
  /** Elementwise maximum with broadcasting ({@link ops.maximum}). */
  maximum(y: ArrayInput): Value { return table().maximum(this, y); }
  /** Elementwise negation ({@link ops.neg}). */
  neg(): Value { return table().neg(this); }
  /** Elementwise eˣ ({@link ops.exp}). */
  exp(): Value { return table().exp(this); }
  /** Elementwise natural logarithm ({@link ops.log}); IEEE semantics (−∞ at 0, NaN below). */
  log(): Value { return table().log(this); }
  /** Elementwise square root ({@link ops.sqrt}). */
  sqrt(): Value { return table().sqrt(this); }
  /** Elementwise x² ({@link ops.square}). */
  square(): Value { return table().square(this); }
  /** Elementwise |x| ({@link ops.abs}). */
  abs(): Value { return table().abs(this); }
  /** Elementwise hyperbolic tangent ({@link ops.tanh}). */
  tanh(): Value { return table().tanh(this); }
  /** Elementwise logistic function 1/(1 + e⁻ˣ) ({@link ops.sigmoid}). */
  sigmoid(): Value { return table().sigmoid(this); }
  /** Elementwise log(1 + eˣ), computed without overflow ({@link ops.softplus}). */
  softplus(): Value { return table().softplus(this); }
  /** Sum over `axis` (all axes when omitted); `keepdims` keeps reduced axes with extent 1 ({@link ops.sum}). */
  sum(axis?: number | readonly number[] | null, keepdims = false): Value { return table().sum(this, axis, keepdims); }
  /** Product over `axis` (all axes when omitted); `keepdims` as in {@link ArrayValue.sum} ({@link ops.prod}). */
  prod(axis?: number | readonly number[] | null, keepdims = false): Value { return table().prod(this, axis, keepdims); }
  /** Mean over `axis` (all axes when omitted); `keepdims` as in {@link ArrayValue.sum} ({@link ops.mean}). */
  mean(axis?: number | readonly number[] | null, keepdims = false): Value { return table().mean(this, axis, keepdims); }
  /** Maximum over `axis` (all axes when omitted) ({@link ops.max}). */
  max(axis?: number | readonly number[] | null, keepdims = false): Value { return table().max(this, axis, keepdims); }
  /** Minimum over `axis` (all axes when omitted) ({@link ops.min}). */
  min(axis?: number | readonly number[] | null, keepdims = false): Value { return table().min(this, axis, keepdims); }
  /** Matrix product, batched over leading axes ({@link ops.matmul}). */
  matmul(y: ArrayInput): Value { return table().matmul(this, y); }
  /** NumPy-style `dot`: inner product of two vectors, otherwise a (batched) matrix product ({@link ops.dot}). */
  dot(y: ArrayInput): Value { return table().dot(this, y); }
  /** The same elements in a new shape, row-major; one extent may be −1 (inferred) ({@link ops.reshape}). */
  reshape(shape: readonly number[]): Value { return table().reshape(this, shape); }
  /** Permutes the axes (reverses them when `axes` is omitted) ({@link ops.transpose}). */
  transpose(axes?: readonly number[]): Value { return table().transpose(this, axes); }
  /** Reverses the axes (matrix transpose for rank 2). */
  get T(): Value { return table().transpose(this); }
  /** Transposes the last two axes (a batch of matrix transposes). */
  get mT(): Value { return table().matrixTranspose(this); }
  /** NumPy-style basic indexing, see {@link ops.slice}. */
  slice(...index: import('./ops/indexing.js').IndexSpec[]): Value { return table().slice(this, ...index); }
  /** Lower triangle of the last two axes: entries above diagonal `k` set to 0 ({@link ops.tril}). */
  tril(k = 0): Value { return table().tril(this, k); }
  /** Upper triangle of the last two axes: entries below diagonal `k` set to 0 ({@link ops.triu}). */
  triu(k = 0): Value { return table().triu(this, k); }
  /** Diagonal of the last two axes, as a [..., n] array ({@link ops.diagonal}). */
  diagonal(): Value { return table().diagonal(this); }
}

// Node's util.inspect (and so console.log) prints values through their toString instead of listing their fields.
// Installed by symbol at run time so that this module needs no import of node:util and stays browser-safe.
Object.defineProperty(ArrayValue.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function inspect(this: ArrayValue): string {
    return this.toString();
  },
  writable: true,
  configurable: true,
});
