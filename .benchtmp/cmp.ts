import * as oldCore from './base/packages/core/src/index.js';
import * as newCore from '../packages/core/src/index.js';
type Core = typeof newCore;
function lower(T: Core['Tensor'], n: number): InstanceType<Core['Tensor']> {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) d[i * n + j] = i === j ? 1.5 + 0.01 * i : 0.1 * ((i + 2 * j) % 5) - 0.2;
  return new T(d, [n, n]);
}
function time(f: () => unknown, reps: number): number {
  const s = performance.now();
  for (let i = 0; i < reps; i++) f();
  return ((performance.now() - s) / reps) * 1e6;
}
const cases: [string, (c: Core) => () => unknown, number][] = [
  ['choleskySolve 4x4, b [4, 2]', (c) => { const l = lower(c.Tensor, 4), b = c.Tensor.ones([4, 2]); return () => c.choleskySolve(l, b); }, 20000],
  ['choleskyInverse 4x4', (c) => { const l = lower(c.Tensor, 4); return () => c.choleskyInverse(l); }, 20000],
  ['cholesky 64x64', (c) => { const l = lower(c.Tensor, 64); const a = c.matmul(l, c.matrixTranspose(l)); return () => c.cholesky(a); }, 1000],
  ['grad of sum(choleskyInverse) 4x4', (c) => { const l = lower(c.Tensor, 4); const g = c.grad((x) => c.sum(c.choleskyInverse(x))); return () => g(l); }, 3000],
  ['jvp of sin, [3]', (c) => { const x = c.Tensor.from([1, 2, 3]); return () => c.jvp((v) => c.sin(v), [x], [x]); }, 20000],
  ['grad of sum(sin), [3]', (c) => { const x = c.Tensor.from([1, 2, 3]); const g = c.grad((v) => c.sum(c.sin(v))); return () => g(x); }, 20000],
  ['treeFlatten of a 9-node tree', (c) => { const t = { mu: 1, L: 2, n: { a: [1, 2, 3], b: { c: 4 } } }; return () => c.treeFlatten(t); }, 50000],
  ['clip [100]', (c) => { const x = c.Tensor.zeros([100]); return () => c.clip(x, -1, 1); }, 20000],
];
for (const [name, make, reps] of cases) {
  const o: number[] = [], n: number[] = [];
  const fo = make(oldCore as unknown as Core), fn = make(newCore);
  time(fo, reps); time(fn, reps);
  for (let r = 0; r < 15; r++) { o.push(time(fo, reps)); n.push(time(fn, reps)); }
  const best = (a: number[]) => Math.min(...a);
  console.log(`${name.padEnd(34)} before ${best(o).toFixed(0).padStart(7)} ns   after ${best(n).toFixed(0).padStart(7)} ns   ratio ${(best(n) / best(o)).toFixed(2)}`);
}
