"""A gradient-descent fit against its steps: what the fit costs beyond ``max_iter`` passes over X.

    .venv/bin/python benchmarks/bench_gd_fit.py [--rows 1e6] [--cols 100] [--steps 10] [--repeat 5]

On the numba backend, interleaved round by round (medians): one read of X (the bandwidth probe of
``xpmath.bench.limits``), one step (``linear_gd_step`` through dispatch, loss and gradient), the
loss alone (``grad=False``: the fit's last pass), and ``LinearRegression(solver="gd",
max_iter=steps, tol=0).fit`` — with NumPy's fit alongside; a pause of ``SETTLE`` before each call. It prints the fit's time beyond
``steps`` steps, in reads of X: at most one when the fit reads X once outside its steps (the final
loss; the finite check of X rides on the first step).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import xpmath
from xpmath import _registry
from xpmath._dispatch import impl
from xpmath.bench import limits as lim
from xpmath.bench.runner import SETTLE


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=float, default=1e6)
    p.add_argument("--cols", type=int, default=100)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args(argv)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((int(a.rows), a.cols))
    y = X @ rng.standard_normal(a.cols) + 0.1 * rng.standard_normal(X.shape[0])
    be = _registry.resolve("numba")
    step = impl(be, "linear_gd_step")
    w = np.zeros(a.cols)
    b = np.zeros(())
    read, _ = lim._probe_kernels()
    flat = X.reshape(-1)

    def fit(backend):
        return xpmath.LinearRegression(solver="gd", max_iter=a.steps, tol=0.0, backend=backend).fit(X, y)

    cases = {
        "read X once": lambda: read(flat, lim.PROBE_BLOCK),
        "one step (loss + gradient)": lambda: step(X, y, w, b, 0.0, True),
        "loss alone (last pass)": lambda: step(X, y, w, b, 0.0, True, grad=False),
        f"fit, {a.steps} steps (numba)": lambda: fit("numba"),
        f"fit, {a.steps} steps (numpy)": lambda: fit("numpy"),
    }
    for f in cases.values():
        f()
    ts: dict[str, list[float]] = {c: [] for c in cases}
    for _ in range(a.repeat):
        for c, f in cases.items():
            time.sleep(SETTLE)  # OpenBLAS's threads spin ~0.1 s after NumPy's fit; let them sleep first
            t0 = time.perf_counter()
            f()
            ts[c].append(time.perf_counter() - t0)
    med = {c: statistics.median(t) for c, t in ts.items()}
    for c, t in ts.items():
        print(f"{c:30s} {med[c] * 1e3:8.1f} ms  (min {min(t) * 1e3:.1f}, max {max(t) * 1e3:.1f})"
              f"  {X.nbytes / med[c] / 1e9:6.1f} GB/s of X")
    r, s = med["read X once"], med["one step (loss + gradient)"]
    extra = med[f"fit, {a.steps} steps (numba)"] - a.steps * s
    print(f"\nX {X.shape[0]}x{X.shape[1]} float64 ({X.nbytes / 1e6:.0f} MB); a step is {r / s:.0%} of one read's speed; "
          f"the fit beyond its {a.steps} steps: {extra * 1e3:.1f} ms = {extra / r:.2f} reads of X; "
          f"numba fit {med[f'fit, {a.steps} steps (numpy)'] / med[f'fit, {a.steps} steps (numba)']:.2f}x NumPy's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
