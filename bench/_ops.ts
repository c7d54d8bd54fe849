import { Tensor, jvp, ops, type Value } from '@natgrad/core';
import { lcgUniform } from './harness.js';
const n = 10_000;
const x = new Tensor(lcgUniform(n, 3), [n]);
const y = new Tensor(lcgUniform(n, 4), [n]);
const v = new Tensor(lcgUniform(n, 5), [n]);
const cases: Record<string, (a: Value) => Value> = {
  square: (a) => ops.square(a),
  sub_same: (a) => ops.sub(a, y),
  sub_scalar: (a) => ops.sub(1, a),
  mul_scalar: (a) => ops.mul(100, a),
  add_same: (a) => ops.add(a, y),
  mul_same: (a) => ops.mul(a, y),
  sum: (a) => ops.sum(a),
  slice: (a) => ops.slice(a, [0, -1]),
};
const cpu = (f: () => unknown, reps: number) => { const t0 = process.cpuUsage(); for (let i = 0; i < reps; i++) f(); const t = process.cpuUsage(t0); return (t.user + t.system) / reps; };
const fns: [string, () => unknown][] = [];
for (const [k, f] of Object.entries(cases)) { fns.push([k + ' primal', () => f(x)]); fns.push([k + ' jvp', () => jvp(f, [x], [v])]); }
fns.push(['alloc', () => new Float64Array(n)]);
for (const [, f] of fns) for (let i = 0; i < 300; i++) f();
const res = new Map<string, number[]>();
for (let r = 0; r < 11; r++) for (const [k, f] of fns) { if (!res.has(k)) res.set(k, []); res.get(k)!.push(cpu(f, 300)); }
const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
for (const [k] of Object.entries(cases)) { const p = med(res.get(k + ' primal')!), j = med(res.get(k + ' jvp')!); console.log(k.padEnd(12), p.toFixed(1), j.toFixed(1), (j / p).toFixed(2)); }
console.log('alloc', med(res.get('alloc')!).toFixed(1));
