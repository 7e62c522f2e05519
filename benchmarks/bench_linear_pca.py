"""LinearRegression and PCA fits against scikit-learn's, on numpy, numba and dask side by side.

    .venv/bin/python benchmarks/bench_linear_pca.py [--shapes 1e6x100,569x30] [--repeat 3,21] [--json FILE]

For each shape, interleaved round by round (medians of ``--repeat`` rounds, a pause of ``SETTLE``
before each fit): scikit-learn 1.9's ``LinearRegression().fit``, the same with ``sample_weight``, and
``PCA(10).fit`` with each ``svd_solver`` (``"auto"`` picks ``covariance_eigh`` for tall data, as
scikit-learn's), then xpmath's with the same arguments on each backend. Host data throughout (the
Dask runs chunk it by rows and factorise by TSQR). ``"arpack"`` is SciPy's on NumPy arrays only, so
it has no Dask column. Each row also gives the largest difference of the coefficients (components)
from scikit-learn's, relative to their largest magnitude: the same answers (the randomized solver's
differ by its approximation, the random streams of the backends not being NumPy's).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np

import xpmath
from xpmath.bench.runner import SETTLE

BACKENDS = ("numpy", "numba", "dask")
PCA_SOLVERS = ("auto", "covariance_eigh", "full", "randomized", "arpack")
#: the (solver, backend) pairs xpmath does not offer, as scikit-learn offers ARPACK on NumPy arrays only
NOT_OFFERED = {("PCA(10, arpack)", "dask")}


def _cases(X, y, sw):
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LinearRegression

    def lin(fit):
        def make(be):
            est = LinearRegression() if be is None else xpmath.LinearRegression(backend=be)
            return lambda: est.fit(X, y, **fit).coef_
        return make

    def pca(solver):
        kw = {"svd_solver": solver, "random_state": 0}

        def make(be):
            est = PCA(10, **kw) if be is None else xpmath.PCA(10, backend=be, **kw)
            return lambda: est.fit(X).components_
        return make

    cases = {"LinearRegression": lin({}), "LinearRegression(sample_weight)": lin({"sample_weight": sw})}
    cases.update({f"PCA(10, {s})": pca(s) for s in PCA_SOLVERS})
    return cases


def _data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) @ np.diag(np.linspace(1.0, 5.0, d)) + np.linspace(-2.0, 8.0, d)
    y = X @ rng.standard_normal(d) + 0.5 + rng.standard_normal(n)
    return X, y, rng.uniform(0.5, 2.0, size=n)


def _timed(f):
    time.sleep(SETTLE)
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, xpmath.to_numpy(r)


def _shape(s: str) -> tuple[int, int]:
    n, d = s.lower().split("x")
    return int(float(n)), int(d)


def bench(n: int, d: int, repeat: int, only: str = "") -> list[dict]:
    """One shape: prints its table, returns its rows."""
    runners = ("sklearn",) + BACKENDS
    # warm up on a small slice (imports, Numba's compilation, Dask's first graph): not a full-size fit
    small = _cases(*_data(min(n, 2_000), d, seed=1))
    X, y, sw = _data(n, d)
    cases = _cases(X, y, sw)
    if only:
        cases = {k: v for k, v in cases.items() if k in only.split(",")}
    for c in cases:
        for r in runners:
            if (c, r) not in NOT_OFFERED:
                small[c](None if r == "sklearn" else r)()
    times = {(c, r): [] for c in cases for r in runners}
    answers = {}
    for _ in range(repeat):
        for c, make in cases.items():
            for r in runners:
                if (c, r) in NOT_OFFERED:
                    continue
                dt, ans = _timed(make(None if r == "sklearn" else r))
                times[(c, r)].append(dt)
                answers[(c, r)] = ans
    print(f"\n{n:,} x {d} float64, medians of {repeat} rounds; {platform.processor() or platform.machine()}; "
          f"xpmath {xpmath.__version__} vs scikit-learn")
    head = f"{'fit':<32}" + "".join(f"{r:>12}" for r in runners) + "   max |Δ| / max |ref| per backend"
    print(head)
    print("-" * len(head))
    rows = []
    for c in cases:
        ran = [r for r in runners if (c, r) not in NOT_OFFERED]
        med = {r: statistics.median(times[(c, r)]) for r in ran}
        ref = answers[(c, "sklearn")]
        scale = float(np.abs(ref).max()) or 1.0
        # components' signs follow svd_flip on both sides: compared as they come
        diffs = {r: float(np.abs(answers[(c, r)] - ref).max()) / scale for r in ran if r != "sklearn"}
        cell = (lambda r, f: f(r) if r in med else f"{'-':>12}")
        print(f"{c:<32}" + "".join(cell(r, lambda r: f"{_fmt(med[r]):>12}") for r in runners) + "   "
              + "  ".join(f"{r} {diffs[r]:.1e}" for r in diffs))
        print(f"{'  speed-up over scikit-learn':<32}{'':>12}"
              + "".join(cell(r, lambda r: f"{med['sklearn'] / med[r]:>11.2f}x") for r in BACKENDS))
        rows.append({"fit": c, "rows": n, "cols": d, "seconds": med, "relative_difference": diffs})
    return rows


def _fmt(s: float) -> str:
    return f"{s:.3f} s" if s >= 1 else f"{s * 1e3:.2f} ms"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shapes", default="1e6x100,569x30", help="comma-separated n_samples x n_features")
    p.add_argument("--repeat", default="3,21", help="rounds per shape (one value, or one per shape)")
    p.add_argument("--only", default="", help="comma-separated case names (default: all)")
    p.add_argument("--json", default="")
    a = p.parse_args(argv)
    shapes = [_shape(s) for s in a.shapes.split(",")]
    reps = [int(r) for r in a.repeat.split(",")]
    reps = reps + [reps[-1]] * (len(shapes) - len(reps))
    t0 = time.perf_counter()
    rows = [row for (n, d), k in zip(shapes, reps) for row in bench(n, d, k, a.only)]
    print(f"\n({time.perf_counter() - t0:.0f} s in all)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"shapes": a.shapes, "repeat": reps, "results": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
