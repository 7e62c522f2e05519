"""Where each operation's fast backend starts to beat NumPy: what ``auto`` chooses by, per call.

``xpmath bench --tune`` times NumPy and the fast backend (numba on the CPU) side by side on inputs of
growing size, interleaved, and writes the smallest size from which the fast backend wins at every
larger size measured to the user's cache directory (``xpmath._auto``); ``benchmarks/bench_auto.py``
uses the same cases to check that ``auto`` keeps up with the faster of the two at every size.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import xpmath

#: op (as dispatch names it) -> (make(n, rng) -> args whose first array has n elements, call(*args, backend))
CASES: dict[str, tuple[Callable[..., tuple], Callable[..., Any]]] = {}


def _vector(n, rng):
    return (rng.standard_normal(n),)


def _table(n, rng, cols=64):
    # at least as many rows as PCA(8) needs; smaller sizes are not measured
    return (rng.standard_normal((n // cols, cols)),) if n >= 16 * cols else None


def _regression(n, rng, cols=100):
    if n < 16 * cols:
        return None
    X = rng.standard_normal((n // cols, cols))
    return X, X @ rng.standard_normal(cols)


def _classes(n, rng, cols=100):
    if n < 16 * cols:
        return None
    X = rng.standard_normal((n // cols, cols))
    return X, (X[:, 0] > 0).astype(np.float64)


for _op in ("mean", "var", "std", "median", "zscore", "norm"):
    CASES[_op] = (_vector, (lambda f: lambda x, backend: f(x, backend=backend))(getattr(xpmath, _op)))
CASES["cov"] = (_table, lambda x, backend: xpmath.cov(x, rowvar=False, backend=backend))
CASES["corrcoef"] = (_table, lambda x, backend: xpmath.corrcoef(x, rowvar=False, backend=backend))
CASES["PCA.fit"] = (_table, lambda x, backend: xpmath.PCA(8, backend=backend).fit(x))
CASES["LinearRegression.fit"] = (
    _regression, lambda X, y, backend: xpmath.LinearRegression(solver="gd", max_iter=5, tol=0.0, backend=backend)
    .fit(X, y))
CASES["LogisticRegression.fit"] = (
    _classes, lambda X, y, backend: xpmath.LogisticRegression(solver="gd", max_iter=5, tol=0.0,
                                                                 backend=backend).fit(X, y))

SIZES = tuple(4**k for k in range(3, 13))  # 64 … 16.7 million elements


def time_call(f: Callable[[], Any], repeat: int = 5, budget: float = 0.02) -> float:
    """Median seconds of one call of ``f``, each sample averaging enough calls to last ``budget``."""
    t0 = time.perf_counter()
    f()
    one = max(time.perf_counter() - t0, 1e-7)
    number = max(1, int(budget / one))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            f()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples)


def measure(op: str, sizes, backends, repeat: int = 5, seed: int = 0) -> dict[str, list[float]]:
    """Median seconds per call of ``op`` on each backend at each size, the backends interleaved."""
    make, call = CASES[op]
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {b: [] for b in backends}
    for n in sizes:
        args = make(n, rng)
        if args is None:  # too small for this operation's shape: NumPy's (the fast backend is not asked)
            for b in backends:
                out[b].append(float("inf") if b != "numpy" else 0.0)
            continue
        for b in backends:
            call(*args, backend=b)  # compile, warm caches
        per = {b: [] for b in backends}
        for _ in range(repeat):  # interleaved: a noisy moment hurts every backend alike
            for b in backends:
                per[b].append(time_call(lambda: call(*args, backend=b), repeat=1))
        for b in backends:
            out[b].append(statistics.median(per[b]))
    return out


def crossover(sizes, numpy_s, fast_s, margin: float = 0.95) -> int | None:
    """The smallest size from which the fast backend is faster (by ``margin``) at every larger size."""
    best = None
    for n, a, b in reversed(list(zip(sizes, numpy_s, fast_s))):
        if b < margin * a:
            best = n
        else:
            break
    return best


def tune(fast: str = "numba", sizes=SIZES, repeat: int = 5, ops=None, progress=print) -> dict[str, int]:
    """Measure every case's crossover; an operation the fast backend never wins gets none (NumPy always)."""
    found: dict[str, int] = {}
    for op in ops or CASES:
        t = measure(op, sizes, ("numpy", fast), repeat)
        c = crossover(sizes, t["numpy"], t[fast])
        found[op] = c if c is not None else 1 << 62
        progress(f"{op:<24} crossover {'never' if c is None else c:>10}   "
                 + "  ".join(f"{n}:{a / b:.2f}x" for n, a, b in zip(sizes, t["numpy"], t[fast]) if a))
    return found
