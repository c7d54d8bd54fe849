/** Conversion of op arguments (numbers, nested arrays) to values. @module */
import { InvalidArgumentError } from './errors.js';
import { Tensor } from './tensor.js';
import { ArrayValue, type ArrayInput, type Value } from './value.js';

/** Returns `x` if it is already a tensor or tracer, otherwise a new tensor built from it. */
export function asValue(x: ArrayInput): Value {
  if (x instanceof ArrayValue) return x;
  if (typeof x === 'number') return Tensor.scalar(x);
  if (Array.isArray(x)) return Tensor.from(x);
  throw new InvalidArgumentError(`expected a tensor, a number or a nested array of numbers, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}
