"""PyTorch counterpart of natgrad's natural gradient in (mu, L).

Two computations, float64, one thread (like the single-threaded JavaScript side):
- forward mode: one JVP of theta -> (mu, L), the same map as @natgrad/distributions' meanCholesky.fromNatural:
  L = flip(Lm^-T) with Lm = chol(flip(-2 theta2)), mu = L (L^T theta1); the tangent is dL/deta = (g1, G2). Lm^-T is
  solve_triangular against the identity (PyTorch has no triangular inverse; natgrad uses its triangularInverse). Uses
  torch.func.jvp when present (torch >= 2.0), else torch.autograd.forward_ad (dual tensors: the same forward mode).
- closed form (for reference): dmu = L (L^T (g1 + 2 G2 mu)), dL = L Phi(2 L^T G2 L), Phi(X) = tril(X) - diag(X)/2.

Run by bench/peers-torch.bench.ts as a server (`--serve`): one JSON request per line on stdin, one JSON reply per line
on stdout, so that the benchmark can interleave PyTorch's batches with its own in one run:
  {"cmd": "setup", "d": 64}                           -> {"checksum_mu": ..., "checksum_L": ..., "closed_mu": ..., "closed_L": ...}
  {"cmd": "time", "d": 64, "what": "jvp" | "closed", "batch_ms": 30, "clock": "cpu" | "wall"} -> {"ms": ms per call}
  {"cmd": "quit"}
The first line printed is {"torch": version, "method": ..., "threads": n, "blas": [...]}.
Without --serve it times the forward mode at the dimensions given (default 4 16 64 256) and prints one JSON line.
"""
import json
import sys
import time

import torch

from peer_common import blas_libraries, lcg_values

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)




def lcg_uniform(n, seed):
    return torch.tensor(lcg_values(n, seed))


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


def closed_form(mu, l, g1, g2):
    """The (mu, L) closed form from dL/deta with G2 symmetric: four products, as one would write it in PyTorch."""
    x = 2 * (l.mT @ (g2 @ l))
    dl = l @ (torch.tril(x) - 0.5 * torch.diag_embed(torch.diagonal(x, dim1=-2, dim2=-1)))
    dmu = l @ (l.mT @ (g1 + 2 * (g2 @ mu)))
    return dmu, dl


def problem(d):
    """The inputs of peers-torch.bench.ts: q = (mu, chol(Sigma)), theta(q), and the direction dL/deta."""
    sigma = spd(d, d)
    prec = torch.linalg.inv(sigma)
    prec = (prec + prec.T) / 2
    mu = lcg_uniform(d, d + 1)
    theta = (prec @ mu, -0.5 * prec)
    tangent = (lcg_uniform(d, d + 2), 0.1 * spd(d, d + 3))
    return {"theta": theta, "tangent": tangent, "mu": mu, "L": torch.linalg.cholesky(sigma)}


def clock(kind):
    return time.process_time if kind == "cpu" else time.perf_counter


class Batch:
    """Times batches of one computation: calibrates the calls per batch once, then reports ms per call."""

    def __init__(self, fn):
        self.fn = fn
        self.reps = 0

    def __call__(self, batch_ms, kind):
        if self.reps == 0:
            t0 = time.perf_counter()
            calls = 0
            while time.perf_counter() - t0 < 0.15 or calls < 2:
                self.fn()
                calls += 1
            per = (time.perf_counter() - t0) / calls
            self.reps = max(1, round(batch_ms / 1000 / max(per, 1e-9)))
        now = clock(kind)
        start = now()
        for _ in range(self.reps):
            self.fn()
        return (now() - start) / self.reps * 1000




def serve():
    print(json.dumps({"torch": torch.__version__, "method": method, "threads": torch.get_num_threads(),
                      "blas": blas_libraries()}), flush=True)
    batches = {}
    for line in sys.stdin:
        req = json.loads(line)
        cmd = req.get("cmd")
        if cmd == "quit":
            break
        d = int(req["d"])
        if cmd == "setup":
            p = problem(d)
            dmu, dl = natgrad(p["theta"], p["tangent"])
            cmu, cl = closed_form(p["mu"], p["L"], *p["tangent"])
            batches[(d, "jvp")] = Batch(lambda p=p: natgrad(p["theta"], p["tangent"]))
            batches[(d, "closed")] = Batch(lambda p=p: closed_form(p["mu"], p["L"], *p["tangent"]))
            reply = {"checksum_mu": float(dmu.sum()), "checksum_L": float(dl.sum()),
                     "closed_mu": float(cmu.sum()), "closed_L": float(cl.sum())}
        elif cmd == "time":
            reply = {"ms": batches[(d, req["what"])](float(req.get("batch_ms", 30)), req.get("clock", "cpu"))}
        else:
            reply = {"error": f"unknown command {cmd!r}"}
        print(json.dumps(reply), flush=True)


def main():
    if sys.argv[1:2] == ["--serve"]:
        serve()
        return
    dims = [int(d) for d in sys.argv[1:]] or [4, 16, 64, 256]
    rows = []
    for d in dims:
        p = problem(d)
        b = Batch(lambda p=p: natgrad(p["theta"], p["tangent"]))
        ms = sorted(b(30, "wall") for _ in range(7))[3]
        dmu, dl = natgrad(p["theta"], p["tangent"])
        rows.append({"d": d, "ms": ms, "checksum_mu": float(dmu.sum()), "checksum_L": float(dl.sum())})
    print(json.dumps({"torch": torch.__version__, "method": method, "threads": torch.get_num_threads(),
                      "blas": blas_libraries(), "rows": rows}))


if __name__ == "__main__":
    main()
