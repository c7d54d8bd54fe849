"""Single-thread OpenBLAS/LAPACK reference for packages/core/bench/linalg.bench.ts: gemm, Cholesky, triangular solve.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark sets it) by /usr/bin/python3 with numpy and scipy (Debian:
python3-numpy, python3-scipy). Inputs are the same LCG streams as the TypeScript side (bench/harness.ts) and each row
carries a checksum so the benchmark can check both sides solved the same problem. Times are medians after warm-up,
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


def lcg_spd(n, seed):
    b = lcg_uniform(n * n, seed).reshape(n, n)
    return b @ b.T / n + np.eye(n)


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


def blas_libraries():
    """The BLAS/LAPACK shared libraries this process loaded (Debian's numpy uses whatever libblas.so.3 points at)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line or "lapack" in line}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def main():
    dims = [int(d) for d in sys.argv[1:]] or [64, 128, 256, 512]
    rows = []
    for d in dims:
        a = lcg_uniform(d * d, 11).reshape(d, d)
        b = lcg_uniform(d * d, 12).reshape(d, d)
        # Fortran order: LAPACK's native layout, so scipy does not transpose-copy on every call
        s = np.asfortranarray(lcg_spd(d, 13))
        l = np.asfortranarray(np.linalg.cholesky(s))
        rhs = np.asfortranarray(b)
        gemm = timeit(lambda: a @ b)
        potrf = timeit(lambda: sl.lapack.dpotrf(s, lower=1, clean=0))
        trsm = timeit(lambda: sl.blas.dtrsm(1.0, l, rhs, lower=1))
        rows.append({"d": d, "gemm_ms": gemm, "potrf_ms": potrf, "trsm_ms": trsm,
                     "gemm_sum": float((a @ b).sum()), "trsm_sum": float(sl.blas.dtrsm(1.0, l, rhs, lower=1).sum())})
    print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__, "blas": blas_libraries(), "rows": rows}))


if __name__ == "__main__":
    main()
