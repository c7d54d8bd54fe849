/**
 * jacfwd (= jacobian), jacrev and hessian with JAX's options: pytree inputs and outputs (output structure outside,
 * input structure inside, leaves of shape [...out, ...in]), argnums (negative, arrays), hasAux, chunk sizes, errors.
 * Every Jacobian is checked against finite differences and against the other mode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeError,
  Tensor,
  type Value,
  derivative,
  grad,
  hessian,
  jacfwd,
  jacobian,
  jacrev,
  ops,
} from '@natgrad/core';
import { expectClose, finiteDifference, randomTensor, rng } from './util/check.js';

const t = (x: unknown) => x as Tensor;

type P = { a: Value; b: Value };
/** A function of a tree and an array returning a tree: {s: Σ a·y + Σ b², v: b·a₀ + yyᵀ}. */
const f = (p: P, y: Value) => ({
  s: ops.add(ops.sum(ops.mul(p.a, y)), ops.sum(ops.square(p.b))),
  v: ops.add(ops.mul(p.b, ops.slice(p.a, 0)), ops.outer(y, y)),
});

/** The Jacobian of one output leaf with respect to one input leaf, by central differences, as [...out, ...in]. */
function fdBlock(fn: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const cols: Tensor[] = [];
  for (let j = 0; j < x.size; j++) {
    const e = Tensor.zeros(x.shape);
    e.data[j] = 1;
    cols.push(finiteDifference((v: Value) => fn(v as Tensor), [x], [e], 1e-4));
  }
  const out = cols[0]?.shape ?? [];
  const data = new Float64Array(cols.length * (cols[0]?.size ?? 0));
  cols.forEach((c, j) => c.data.forEach((v, i) => (data[i * x.size + j] = v)));
  return new Tensor(data, [...out, ...x.shape]);
}

