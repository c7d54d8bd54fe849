"""Helpers shared by the Python peers of the benchmarks (bench/*.py, packages/*/bench/*.py): the LCG input streams of
bench/harness.ts, a median timer like its `time`, and which BLAS/LAPACK libraries the process loaded. Plain Python, so
that numpy and torch peers can both use it; a peer elsewhere adds this folder to sys.path to import it.
"""
import time


def lcg_values(n, seed):
    """Deterministic uniforms in [-1, 1) with the same LCG as the TypeScript benchmarks (bench/harness.ts)."""
    s = seed & 0xFFFFFFFF
    out = [0.0] * n
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s / 4294967296 * 2 - 1
    return out


def timeit(fn, min_time=0.15, samples=5, warmup=0.1):
    """Median wall time of `fn` in ms over `samples` batches after warm-up (each batch about min_time / samples)."""
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
    return results[len(results) // 2] * 1000


def blas_libraries():
    """The BLAS/LAPACK shared libraries this process loaded (Debian's numpy and torch use whichever libblas.so.3 the
    alternatives system points at: the slow reference BLAS, or OpenBLAS when libopenblas0 is installed)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line or "lapack" in line}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))
