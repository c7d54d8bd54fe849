"""Single-thread scipy reference for packages/core/bench/matfuncs.bench.ts: expm, det, LU factorisation.

Run with OPENBLAS_NUM_THREADS=1 (the benchmark sets it) by /usr/bin/python3 with numpy and scipy. Inputs are the
LCG streams of bench/harness.ts (uniform entries in [-1, 1); the expm input scaled by 4/sqrt(D) so that ||A||_1 is a
few units and the degree-13 approximant with a few squarings runs, like typical parametrisations), and each row
carries checksums so the benchmark can check both sides computed the same thing. Times are medians after warm-up,
like bench/harness.ts's `time`. Prints one JSON line.
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.linalg as sl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench"))
from openblas_linalg import lcg_uniform  # noqa: E402
from peer_common import timeit  # noqa: E402






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