describe('Jacobians of pytree functions', () => {
  const p = { a: Tensor.from([0.5, -1.5]), b: Tensor.from([[1, 2], [3, -4]]) };
  const y = Tensor.from([2, 0.25]);
  it('layout: output structure outside, input structure inside, leaves [...out, ...in]', () => {
    const J = jacfwd(f)(p, y);
    expect(J.s.a.shape).toEqual([2]);
    expect(J.s.b.shape).toEqual([2, 2]);
    expect(J.v.a.shape).toEqual([2, 2, 2]);
    expect(J.v.b.shape).toEqual([2, 2, 2, 2]);
  });
  it('jacfwd (every chunk size) and jacrev agree with finite differences, for argnums 0, 1, [0, 1] and −1', () => {
    const outs = ['s', 'v'] as const;
    const fdOf = (o: 's' | 'v', wrt: 'a' | 'b' | 'y') =>
      fdBlock((x) => {
        const q = wrt === 'y' ? f(p, x) : f({ ...p, [wrt]: x }, y);
        return q[o] as Tensor;
      }, wrt === 'y' ? y : p[wrt]);
    for (const chunkSize of [1, 2, 3, 5, 16]) {
      const J0 = jacfwd(f, { chunkSize })(p, y);
      const J01 = jacfwd(f, { chunkSize, argnums: [0, 1] })(p, y);
      const Jy = jacfwd(f, { chunkSize, argnums: -1 })(p, y);
      for (const o of outs) {
        for (const k of ['a', 'b'] as const) {
          expectClose(t(J0[o][k]), fdOf(o, k), 1e-7, 1e-8, `jacfwd ${o}/${k}`);
          expectClose(t(J01[o][0][k]), t(J0[o][k]), 0, 0, `jacfwd argnums [0, 1] ${o}/${k}`);
        }
        expectClose(t(Jy[o]), fdOf(o, 'y'), 1e-7, 1e-8, `jacfwd argnums −1 ${o}`);
        expectClose(t(J01[o][1]), t(Jy[o]), 0, 0, `jacfwd argnums [0, 1] ${o}/y`);
      }
    }
    const R01 = jacrev(f, { argnums: [0, -1] })(p, y);
    const J01 = jacfwd(f, { argnums: [0, 1] })(p, y);
    for (const o of outs) {
      for (const k of ['a', 'b'] as const) expectClose(t(R01[o][0][k]), t(J01[o][0][k]), 1e-15, 1e-15, `jacrev ${o}/${k}`);
      expectClose(t(R01[o][1]), t(J01[o][1]), 1e-15, 1e-15, `jacrev ${o}/y`);
    }
  });
  it('property: jacfwd = jacrev = finite differences for random shapes of a matrix function of two arrays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (seed, m, n) => {
        const next = rng(seed);
        const A = randomTensor([m, n], next);
        const x = randomTensor([n], next);
        const g = (M: Value, v: Value) => [ops.tanh(ops.matmul(M, v)), ops.sum(ops.mul(M, M))];
        const [JA, Jx] = [jacfwd(g)(A, x), jacfwd(g, { argnums: 1, chunkSize: 2 })(A, x)];
        const [RA, Rx] = [jacrev(g)(A, x), jacrev(g, { argnums: 1 })(A, x)];
        for (const k of [0, 1]) {
          expectClose(t(JA[k]), fdBlock((M) => t(g(M, x)[k]), A), 1e-7, 1e-8, `jacfwd A ${k}`);
          expectClose(t(Jx[k]), fdBlock((v) => t(g(A, v)[k]), x), 1e-7, 1e-8, `jacfwd x ${k}`);
          expectClose(t(RA[k]), t(JA[k]), 1e-14, 1e-14, `jacrev A ${k}`);
          expectClose(t(Rx[k]), t(Jx[k]), 1e-14, 1e-14, `jacrev x ${k}`);
        }
      }),
      { numRuns: 15 },
    );
  });
  it('nested arrays of numbers are array leaves: the Jacobian of a matrix given as [[…]]', () => {
    const J = jacfwd((M: Value) => ops.matmul(M, M))([[1, 2], [3, 4]]);
    expect(t(J).shape).toEqual([2, 2, 2, 2]);
    expectClose(t(J), t(jacrev((M: Value) => ops.matmul(M, M))(Tensor.from([[1, 2], [3, 4]]))), 1e-15, 1e-15, 'nested');
  });
  it('hasAux returns [J, aux] with aux undifferentiated (still traced by an enclosing transform)', () => {
    const g = (x: Value) => [ops.mul(x, x), { twice: ops.mul(x, 2), label: 'aux' }];
    for (const jac of [jacfwd, jacrev]) {
      const [J, aux] = jac(g, { hasAux: true })(Tensor.from([1, 2]));
      expect(t(J).toArray()).toEqual([[2, 0], [0, 4]]);
      expect(aux.label).toBe('aux');
      expect(aux.twice).toBeInstanceOf(Tensor);
      expect(t(aux.twice).toArray()).toEqual([2, 4]);
      // d/ds of aux.twice at x = s·[1, 2] is 2·[1, 2]: the enclosing derivative still sees aux.
      const daux = derivative((s) => jac(g, { hasAux: true })(ops.mul(s, Tensor.from([1, 2])))[1].twice, 1);
      expect(t(daux).toArray()).toEqual([2, 4]);
    }
  });
  it('constant outputs, unused inputs and empty inputs give zero blocks of the right shape', () => {
    const g = (x: Value, _unused: Value) => ({ c: Tensor.from([1, 2, 3]), e: ops.sum(x) });
    for (const jac of [jacfwd, jacrev]) {
      const J = jac(g, { argnums: [0, 1] })(Tensor.zeros([2, 0]), Tensor.from([5, 6]));
      expect(t(J.c[0]).shape).toEqual([3, 2, 0]);
      expect(t(J.c[1]).toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
      expect(t(J.e[0]).shape).toEqual([2, 0]);
      expect(t(J.e[1]).toArray()).toEqual([0, 0]);
    }
  });
  it('jacobian is jacfwd (the ForwardDiff name)', () => {
    expect(jacobian).toBe(jacfwd);
  });
  it('bad options and bad argnums are typed errors', () => {
    const g = (x: Value) => ops.mul(x, 2);
    expect(() => jacfwd(g, { chunkSize: 0 })).toThrow(/jacfwd: chunkSize must be a positive integer, got 0/);
    expect(() => jacfwd(g, { chunkSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => jacrev(g, { chunkSize: 2 } as never)).toThrow(/jacrev: unknown option 'chunkSize'/);
    expect(() => jacfwd(g, { hasAux: 'yes' } as never)).toThrow(/hasAux must be a boolean, got "yes"/);
    expect(() => jacfwd(g, { argnums: [] })).toThrow(/non-empty array of integers/);
    expect(() => jacfwd(g, { argnums: 1 })(Tensor.from([1]))).toThrow(/jacfwd: argnums 1 is out of range for a call with 1 argument/);
    expect(() => jacrev((a: Value, b: Value) => ops.add(a, b), { argnums: [1, -1] })(1, 2)).toThrow(/more than once/);
    expect(() => jacfwd('f' as never)).toThrow(/jacfwd: f must be a function, got string/);
    expect(() => jacfwd(g, { hasAux: true })(Tensor.from([1]))).toThrow(/with hasAux, f must return a pair \[output, aux\]/);
  });
});

describe('Hessians of pytree functions', () => {
  // f(q) = Σ aᵢ² bᵢ: H[a][a] = diag(2b), H[a][b] = H[b][a] = diag(2a), H[b][b] = 0.
  const fq = (q: P) => ops.sum(ops.mul(ops.square(q.a), q.b));
  const diag = (v: number[]) => Tensor.from(v.map((x, i) => v.map((_, j) => (i === j ? x : 0))));
  it('closed form, jacfwd(jacrev), jacrev(jacrev) and finite differences of the gradient', () => {
    const q = { a: Tensor.from([1, -2, 0.5]), b: Tensor.from([3, 0.25, -1]) };
    const H = hessian(fq)(q);
    expectClose(t(H.a.a), diag([6, 0.5, -2]), 1e-15, 1e-15, 'H aa');
    expectClose(t(H.a.b), diag([2, -4, 1]), 1e-15, 1e-15, 'H ab');
    expectClose(t(H.b.a), diag([2, -4, 1]), 1e-15, 1e-15, 'H ba');
    expectClose(t(H.b.b), Tensor.zeros([3, 3]), 0, 0, 'H bb');
    const H2 = jacfwd(jacrev(fq))(q);
    const H3 = jacrev(jacrev(fq))(q);
    for (const i of ['a', 'b'] as const) {
      for (const j of ['a', 'b'] as const) {
        expectClose(t(H2[i][j]), t(H[i][j]), 1e-15, 1e-15, `jacfwd(jacrev) ${i}${j}`);
        expectClose(t(H3[i][j]), t(H[i][j]), 1e-15, 1e-15, `jacrev(jacrev) ${i}${j}`);
        const fd = fdBlock((x) => t((grad(fq)({ ...q, [j]: x }) as Record<string, Value>)[i]), q[j]);
        expectClose(t(H[i][j]), fd, 1e-8, 1e-9, `finite differences ${i}${j}`);
      }
    }
  });
  it('argnums arrays give an array of arrays; hasAux gives [H, aux]; chunkSize is passed on', () => {
    const g = (x: Value, s: Value) => [ops.mul(ops.sum(ops.square(x)), s), 'aux'];
    const [H, aux] = hessian(g, { argnums: [0, 1], hasAux: true, chunkSize: 1 })(Tensor.from([1, 2]), 3);
    expect(aux).toBe('aux');
    expect(t(H[0][0]).toArray()).toEqual([[6, 0], [0, 6]]);
    expect(t(H[0][1]).toArray()).toEqual([2, 4]);
    expect(t(H[1][0]).toArray()).toEqual([2, 4]);
    expect(t(H[1][1]).item()).toBe(0);
    expect(t(hessian(g, { argnums: -1, hasAux: true })(Tensor.from([1, 2]), 3)[0]).item()).toBe(0);
  });
  it('a non-scalar output is a ShapeError naming hessian', () => {
    expect(() => hessian((x: Value) => ops.mul(x, x))(Tensor.from([1, 2]))).toThrow(ShapeError);
    expect(() => hessian((x: Value) => ops.mul(x, x))(Tensor.from([1, 2]))).toThrow(/hessian: f must return a scalar \(shape \[\]\), got shape \[2\]/);
    expect(() => hessian((x: Value) => [x])(1)).toThrow(/got a tree of 1 leaves/);
  });
});
