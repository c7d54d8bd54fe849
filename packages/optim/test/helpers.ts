/** Test helpers: objective functions with analytic gradients, a run loop, snapshots. */
import { Tensor } from '@natgrad/core';
import { type AnyRule, type OptimiserState, type Params, setup, update } from '@natgrad/optim';

/** Rosenbrock (a=1, b=100) value and gradient at a 2-vector. */
export function rosenbrock(x: Tensor): [number, Tensor] {
  const [a, b] = x.data;
  const f = (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  const ga = -2 * (1 - a) - 400 * a * (b - a * a);
  const gb = 200 * (b - a * a);
  return [f, Tensor.from([ga, gb])];
}

/** A random SPD quadratic ½xᵀAx − bᵀx (A = MᵀM/n + I), deterministic in `seed`; returns f/∇f and the minimiser. */
export function quadratic(n: number, seed: number): { f: (x: Tensor) => [number, Tensor]; xStar: Float64Array } {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
  const m = Array.from({ length: n * n }, rnd);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let acc = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) acc += (m[k * n + i] * m[k * n + j]) / n;
      a[i * n + j] = acc;
    }
  const b = Float64Array.from({ length: n }, rnd);
  // Solve A x* = b by Gaussian elimination (A is SPD, so no pivoting needed).
  const aa = Float64Array.from(a);
  const xStar = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const r = aa[i * n + k] / aa[k * n + k];
      for (let j = k; j < n; j++) aa[i * n + j] -= r * aa[k * n + j];
      xStar[i] -= r * xStar[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let acc = xStar[i];
    for (let j = i + 1; j < n; j++) acc -= aa[i * n + j] * xStar[j];
    xStar[i] = acc / aa[i * n + i];
  }
  const f = (x: Tensor): [number, Tensor] => {
    const g = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += a[i * n + j] * x.data[j];
      g[i] = ax - b[i];
      v += 0.5 * x.data[i] * ax - b[i] * x.data[i];
    }
    return [v, new Tensor(g, [n])];
  };
  return { f, xStar };
}

/** Runs `steps` updates of `rule` on a single-tensor objective; returns the final parameter and optimiser. */
export function run(rule: AnyRule, f: (x: Tensor) => [number, Tensor], x0: Tensor, steps: number): [Tensor, OptimiserState] {
  let opt = setup(rule, x0);
  let x: Params = x0;
  for (let i = 0; i < steps; i++) [opt, x] = update(opt, x, f(x as Tensor)[1]);
  return [x as Tensor, opt];
}

/** Maximum absolute difference of two arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A deep snapshot of a state/params tree (tensors as arrays) for immutability checks. */
export function snapshot(x: unknown): unknown {
  if (x instanceof Tensor) return { shape: [...x.shape], data: Array.from(x.data) };
  if (Array.isArray(x)) return x.map(snapshot);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = snapshot((x as Record<string, unknown>)[k]);
    return out;
  }
  return x;
}

/** Bitwise equality of two trees of tensors/numbers (Object.is on every float, so −0 ≠ 0 and NaN = NaN). */
export function bitwiseEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Tensor || b instanceof Tensor) {
    if (!(a instanceof Tensor && b instanceof Tensor) || a.shape.join() !== b.shape.join()) return false;
    for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
    return true;
  }
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((c, i) => bitwiseEqual(c, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined).sort();
    const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined).sort();
    return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => bitwiseEqual((a as any)[k], (b as any)[k]));
  }
  return a === b;
}

/** Built-in objects a prototype-pollution bug would write into (through `__proto__`, `constructor.prototype`, …). */
const BUILTINS: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Function.prototype', Function.prototype],
  ['Array.prototype', Array.prototype],
  ['Object', Object],
  ['Object.prototype.toString', Object.prototype.toString],
  ['Object.prototype.hasOwnProperty', Object.prototype.hasOwnProperty],
  ['Number.prototype', Number.prototype],
  ['String.prototype', String.prototype],
  ['Float64Array.prototype', Float64Array.prototype],
];

/** Own property names of the built-ins above, for a before/after comparison. */
export function builtinsSnapshot(): Record<string, string[]> {
  return Object.fromEntries(BUILTINS.map(([name, o]) => [name, Reflect.ownKeys(o).map(String).sort()]));
}

/**
 * An independent check that a symmetric n×n matrix (row-major) is numerically positive definite: a plain Cholesky
 * loop, no natgrad code, every pivot finite and > 0.
 */
export function choleskyOk(a: ArrayLike<number>, n: number): boolean {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0 && d < Infinity)) return false;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
      if (!Number.isFinite(l[i * n + j])) return false;
    }
  }
  return true;
}

/** L Lᵀ of a row-major n×n lower-triangular matrix, by hand. */
export function lowerTimesTranspose(l: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += l[i * n + k] * l[j * n + k];
      out[i * n + j] = s;
    }
  }
  return out;
}
