"""PyTorch counterpart of natgrad's natural gradient in (mu, L): one forward-mode JVP of theta -> (mu, L).

Run by bench/peers-torch.bench.ts with Debian's python3-torch; prints one JSON line. The map is written exactly as
@natgrad/distributions' meanCholesky.fromNatural: L = flip(Lm^-T) with Lm = chol(flip(-2 theta2)), mu = L (L^T theta1);
the tangent is dL/deta = (g1, G2). Uses torch.func.jvp when present (torch >= 2.0), else torch.autograd.forward_ad
(dual tensors: the same forward mode). float64, one thread (like the single-threaded JavaScript side).
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def lcg_uniform(n, seed):
    """Deterministic uniforms in [-1, 1) with the same LCG as the TypeScript benchmarks."""
    s = seed & 0xFFFFFFFF
    out = []
    for _ in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(s / 4294967296 * 2 - 1)
    return torch.tensor(out)


def spd(n, seed):
    b = lcg_uniform(n * n, seed).reshape(n, n)
    a = b @ b.T / n + torch.eye(n)
    return (a + a.T) / 2


def from_natural(theta1, theta2):
    p = -2 * theta2
    lm = torch.linalg.cholesky(torch.flip(p, (-2, -1)))
    eye = torch.eye(p.shape[-1])
    l = torch.flip(torch.linalg.solve_triangular(lm.mT, eye, upper=True), (-2, -1))
    mu = l @ (l.mT @ theta1)
    return mu, l


if hasattr(torch, "func") and hasattr(torch.func, "jvp"):
    method = "torch.func.jvp"

    def natgrad(theta, tangent):
        return torch.func.jvp(from_natural, theta, tangent)[1]

else:
    import torch.autograd.forward_ad as fwad

    method = "torch.autograd.forward_ad"

    def natgrad(theta, tangent):
        with fwad.dual_level():
            t1 = fwad.make_dual(theta[0], tangent[0])
            t2 = fwad.make_dual(theta[1], tangent[1])
            mu, l = from_natural(t1, t2)
            return fwad.unpack_dual(mu).tangent, fwad.unpack_dual(l).tangent


def timeit(fn, min_time=0.15, samples=7, warmup=0.1):
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
    """The BLAS/LAPACK shared libraries this process has loaded (Debian's torch uses whichever libblas.so.3 the
    alternatives system points at: the slow reference BLAS, or OpenBLAS when libopenblas0 is installed)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line or "lapack" in line}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def main():
    dims = [int(d) for d in sys.argv[1:]] or [4, 16, 64, 256]
    rows = []
    for d in dims:
        sigma = spd(d, d)
        prec = torch.linalg.inv(sigma)
        prec = (prec + prec.T) / 2
        mu = lcg_uniform(d, d + 1)
        theta = (prec @ mu, -0.5 * prec)
        tangent = (lcg_uniform(d, d + 2), 0.1 * spd(d, d + 3))
        quick = d >= 64
        ms = timeit(lambda: natgrad(theta, tangent), samples=5 if quick else 7)
        dmu, dl = natgrad(theta, tangent)
        rows.append({"d": d, "ms": ms, "checksum_mu": float(dmu.sum()), "checksum_L": float(dl.sum())})
    print(json.dumps({"torch": torch.__version__, "method": method, "threads": torch.get_num_threads(),
                      "blas": blas_libraries(), "rows": rows}))


if __name__ == "__main__":
    main()
