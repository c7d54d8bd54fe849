"""Reference trajectories from torch.optim for rules-reference.test.ts.

Reads {"cases": [{"name", "optimiser", "kwargs", "x0", "grads"}]} as JSON on stdin and writes {name: [x after each
update]} on stdout. Every case runs in float64 with the given gradients set by hand at each step (they do not depend
on x), so the trajectory is a function of the optimiser alone. Exits with status 3 when torch is not installed.

torch 1.13 notes: NAdam runs with foreach=True, because 1.13's single-tensor NAdam multiplies mu twice into
mu_product_next (a bug fixed in later releases); the multi-tensor path computes the documented formula.
"""
import json
import sys

try:
    import torch
except ImportError:
    sys.exit(3)

torch.set_default_dtype(torch.float64)

FOREACH = {"NAdam"}


def run(case):
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    kwargs = dict(case["kwargs"])
    for k in ("betas", "etas", "step_sizes"):
        if k in kwargs:
            kwargs[k] = tuple(kwargs[k])
    if case["optimiser"] in FOREACH:
        kwargs["foreach"] = True
    opt = getattr(torch.optim, case["optimiser"])([x], **kwargs)
    out = []
    for g in case["grads"]:
        x.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append([float(v) for v in x.detach()])
    return out


def main():
    spec = json.load(sys.stdin)
    json.dump({c["name"]: run(c) for c in spec["cases"]}, sys.stdout)


if __name__ == "__main__":
    main()
