/**
 * Outputs allocated without a zero fill (`allocUninitialized`: Node's `Buffer.allocUnsafeSlow`) must be written in
 * full by their kernels. Here that memory is poisoned — every fresh buffer filled with NaN bit patterns — and every
 * op on that path (elementwise unary, binary and ternary loops over every broadcast layout, their forward-mode dual
 * loops, broadcasts, transposes, strided slices, matrix products with β = 0, triangular solves and products, the fused Cholesky
 * tangent) must give exactly the result it gives on zeroed memory, on both backends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, type Value, jvp, ops, setBackend } from '@natgrad/core';
import { allocUninitialized } from '../src/kernels/alloc.js';
import { randomTensor, rng } from './util/check.js';

const original = Buffer.allocUnsafeSlow;

function poisoned(run: () => Value[]): Value[] {
  Buffer.allocUnsafeSlow = (size: number) => original(size).fill(0xff); // 0xffff… is a NaN
  try {
    return run();
  } finally {
    Buffer.allocUnsafeSlow = original;
  }
}

afterEach(() => {
  Buffer.allocUnsafeSlow = original;
  setBackend('auto');
});

function expectSame(got: Value[], want: Value[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const a = g as Tensor, b = want[k] as Tensor;
    expect(a.shape).toEqual(b.shape);
    for (let i = 0; i < a.size; i++) if (!Object.is(a.data[i], b.data[i])) expect([k, i, a.data[i]]).toEqual([k, i, b.data[i]]);
  });
}

const next = rng(17);
// at least a page (512 doubles) per output: smaller ones are zero-filled by design
const x = randomTensor([24, 25], next), y = randomTensor([24, 25], next), pos = randomTensor([24, 25], next, 0.5, 2);
const row = randomTensor([1, 25], next), col = randomTensor([24, 1], next), scalar = randomTensor([], next);
const cube = randomTensor([3, 1, 200], next), slab = randomTensor([5, 1], next);
const dx = randomTensor([24, 25], next), dy = randomTensor([24, 25], next), wide = randomTensor([60, 40], next);

const unary: ((v: Value) => Value)[] = [
  ops.neg, ops.exp, ops.log1p, ops.expm1, ops.square, ops.sin, ops.cos, ops.tanh, ops.sigmoid, ops.softplus, ops.abs,
  ops.sign, ops.isFinite, ops.isNaN,
];
const binary: ((a: Value, b: Value) => Value)[] = [
  ops.add, ops.sub, ops.mul, ops.div, ops.maximum, ops.minimum, ops.greater, ops.greaterEqual, ops.less, ops.lessEqual,
  ops.equal, ops.notEqual,
];

describe('outputs written in full on uninitialised memory', () => {
  it('the poison is real: a fresh uninitialised array is all NaN under it', () => {
    const [t] = poisoned(() => [new Tensor(allocUninitialized(1000), [1000])]);
    expect(Array.from((t as Tensor).data).every(Number.isNaN)).toBe(true);
  });

  it('unary loops, and log/sqrt on positive input', () => {
    const run = () => [...unary.map((f) => f(x)), ops.log(pos), ops.sqrt(pos)];
    expectSame(poisoned(run), run());
  });

  it('binary loops over every layout: same shape, scalar, row, column, rank-3 broadcast', () => {
    const run = () => binary.flatMap((f) => [f(x, y), f(x, scalar), f(scalar, y), f(x, row), f(col, y), f(cube, slab), f(slab, cube)]);
    expectSame(poisoned(run), run());
    const pw = () => [ops.pow(pos, y), ops.pow(pos, 2), ops.pow(2, x)];
    expectSame(poisoned(pw), pw());
  });

  it('ternary loops, broadcasts, transposes and strided slices', () => {
    const run = () => [
      ops.where(ops.greater(x, 0), x, row), ops.clip(x, -0.5, 0.5), ops.broadcastTo(row, [24, 25]),
      ops.broadcastTo(scalar, [30, 20]), ops.broadcastTo(col, [24, 25]), ops.matrixTranspose(x), ops.transpose(cube, [2, 0, 1]),
      ops.slice(x, [null, null, -1], [null, null, -1]), ops.slice(wide, [1, 59], [null, null, -2]), ops.slice(wide, [null, null, 2], [3, 37]),
    ];
    expectSame(poisoned(run), run());
  });

  it('forward-mode dual loops (both tangents, one, scalar operands)', () => {
    const run = () => [
      ...unary.slice(0, 11).flatMap((f) => jvp(f, [x], [dx])),
      ...jvp((a: Value) => ops.log(a), [pos], [dx]), ...jvp((a: Value) => ops.sqrt(a), [pos], [dx]),
      ...[ops.add, ops.sub, ops.mul, ops.div].flatMap((f) => [
        ...jvp(f, [x, y], [dx, dy]), ...jvp((a: Value) => f(a, y), [x], [dx]), ...jvp((b: Value) => f(x, b), [y], [dy]),
        ...jvp((a: Value) => f(a, 3), [x], [dx]), ...jvp((b: Value) => f(3, b), [y], [dy]),
      ]),
    ];
    expectSame(poisoned(run), run());
  });

  it.each(['js', 'wasm'] as const)('matrix products, triangular solves and products, the Cholesky tangent (%s)', (backend) => {
    setBackend(backend);
    const a = randomTensor([40, 40], next), b = randomTensor([40, 30], next), batch = randomTensor([3, 24, 25], next);
    const spd = ops.add(ops.matmul(a, a, { transposeB: true }), ops.mul(ops.eye(40), 40)) as Tensor;
    const l = ops.cholesky(spd) as Tensor;
    const run = () => [
      ops.matmul(a, b), ops.matmul(a, b, { transposeA: true }), ops.matmul(x, y, { transposeB: true }), ops.matmul(batch, y, { transposeB: true }),
      ops.matmul(x, ops.matrixTranspose(row)), ops.matmul(a, ops.expandDims(b.reshape([1200]).slice([0, 40]) as Tensor, -1)),
      ops.triangularSolve(l, b), ops.triangularSolve(l, ops.matrixTranspose(b), { left: false, transpose: true }),
      ...jvp((m: Value) => ops.cholesky(m), [spd], [a]), ...jvp((t: Value) => ops.triangularSolve(t, b), [l], [a]),
    ];
    expectSame(poisoned(run), run());
  });
});
