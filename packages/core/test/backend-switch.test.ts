/**
 * The public backend switch: setBackend/getBackend/wasmReady, typed errors for bad or unavailable choices, that
 * each choice really routes the kernels (observed through the registry), that `auto` picks by size, and that the
 * ops give the same values (≤ 1e-12) and the same errors whichever backend runs them — including batches, where
 * every matrix is one backend call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BackendUnavailableError, InvalidArgumentError, NatgradError, NotPositiveDefiniteError, SingularMatrixError, Tensor,
  getBackend, ops, setBackend, wasmReady,
} from '@natgrad/core';
import { GEMM_MIN_SIDE, GEMM_MIN_VOLUME, KERNELS, POTRF_MIN_ORDER } from '../src/backend/registry.js';
import { Heap, WasmMemoryExhausted, wasmKernels } from '../src/backend/wasm/instance.js';
import { rng } from './util/check.js';
import { relDiff, spd, uniform } from './util/dense-reference.js';

afterEach(() => {
  setBackend('auto');
  vi.restoreAllMocks();
});

describe('setBackend / getBackend', () => {
  it("defaults to 'auto' and remembers the choice", async () => {
    expect(getBackend()).toBe('auto');
    expect(await wasmReady()).toBe(true);
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    setBackend('js');
    expect(getBackend()).toBe('js');
  });

  it('rejects unknown names with InvalidArgumentError and keeps the previous choice', () => {
    setBackend('js');
    for (const bad of ['WASM', 'gpu', '', 3, null, { toString: () => 'wasm' }]) {
      expect(() => setBackend(bad as never)).toThrow(InvalidArgumentError);
    }
    expect(() => setBackend('gpu' as never)).toThrow(/'auto', 'wasm' or 'js', got 'gpu'/);
    expect(getBackend()).toBe('js');
  });

  it("forcing 'wasm' where WebAssembly SIMD is missing throws BackendUnavailableError (engine without SIMD)", async () => {
    vi.resetModules();
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const fresh = await import('../src/index.js'); // a module graph that has not loaded the kernels yet
    let caught: unknown;
    try {
      fresh.setBackend('wasm');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(fresh.BackendUnavailableError);
    expect((caught as NatgradError).code).toBe('BACKEND_UNAVAILABLE');
    expect((caught as InstanceType<typeof fresh.BackendUnavailableError>).backend).toBe('wasm');
    expect(String((caught as Error).message)).toMatch(/setBackend\('wasm'\): this JavaScript engine has no WebAssembly SIMD/);
    expect(fresh.getBackend()).toBe('auto');
    expect(await fresh.wasmReady()).toBe(false);
    // auto falls back to JavaScript and still computes the same factor
    const a = spd(40, rng(1));
    const l = fresh.cholesky(new fresh.Tensor(a, [40, 40])) as InstanceType<typeof fresh.Tensor>;
    expect(relDiff(l.data, (ops.cholesky(new Tensor(a, [40, 40])) as Tensor).data)).toBeLessThanOrEqual(1e-12);
    expect(new BackendUnavailableError('wasm', 'x')).toBeInstanceOf(NatgradError);
  });
});

describe('where synchronous compilation is refused (a browser main thread)', () => {
  it("'auto' uses JavaScript while the module compiles in the background; 'wasm' is refused until wasmReady()", async () => {
    vi.resetModules();
    vi.spyOn(WebAssembly, 'Module').mockImplementation(() => {
      throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 8MB');
    });
    const fresh = await import('../src/index.js');
    const a = spd(40, rng(4));
    // first large call: starts the background compile and still computes (in JavaScript)
    const l0 = fresh.cholesky(new fresh.Tensor(a, [40, 40])) as InstanceType<typeof fresh.Tensor>;
    expect(() => fresh.setBackend('wasm')).toThrow(/still compiling \(await wasmReady\(\)\)/);
    expect(await fresh.wasmReady()).toBe(true);
    fresh.setBackend('wasm');
    const l1 = fresh.cholesky(new fresh.Tensor(a, [40, 40])) as InstanceType<typeof fresh.Tensor>;
    expect(relDiff(l1.data, l0.data)).toBeLessThanOrEqual(1e-12);
    fresh.setBackend('auto');
  });
});

describe('routing', () => {
  // Black-box: a sentinel at the start of the kernels' linear memory survives JavaScript kernels and is overwritten
  // by any WebAssembly kernel call (operands are copied there).
  const SENTINEL = -123.5;
  const heap = () => {
    const x = wasmKernels()!;
    return new Float64Array(x.memory.buffer, x.heapBase(), 1);
  };
  const usedWasm = (f: () => unknown): boolean => {
    heap()[0] = SENTINEL;
    f();
    return heap()[0] !== SENTINEL;
  };
  const small = new Tensor(uniform(4, rng(1)), [2, 2]);
  const big = new Tensor(uniform(64 * 64, rng(2)), [64, 64]);
  const spdBig = new Tensor(spd(64, rng(3)), [64, 64]);
  const everyOp: [string, (x: Tensor, s: Tensor) => unknown][] = [
    ['matmul', (x) => ops.matmul(x, x)],
    ['matmul transposeA', (x) => ops.matmul(x, x, { transposeA: true })],
    ['cholesky', (_, s) => ops.cholesky(s)],
    ['triangularSolve', (x, s) => ops.triangularSolve(s, x)],
    ['choleskyInverse', (_, s) => ops.choleskyInverse(s)],
    ['solve', (x, s) => ops.solve(s, x)],
    ['inv', (_, s) => ops.inv(s)],
    ['logdet', (_, s) => ops.logdet(s)],
  ];

  it.each(everyOp)("%s: 'js' never touches WebAssembly, 'wasm' always does, 'auto' only for large matrices", (_, f) => {
    const s2 = new Tensor(new Float64Array([2, 0.5, 0.5, 1]), [2, 2]);
    setBackend('js');
    expect(usedWasm(() => f(big, spdBig))).toBe(false);
    setBackend('wasm');
    expect(usedWasm(() => f(small, s2))).toBe(true);
    setBackend('auto');
    expect(usedWasm(() => f(small, s2))).toBe(false);
    expect(usedWasm(() => f(big, spdBig))).toBe(true);
  });

  it("the crossover predicates: below the measured sizes 'auto' keeps JavaScript", () => {
    const d = big.data;
    expect(KERNELS.gemm.preferWasm(false, false, 2, 2, 2, 1, d, 0, 2, d, 0, 2, 0, d, 0, 2)).toBe(false);
    expect(KERNELS.gemm.preferWasm(true, true, 64, 64, 64, 1, d, 0, 64, d, 0, 64, 0, d, 0, 64)).toBe(true);
    // vector products stay in JavaScript whatever their volume; from GEMM_MIN_SIDE rows and columns the volume decides
    expect(KERNELS.gemm.preferWasm(false, false, 1, 1, GEMM_MIN_VOLUME, 1, d, 0, 1, d, 0, 1, 0, d, 0, 1)).toBe(false);
    expect(KERNELS.gemm.preferWasm(false, false, 1000, 2, 1000, 1, d, 0, 1, d, 0, 1, 0, d, 0, 1)).toBe(false);
    const k = Math.ceil(GEMM_MIN_VOLUME / GEMM_MIN_SIDE ** 2);
    expect(KERNELS.gemm.preferWasm(false, false, GEMM_MIN_SIDE, GEMM_MIN_SIDE, k, 1, d, 0, 1, d, 0, 1, 0, d, 0, 1)).toBe(true);
    expect(KERNELS.potrf.preferWasm(POTRF_MIN_ORDER - 1, d, 0, 1, d, 0, 1)).toBe(false);
    expect(KERNELS.potrf.preferWasm(POTRF_MIN_ORDER, d, 0, 1, d, 0, 1)).toBe(true);
  });
});

describe('the ops agree across backends, batched, with identical errors', () => {
  const both = <T>(f: () => T): [T, T] => {
    setBackend('js');
    const a = f();
    setBackend('wasm');
    return [a, f()];
  };

  it('batched and broadcast linear algebra: ≤ 1e-12 relative, every matrix of the batch', () => {
    const next = rng(7);
    const n = 37;
    const a = new Float64Array(3 * n * n);
    for (let t = 0; t < 3; t++) a.set(spd(n, next), t * n * n);
    const A = new Tensor(a, [3, n, n]);
    const B = new Tensor(uniform(2 * 1 * n * 5, next), [2, 1, n, 5]);
    const cases: [string, () => Tensor][] = [
      ['cholesky', () => ops.cholesky(A) as Tensor],
      ['triangularSolve (broadcast)', () => ops.triangularSolve(ops.cholesky(A), B, { transpose: true }) as Tensor],
      ['choleskyInverse', () => ops.choleskyInverse(ops.cholesky(A)) as Tensor],
      ['solve (broadcast)', () => ops.solve(A, B) as Tensor],
      ['inv', () => ops.inv(A) as Tensor],
      ['logdet', () => ops.logdet(A) as Tensor],
      ['matmul (broadcast, transposed)', () => ops.matmul(A, B, { transposeA: true }) as Tensor],
    ];
    for (const [name, f] of cases) {
      const [x, y] = both(f);
      expect(y.shape, name).toEqual(x.shape);
      expect(relDiff(y.data, x.data), name).toBeLessThanOrEqual(1e-12);
    }
  });

  it('NotPositiveDefiniteError and SingularMatrixError: same pivot, batch index and (to round-off) value', () => {
    const n = 50;
    const a = new Float64Array(2 * n * n);
    a.set(spd(n, rng(1)), 0);
    const bad = spd(n, rng(2));
    bad[33 * n + 33] -= 100;
    a.set(bad, n * n);
    const A = new Tensor(a, [2, n, n]);
    const [e1, e2] = both(() => {
      try {
        ops.cholesky(A);
      } catch (e) {
        return e as NotPositiveDefiniteError;
      }
      throw new Error('no error');
    });
    expect(e1).toBeInstanceOf(NotPositiveDefiniteError);
    expect(e2).toBeInstanceOf(NotPositiveDefiniteError);
    expect([e2.pivot, e2.batchIndex]).toEqual([e1.pivot, e1.batchIndex]);
    expect([e1.pivot, e1.batchIndex]).toEqual([33, 1]);
    expect(Math.abs(e2.pivotValue - e1.pivotValue)).toBeLessThanOrEqual(1e-12 * Math.abs(e1.pivotValue));

    const s = uniform(n * n, rng(3));
    for (let i = 0; i < n; i++) s[i * n + 20] = 0; // column 20 is zero: LU fails there
    const S = new Tensor(s, [n, n]);
    const L = new Tensor(Float64Array.from(spd(n, rng(4)), (v, q) => (q === 41 * n + 41 ? 0 : v)), [n, n]);
    for (const f of [() => ops.inv(S), () => ops.solve(S, S), () => ops.triangularSolve(L, S), () => ops.choleskyInverse(L)]) {
      const [x, y] = both(() => {
        try {
          f();
        } catch (e) {
          return e as SingularMatrixError;
        }
        throw new Error('no error');
      });
      expect(x).toBeInstanceOf(SingularMatrixError);
      expect(y).toBeInstanceOf(SingularMatrixError);
      expect([y.pivot, y.batchIndex, y.message]).toEqual([x.pivot, x.batchIndex, x.message]);
    }
  });
});

describe('when WebAssembly memory cannot hold a call', () => {
  const cases = [
    ['the operands exceed 32-bit memory', () => new WasmMemoryExhausted(2 ** 33)],
    ['the engine refuses to grow memory (trap)', () => new WebAssembly.RuntimeError('unreachable')],
  ] as const;
  it.each(cases)('%s: the kernel falls back to JavaScript with untouched inputs', (_, error) => {
    setBackend('wasm');
    const a = new Tensor(spd(30, rng(9)), [30, 30]);
    const want = (() => {
      setBackend('js');
      const l = ops.cholesky(a) as Tensor;
      setBackend('wasm');
      return l;
    })();
    const spy = vi.spyOn(Heap.prototype, 'commit').mockImplementation(() => {
      throw error();
    });
    const got = ops.cholesky(a) as Tensor;
    expect(spy).toHaveBeenCalled();
    expect(got.data).toEqual(want.data); // exactly the JavaScript result
  });

  it('other traps (a bug) are not hidden', () => {
    setBackend('wasm');
    vi.spyOn(Heap.prototype, 'commit').mockImplementation(() => {
      throw new WebAssembly.RuntimeError('memory access out of bounds');
    });
    expect(() => ops.cholesky(new Tensor(spd(30, rng(9)), [30, 30]))).toThrow(/out of bounds/);
  });
});
