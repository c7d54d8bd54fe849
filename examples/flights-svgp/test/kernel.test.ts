/** The ARD RBF kernel and the Gram matrix with its own VJP: values against loops, derivatives three ways. */
import { Tensor, grad, ops, random } from '@natgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gram } from '../src/model/gram.js';
import { rbf } from '../src/model/kernel.js';
import { checkDirectional, randomDirection } from './derivatives.js';

const D = 3;
function setup(seed: number, n = 5, m = 4) {
  const [ka, kb, kl] = random.split(random.key(seed), 3);
  return {
    a: random.normal(ka, [n, D]) as Tensor,
    b: random.normal(kb, [m, D]) as Tensor,
    k: { logLengthscales: ops.mul(0.5, random.normal(kl, [D])) as Tensor, logVariance: Tensor.scalar(0.3) },
  };
}

describe('rbf', () => {
  it('equals s²·exp(−½ Σ (a − b)²/ℓ²) entry by entry, with k(x, x) = s² exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const { a, b, k } = setup(seed);
        const K = rbf(a, b, k) as Tensor;
        const ell = k.logLengthscales.data.map(Math.exp);
        const s2 = Math.exp(0.3);
        for (let i = 0; i < 5; i++) {
          for (let j = 0; j < 4; j++) {
            let d2 = 0;
            for (let t = 0; t < D; t++) d2 += ((a.data[i * D + t] - b.data[j * D + t]) / ell[t]) ** 2;
            expect(K.data[i * 4 + j]).toBeCloseTo(s2 * Math.exp(-0.5 * d2), 13);
          }
        }
        const Kaa = rbf(a, a, k) as Tensor;
        for (let i = 0; i < 5; i++) expect(Kaa.data[i * 5 + i]).toBeLessThanOrEqual(s2);
        for (let i = 0; i < 5; i++) expect(Kaa.data[i * 5 + i]).toBeCloseTo(s2, 14);
      }),
      { numRuns: 30 },
    );
  });

  it('has derivatives in the inputs and the log-hyperparameters that agree three ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const { a, b, k } = setup(seed);
        const w = random.normal(random.key(seed + 1), [5, 4]) as Tensor;
        const f = (p: { a: Tensor; b: Tensor; k: typeof k }) => ops.sum(ops.mul(w, rbf(p.a, p.b, p.k)));
        const p = { a, b, k };
        checkDirectional(f, p, randomDirection(p, seed + 2));
      }),
      { numRuns: 20 },
    );
  });
});

describe('gram', () => {
  it('is K Kᵀ, and its one-product VJP equals reverse mode through matmul(K, Kᵀ)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const K = random.normal(random.key(seed), [4, 7]) as Tensor;
        const W = random.normal(random.key(seed + 1), [4, 4]) as Tensor; // not symmetric: the rule must symmetrise
        const direct = ops.matmul(K, ops.matrixTranspose(K)) as Tensor;
        expect(Array.from((gram(K) as Tensor).data)).toEqual(Array.from(direct.data));
        const ours = grad((k: Tensor) => ops.sum(ops.mul(W, gram(k))))(K) as Tensor;
        const plain = grad((k: Tensor) => ops.sum(ops.mul(W, ops.matmul(k, ops.matrixTranspose(k)))))(K) as Tensor;
        ours.data.forEach((v, i) => expect(v).toBeCloseTo(plain.data[i], 12));
        checkDirectional((k: Tensor) => ops.sum(ops.mul(W, ops.square(gram(k)))), K, randomDirection(K, seed + 2));
      }),
      { numRuns: 20 },
    );
  });
});
