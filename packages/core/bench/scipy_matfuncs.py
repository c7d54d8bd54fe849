"""Single-thread scipy reference for packages/core/bench/matfuncs.bench.ts: expm, det, LU factorisation.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark sets it) by /usr/bin/python3 with numpy and scipy. Inputs are the
LCG streams of bench/harness.ts (uniform entries in [-1, 1); the expm input scaled by 4/sqrt(D) so that ||A||_1 is a
few units and the degree-13 approximant with a few squarings runs, like typical parametrisations), and each row
carries checksums so the benchmark can check both sides computed the same thing. Times are medians after warm-up,
like bench/harness.ts's `time`. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.linalg as sl


def lcg_uniform(n, seed):
    s = seed & 0xFFFFFFFF
    out = np.empty(n)
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s / 4294967296 * 2 - 1
    return out


def timeit(fn, min_time=0.15, samples=5, warmup=0.1):
    t0 = time.perf_counter()
    calls = 0
    while time.perf_counter() - t0 < warmup or calls < 2:
        fn()
        calls += 1
    per_call = (time.perf_counter() - t0) / calls
    reps = max(1, int(min_time / samples / max(per_call, 1e-9)) + 1)
    results = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(reps):
            fn()
        results.append((time.perf_counter() - start) / reps)
    results.sort()
    return results[len(results) // 2] * 1000  # ms


def main():
    dims = [int(d) for d in sys.argv[1:]] or [64, 256]
    rows = []
    for d in dims:
        a = lcg_uniform(d * d, 21).reshape(d, d)
        e = a * (4 / np.sqrt(d))
        rows.append({
            "d": d,
            "expm_ms": timeit(lambda: sl.expm(e)),
            "det_ms": timeit(lambda: sl.det(a, check_finite=False)),
            "lu_ms": timeit(lambda: sl.lu_factor(a, check_finite=False)),
            "expm_sum": float(sl.expm(e).sum()),
            "slogdet": float(np.linalg.slogdet(a)[1]),
            "lu_sum": float(sl.lu_factor(a)[0].sum()),
        })
    print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__, "rows": rows}))


if __name__ == "__main__":
    main()
