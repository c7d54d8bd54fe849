/**
 * Typed errors for bad arguments (issue 10, items 10–12): every public function of @natgrad/core rejects wrong types,
 * NaN/∞ and fractions in integer arguments, truthy strings for booleans and sizes above the documented limits with a
 * NatgradError whose message names the function and the argument, before allocating anything.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MAX_ARRAY_LENGTH,
  MAX_RANK,
  MAX_SIZE,
  NatgradError,
  NonFiniteError,
  ShapeError,
  Tensor,
  broadcastShapes,
  ops,
  random,
  sizeOf,
} from '@natgrad/core';
import { thrown } from './util/check.js';

/** f throws a NatgradError of class `type` whose message contains every fragment. */
function rejects(f: () => unknown, type: new (...args: any[]) => NatgradError, ...fragments: string[]): void {
  const e = thrown(f);
  expect(e, `${e.constructor.name}: ${e.message}`).toBeInstanceOf(type);
  for (const s of fragments) expect(e.message).toContain(s);
}

/** Deliberately ill-typed arguments. */
const bad = (x: unknown): any => x;
const x = Tensor.from([[1, 2], [3, 4]]);

describe('issue 10 item 10: errors from deep inside are typed', () => {
  it('ops.sum(x, "0") names sum and the axis', () => {
    rejects(() => ops.sum(x, bad('0')), InvalidArgumentError, 'sum', 'axis', 'string "0"');
  });

  it('zeros(null) and friends reject a non-array shape', () => {
    rejects(() => ops.zeros(bad(null)), InvalidArgumentError, 'zeros', 'shape', 'null');
    rejects(() => ops.ones(bad({ length: 2 })), InvalidArgumentError, 'ones', 'shape');
    rejects(() => Tensor.zeros(bad('3')), InvalidArgumentError, 'Tensor.zeros');
  });

  it('random.permutation(key, 2 ** 28) is a typed error instead of an out-of-memory abort', () => {
    rejects(() => random.permutation(random.key(0), 2 ** 28), InvalidArgumentError, 'random.permutation', 'MAX_ARRAY_LENGTH');
    expect(random.permutation(random.key(0), 5)).toHaveLength(5);
  });

  it('a documented maximum element count: shapes above MAX_SIZE are rejected before allocating', () => {
    expect(MAX_SIZE).toBe(2 ** 31 - 1);
    for (const f of [
      () => ops.zeros([2 ** 16, 2 ** 16]),
      () => Tensor.ones([MAX_SIZE + 1]),
      () => ops.full([2 ** 40, 0, 2 ** 40], 1), // size 0, but extents too large to be lengths
      () => random.normal(random.key(0), [2 ** 31]),
      () => random.uniform(random.key(0), [2 ** 20, 2 ** 20]),
      () => ops.arange(2 ** 32),
      () => ops.linspace(0, 1, 2 ** 31),
      () => ops.eye(2 ** 16, 2 ** 16),
      () => ops.broadcastTo(1, [2 ** 20, 2 ** 20]),
      () => Tensor.fromJSON({ shape: [2 ** 31], data: [] }),
    ]) {
      rejects(f, InvalidArgumentError, String(MAX_SIZE));
    }
    rejects(() => ops.zeros(new Array(MAX_RANK + 1).fill(1)), InvalidArgumentError, 'axes');
  });

  it('results that become plain arrays are bounded by MAX_ARRAY_LENGTH', () => {
    expect(MAX_ARRAY_LENGTH).toBe(2 ** 24);
    const big = ops.zeros([MAX_ARRAY_LENGTH + 1]);
    rejects(() => big.toArray(), InvalidArgumentError, 'toArray', 'MAX_ARRAY_LENGTH');
    rejects(() => big.toFlatArray(), InvalidArgumentError, 'toFlatArray');
    rejects(() => big.toJSON(), InvalidArgumentError, 'toJSON');
    rejects(() => random.split(random.key(0), 2 ** 30), InvalidArgumentError, 'random.split');
  });
});

