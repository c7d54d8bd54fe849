"""Single-thread OpenBLAS/LAPACK reference for packages/core/bench/linalg.bench.ts: gemm, Cholesky, triangular solve.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark sets it) by /usr/bin/python3 with numpy and scipy (Debian:
python3-numpy, python3-scipy). Inputs are the same LCG streams as the TypeScript side (bench/harness.ts) and each row
carries a checksum so the benchmark can check both sides solved the same problem. Times are medians after warm-up,
like bench/harness.ts's `time`. Prints one JSON line.
"""
import json
import sys

import numpy as np
import scipy
import scipy.linalg as sl

from peer_common import blas_libraries, lcg_values, timeit


def lcg_uniform(n, seed):
    return np.array(lcg_values(n, seed))




def lcg_spd(n, seed):
    b = lcg_uniform(n * n, seed).reshape(n, n)
    return b @ b.T / n + np.eye(n)






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
