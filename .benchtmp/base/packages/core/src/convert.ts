/** Conversion of op arguments (numbers, nested arrays) to values. @module */
import { describeValue } from './describe.js';
import { InvalidArgumentError } from './errors.js';
import { flattenNested } from './nested.js';
import { Tensor, tensorOf } from './tensor.js';
import { ArrayValue, type ArrayInput, type Value } from './value.js';

/**
 * Returns `x` if it is already a tensor or tracer, otherwise a new tensor built from a number or a (rectangular)
 * nested array of numbers.
 * @throws {InvalidArgumentError} for anything else; {@link ShapeError} for a ragged nested array.
 */
export function asValue(x: ArrayInput): Value {
  return toValue(x, 'asValue', 'x');
}

/**
 * @internal {@link asValue} for op arguments: `where` and `arg` name the op and the argument in error messages, e.g.
 * `add: argument y must be a tensor, a number or a nested array of numbers, got string "0"`.
 */
export function toValue(x: unknown, where: string, arg: string): Value {
  try {
    if (x instanceof ArrayValue) return x;
  } catch {
    // `instanceof` runs a Proxy's getPrototypeOf trap, which may throw: still a bad argument.
    throw new InvalidArgumentError(`${where}: argument ${arg} could not be inspected (a Proxy whose traps throw)`);
  }
  if (typeof x === 'number') return Tensor.scalar(x);
  if (Array.isArray(x)) {
    const { data, shape } = flattenNested(x, { where, what: `argument ${arg}` });
    return tensorOf(data, Object.freeze(shape));
  }
  throw new InvalidArgumentError(
    `${where}: argument ${arg} must be a tensor, a number or a nested array of numbers, got ${describeValue(x)}`,
  );
}