describe('issue 10 item 11: no silent garbage', () => {
  it("Tensor.from(['a', 'b'], [2]) names the element instead of giving [NaN, NaN]", () => {
    rejects(() => Tensor.from(bad(['a', 'b']), [2]), InvalidArgumentError, 'Tensor.from', 'string "a"', '[0]');
    rejects(() => Tensor.from(bad([1, null, 3])), InvalidArgumentError, 'null', '[1]');
    rejects(() => Tensor.from(bad([1, , 3])), InvalidArgumentError, 'undefined', '[1]'); // a hole
    rejects(() => Tensor.from(bad({ length: 2, 0: 1, 1: '2' })), InvalidArgumentError, 'string "2"');
    rejects(() => Tensor.from(bad(new BigInt64Array(2))), InvalidArgumentError, 'BigInt64Array');
  });

  it('Tensor.from([[1, 2], [3]], [2]) is a ragged array, not two numbers', () => {
    rejects(() => Tensor.from([[1, 2], [3]], [2]), ShapeError, 'ragged', '[1]');
    rejects(() => Tensor.from([[], [1]]), ShapeError, 'ragged');
    rejects(() => Tensor.from(bad([[1, 2], 3])), ShapeError, 'ragged');
    rejects(() => Tensor.from(bad([1, [2]])), ShapeError, 'ragged');
    expect(Tensor.from([[1, 2], [3, 4]], [4]).toArray()).toEqual([1, 2, 3, 4]);
  });

  it('Tensor.full([2]) requires the value (NaN and ±∞ are valid values)', () => {
    rejects(() => (bad(Tensor.full) as (s: number[]) => Tensor)([2]), InvalidArgumentError, 'Tensor.full', 'value', 'undefined');
    rejects(() => ops.full([2], bad('1')), InvalidArgumentError, 'full', 'value');
    expect(Number.isNaN(Tensor.full([1], NaN).item())).toBe(true);
    expect(ops.full([1], -Infinity).item()).toBe(-Infinity);
  });

  it('options are booleans: a truthy string is an error, not true', () => {
    const L = [[2, 0], [1, 3]];
    rejects(() => ops.triangularSolve(L, [1, 1], bad({ lower: 'no' })), InvalidArgumentError, 'triangularSolve', 'lower', 'string "no"');
    rejects(() => ops.triangularSolve(L, [1, 1], bad({ transpose: 1 })), InvalidArgumentError, 'transpose', 'number 1');
    rejects(() => ops.triangularSolve(L, [1, 1], bad({ transposed: true })), InvalidArgumentError, "unknown option 'transposed'");
    rejects(() => ops.triangularSolve(L, [1, 1], bad(null)), InvalidArgumentError, 'options must be an object');
    rejects(() => ops.sum(x, 0, bad('yes')), InvalidArgumentError, 'sum', 'keepdims');
    rejects(() => ops.max(x, 0, bad(1)), InvalidArgumentError, 'max', 'keepdims');
    rejects(() => random.normal(random.key(0), [2], bad({ sd: 1 })), InvalidArgumentError, "unknown option 'sd'");
    rejects(() => random.uniform(random.key(0), [2], bad([0, 1])), InvalidArgumentError, 'options must be an object');
    // explicit undefined means "default", as for any optional argument
    expect((ops.triangularSolve(L, [2, 4], { lower: undefined }) as Tensor).toArray()).toEqual([1, 1]);
  });

  it('options are read from own properties only: nothing from the prototype chain, throwing getters reported', () => {
    const throwing = Object.defineProperty({}, 'lower', { get: () => { throw new Error('boom'); }, enumerable: true });
    rejects(() => ops.triangularSolve([[1]], [1], bad(throwing)), InvalidArgumentError, 'options could not be read', 'boom');
    const truthy = Object.defineProperty({}, 'lower', { get: () => 'yes', enumerable: true });
    rejects(() => ops.triangularSolve([[1]], [1], bad(truthy)), InvalidArgumentError, 'option lower must be true or false');
    const inherited = Object.create({ lower: 'no' }) as object;
    rejects(() => ops.triangularSolve([[1]], [1], bad(inherited)), InvalidArgumentError, 'plain object');
    const hostile = JSON.parse('{"__proto__": {"lower": false}}') as object;
    rejects(() => ops.triangularSolve([[1]], [1], bad(hostile)), InvalidArgumentError, "unknown option '__proto__'");
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    rejects(() => random.normal(random.key(0), [1], bad(proxy)), InvalidArgumentError, 'could not be read');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('NaN, ±∞ and fractions in integer arguments (axes, sizes, shapes, indices, offsets)', () => {
    for (const v of [NaN, Infinity, -Infinity, 0.5]) {
      rejects(() => ops.sum(x, v), InvalidArgumentError, 'sum', 'axis');
      rejects(() => ops.mean(x, [0, v]), InvalidArgumentError, 'mean');
      rejects(() => ops.zeros([2, v]), InvalidArgumentError, 'zeros', 'extent 1');
      rejects(() => ops.reshape(x, [v, -1]), InvalidArgumentError, 'reshape', 'extent');
      rejects(() => ops.take(x, [v]), InvalidArgumentError, 'take');
      rejects(() => ops.slice(x, v), InvalidArgumentError, 'slice');
      rejects(() => ops.slice(x, [0, v]), InvalidArgumentError, 'slice', 'stop');
      rejects(() => ops.tril(x, v), InvalidArgumentError, 'tril', 'k');
      rejects(() => ops.expandDims(x, v), InvalidArgumentError, 'expandDims', 'axis');
      rejects(() => ops.concat([x, x], v), InvalidArgumentError, 'concat', 'axis');
      rejects(() => ops.eye(v), InvalidArgumentError, 'eye', 'n');
      rejects(() => x.get(0, v), InvalidArgumentError, 'Tensor.get', 'index 1');
      rejects(() => random.split(random.key(0), v), InvalidArgumentError, 'random.split');
      rejects(() => ops.flip(x, v), InvalidArgumentError, 'flip', 'axis');
    }
  });

  it('elementwise math on NaN data stays IEEE: propagated, not an error', () => {
    expect(Number.isNaN((ops.add([NaN], 1) as Tensor).item())).toBe(true);
    expect((ops.exp([Infinity]) as Tensor).item()).toBe(Infinity);
    expect(Number.isNaN((ops.sum([1, NaN]) as Tensor).item())).toBe(true);
  });
});

describe('issue 10 item 12: messages name the op and the argument', () => {
  const table: [string, () => unknown, string][] = [
    ['add', () => ops.add(x, bad('a')), 'add: argument y'],
    ['sub', () => ops.sub(bad(undefined), x), 'sub: argument x'],
    ['exp', () => ops.exp(bad({})), 'exp: argument x'],
    ['where', () => ops.where(bad('c'), 1, 2), 'where: argument cond'],
    ['clip', () => ops.clip(x, bad('0')), 'clip: argument lo'],
    ['matmul via dot', () => ops.dot(x, bad(true)), 'dot: argument y'],
    ['concat', () => ops.concat([x, bad('b')]), 'concat: argument xs[1]'],
    ['cholesky', () => ops.cholesky(bad('A')), 'cholesky: argument a'],
    ['triangularSolve', () => ops.triangularSolve(x, bad(null)), 'triangularSolve: argument b'],
    ['solve', () => ops.solve(bad(Symbol('a')), x), 'solve: argument a'],
    ['logsumexp', () => ops.logsumexp(bad(() => 1)), 'logsumexp: argument x'],
    ['nested element', () => ops.mul(x, bad([[1, 2], [3, '4']])), 'mul: argument y must be a number or a nested array of numbers, got string "4" at [1][1]'],
    ['method', () => x.add(bad(1n)), 'add: argument y'],
  ];
  for (const [name, f, message] of table) {
    it(name, () => {
      rejects(f, InvalidArgumentError, message);
    });
  }

  it('the brief’s example message', () => {
    expect(thrown(() => ops.add(x, bad('0'))).message).toBe(
      'add: argument y must be a tensor, a number or a nested array of numbers, got string "0"',
    );
  });

  it('describing a hostile value never throws (symbols, throwing toString, proxies)', () => {
    const nasty = { toString: () => { throw new Error('no'); } };
    const proxy = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    rejects(() => ops.add(bad(nasty), 1), InvalidArgumentError, 'add: argument x');
    rejects(() => ops.add(bad(proxy), 1), InvalidArgumentError, 'add: argument x');
    rejects(() => ops.reshape(x, bad([Symbol('s'), -1])), InvalidArgumentError, 'reshape');
    rejects(() => ops.transpose(x, bad([nasty, 0])), InvalidArgumentError, 'transpose');
    rejects(() => random.randint(random.key(0), [2], bad(Symbol('m')), 3), InvalidArgumentError, 'random.randint');
    rejects(() => random.permutation(random.key(0), bad(nasty)), InvalidArgumentError, 'random.permutation');
  });

  it('public shape helpers validate their arguments', () => {
    rejects(() => sizeOf(bad('ab')), InvalidArgumentError, 'sizeOf');
    rejects(() => broadcastShapes([2], bad([NaN])), InvalidArgumentError, 'broadcastShapes');
    expect(broadcastShapes([3, 1], [4])).toEqual([3, 4]);
    expect(sizeOf([2, 3])).toBe(6);
  });

  it('the Tensor constructor checks what it wraps', () => {
    rejects(() => new Tensor(bad([1, 2]), [2]), InvalidArgumentError, 'Float64Array');
    rejects(() => new Tensor(new Float64Array(2), bad(['2'])), InvalidArgumentError, 'Tensor', 'shape');
    rejects(() => new Tensor(new Float64Array(3), [2]), ShapeError, '3 elements do not fill shape [2]');
  });
});

describe('NonFiniteError gives the multi-index when the shape is known', () => {
  it('linear algebra reports row and column (and the batch index) as well as the flat index', () => {
    const e = thrown(() => ops.cholesky([[4, 0, 0], [1, 5, 0], [2, NaN, 6]])) as NonFiniteError;
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e.index).toBe(7);
    expect(e.multiIndex).toEqual([2, 1]);
    expect(e.shape).toEqual([3, 3]);
    expect(e.message).toContain('index [2, 1] of shape [3, 3]');
    const batched = thrown(() => ops.inv([[[1, 0], [0, 1]], [[1, Infinity], [0, 1]]])) as NonFiniteError;
    expect(batched.multiIndex).toEqual([1, 0, 1]);
    const rhs = thrown(() => ops.solve([[1, 0], [0, 1]], [[1, 2], [3, NaN]])) as NonFiniteError;
    expect(rhs.multiIndex).toEqual([1, 1]);
  });

  it('keeps index alone when no shape is given', () => {
    const e = new NonFiniteError('f', 3, NaN);
    expect(e.index).toBe(3);
    expect(e.multiIndex).toBeUndefined();
    expect(e.message).toBe('f: non-finite value NaN at flat index 3');
  });
});
