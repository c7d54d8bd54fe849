import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Value, ops } from '@natgrad/core';
import { checkDerivatives, randomTensor, rng } from './util/check.js';

describe('derivatives of the arithmetic core', () => {
  const cases: [string, (...a: Value[]) => Value, number[][], { lo?: number }?][] = [
    ['add (broadcast)', (x, y) => ops.add(x, y), [[3, 4], [4]]],
    ['sub (broadcast)', (x, y) => ops.sub(x, y), [[3, 1], [1, 4]]],
    ['mul (broadcast)', (x, y) => ops.mul(x, y), [[2, 3], []]],
    ['div', (x, y) => ops.div(x, y), [[5], [5]], { lo: 0.5 }],
    ['exp', (x) => ops.exp(x), [[6]]],
    ['log', (x) => ops.log(x), [[6]], { lo: 0.2 }],
    ['neg', (x) => ops.neg(x), [[2, 2]]],
    ['sum over axis', (x) => ops.sum(x, 1), [[3, 4, 2]]],
    ['sum keepdims', (x) => ops.sum(x, [0, 2], true), [[3, 4, 2]]],
    ['transpose', (x) => ops.transpose(x, [2, 0, 1]), [[2, 3, 4]]],
    ['slice', (x) => ops.slice(x, [1, null], [null, null, 2]), [[4, 5]]],
    ['slice negative step', (x) => ops.slice(x, [null, null, -1]), [[5]]],
    ['concat', (x, y) => ops.concat([x, y], 1), [[2, 3], [2, 2]]],
    ['stack', (x, y) => ops.stack([x, y], 2), [[2, 3], [2, 3]]],
    ['matmul', (x, y) => ops.matmul(x, y), [[3, 4], [4, 2]]],
    ['matmul batched broadcast', (x, y) => ops.matmul(x, y), [[2, 3, 4], [4, 2]]],
    ['matmul vector', (x, y) => ops.matmul(x, y), [[3, 4], [4]]],
    ['broadcastTo', (x) => ops.broadcastTo(x, [3, 2, 4]), [[2, 1]]],
  ];
  for (const [name, f, shapes, opt] of cases) {
    it(`${name}: jvp, vjp, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          const next = rng(seed);
          const args = shapes.map((s) => randomTensor(s, next, opt?.lo ?? -2, 2));
          checkDerivatives(f, args, { seed, secondOrder: true });
        }),
        { numRuns: 20 },
      );
    });
  }
});
