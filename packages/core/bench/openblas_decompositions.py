"""Single-thread LAPACK reference for packages/core/bench/decompositions.bench.ts: eigh, qr, svd.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark sets it) by /usr/bin/python3 with numpy and scipy. Inputs are the LCG
streams of bench/harness.ts (the helpers of bench/openblas_linalg.py), and each row carries checksums so the
benchmark can check both sides decomposed the same matrices. Two LAPACK drivers per decomposition: NumPy's default
(dsyevd, dgesdd: divide and conquer) and the one closest to natgrad's algorithm (dsyev: tridiagonal QL/QR; dgesvd:
bidiagonal QR; LAPACK has no dgesvj in SciPy). Prints one JSON line.
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.linalg as sl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from openblas_linalg import lcg_spd, lcg_uniform  # noqa: E402
from peer_common import blas_libraries, timeit  # noqa: E402


def main():
    dims = [int(d) for d in sys.argv[1:]] or [64, 128, 256]
    rows = []
    for d in dims:
        s = lcg_spd(d, 13)
        a = lcg_uniform(d * d, 11).reshape(d, d)
        quick = {"min_time": 0.3 if d >= 256 else 0.15}
        rows.append({
            "d": d,
            "eigh_ms": timeit(lambda: np.linalg.eigh(s), **quick),
            "eigh_ev_ms": timeit(lambda: sl.eigh(s, driver="ev", check_finite=False), **quick),
            "eigvalsh_ms": timeit(lambda: np.linalg.eigvalsh(s), **quick),
            "qr_ms": timeit(lambda: np.linalg.qr(a), **quick),
            "qr_r_ms": timeit(lambda: np.linalg.qr(a, mode="r"), **quick),
            "svd_ms": timeit(lambda: np.linalg.svd(a, full_matrices=False), **quick),
            "svd_gesvd_ms": timeit(lambda: sl.svd(a, full_matrices=False, lapack_driver="gesvd", check_finite=False), **quick),
            "svdvals_ms": timeit(lambda: np.linalg.svd(a, compute_uv=False), **quick),
            "eig_sum": float(np.linalg.eigvalsh(s).sum()),
            "sv_sum": float(np.linalg.svd(a, compute_uv=False).sum()),
            "r_sum": float(np.linalg.qr(a, mode="r").sum()),
        })
    print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__, "blas": blas_libraries(), "rows": rows}))


if __name__ == "__main__":
    main()
