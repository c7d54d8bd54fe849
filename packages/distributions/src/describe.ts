/**
 * Describing arbitrary values in error messages without running any of their code: no `toString`, no getters, no
 * template-literal coercion (which throws for symbols). A hostile argument must get a typed error, not a TypeError
 * raised while the message about it is being built.
 * @module
 */
import { ArrayValue } from '@natgrad/core';

const MAX_STRING = 40;

/** A short, safe description such as `null`, `"no"`, `a tensor of shape [2, 2]`, `a Map`, `a plain object`. */
export function describeValue(x: unknown): string {
  switch (typeof x) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return String(x);
    case 'boolean':
      return String(x);
    case 'bigint':
      return `${String(x)}n`;
    case 'string':
      return JSON.stringify(x.length > MAX_STRING ? `${x.slice(0, MAX_STRING)}…` : x);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x instanceof ArrayValue) return `a tensor of shape [${x.shape.join(', ')}]`;
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === null) return 'a null-prototype object';
  if (proto === Object.prototype) return 'a plain object';
  const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const name: unknown = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
}
