"""LogisticRegression against scikit-learn's: the time to scikit-learn's final loss, and the passes over X.

    .venv/bin/python benchmarks/bench_logistic.py [--rows 1e6] [--cols 100] [--repeat 3] [--small-repeat 21]
                                                  [--solvers lbfgs,newton-cholesky] [--skip-large] [--skip-small]
                                                  [--json FILE]

    # 10⁶ × 1000, the large case only: X is 8 GB of float64, and make_classification holds a
    # temporary of X's size while it builds it (about 16 GB at the peak)
    .venv/bin/python benchmarks/bench_logistic.py --cols 1000 --skip-small --repeat 3

For each data set and solver, scikit-learn fits with its defaults (``C=1``, ``tol=1e-4``,
``max_iter=100``); its final objective (the mean log-loss plus ``‖w‖²/(2·C·n)``) is the target.
xpmath's fit on the ``numba`` and ``numpy`` backends, also with the defaults, counts when its own
final objective is within 1e-6 (relative) of that target; where it is not, the fit is repeated with
``tol`` ten times smaller (then 100 times...) until it is, and that fit's time is the figure. The
contenders run interleaved, round by round (sklearn, numba, numpy, sklearn, ...), and each figure is
the median of the rounds; the first call of each is untimed (Numba compiles or loads its kernels).

Data: ``make_classification(n_samples=rows, n_features=cols, random_state=0)`` (float64), and the
small ``load_breast_cancer`` (569 × 30, raw features and standardised) and ``load_digits``
(1797 × 64, 10 classes). The passes over X: xpmath counts its own (one per loss-and-gradient, one per
Hessian, one per Hessian-vector product); scikit-learn's L-BFGS reads X twice per evaluation
(``X @ w`` and ``Xᵀ g``), counted from SciPy's evaluations.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import types
import warnings

import numpy as np

import xpmath
from xpmath.models import _logistic as xp_logistic
from xpmath.optimize._passes import LinearLoss

BACKENDS = ("numba", "numpy")
TARGET = 1e-6


class _Counted(LinearLoss):
    """The objective of xpmath's fit, kept so that its passes over X can be read after the fit."""

    last = None

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        _Counted.last = self


def _sklearn_evaluations():
    """Count SciPy's evaluations in scikit-learn's L-BFGS fits (each reads X twice)."""
    import scipy.optimize
    import sklearn.linear_model._logistic as sk_logistic

    seen = {"nfev": 0}

    def minimize(*args, **kw):
        r = scipy.optimize.minimize(*args, **kw)
        seen["nfev"] = int(r.nfev)
        return r

    sk_logistic.optimize = types.SimpleNamespace(minimize=minimize)
    return seen


def objective(X, y, coef, intercept, C=1.0):
    """scikit-learn's objective at (coef, intercept): mean log-loss plus ‖W‖² / (2·C·n)."""
    classes = np.unique(y)
    be = xpmath._registry.get("numpy")
    if classes.size == 2:
        obj = LinearLoss(be, "logistic", X, (y == classes[1]).astype(X.dtype), 1.0 / C, True)
        theta = np.concatenate([coef[0], intercept])
    else:
        obj = LinearLoss(be, "softmax", X, (y[:, None] == classes[None, :]).astype(X.dtype), 1.0 / C, True)
        theta = np.concatenate([coef.T.ravel(), intercept])
    return float(obj.loss(theta))


def _timed(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        m = f()
        return time.perf_counter() - t, m


def bench(name, X, y, solver, repeat, seen):
    """One data set and solver: every contender's median time, final loss, iterations and passes."""
    from sklearn.linear_model import LogisticRegression as SK

    sk = lambda: SK(solver=solver).fit(X, y)  # noqa: E731
    _, ref = _timed(sk)
    target = objective(X, y, ref.coef_, ref.intercept_)
    sk_fev = seen["nfev"] if solver == "lbfgs" else None
    tols = {}
    for be in BACKENDS:  # the loosest tol that reaches scikit-learn's loss
        tol = 1e-4
        while True:
            _, m = _timed(lambda: xpmath.LogisticRegression(solver=solver, tol=tol, backend=be).fit(X, y))
            if objective(X, y, m.coef_, m.intercept_) <= target * (1 + TARGET) or tol < 1e-12:
                break
            tol /= 10
        tols[be] = tol
    times = {k: [] for k in ("sklearn", *BACKENDS)}
    fits = {}
    for _ in range(repeat):
        t, ref = _timed(sk)
        times["sklearn"].append(t)
        for be in BACKENDS:
            t, m = _timed(lambda: xpmath.LogisticRegression(solver=solver, tol=tols[be], backend=be).fit(X, y))
            times[be].append(t)
            fits[be] = (m, _Counted.last.passes)
    row = {"data": name, "shape": f"{X.shape[0]}x{X.shape[1]}", "classes": int(np.unique(y).size), "solver": solver,
           "sklearn_s": statistics.median(times["sklearn"]), "sklearn_n_iter": int(ref.n_iter_[0]),
           "sklearn_passes": None if sk_fev is None else 2 * sk_fev, "target_loss": target}
    for be in BACKENDS:
        m, passes = fits[be]
        row[f"{be}_s"] = statistics.median(times[be])
        row[f"{be}_ratio"] = row[f"{be}_s"] / row["sklearn_s"]
        row[f"{be}_n_iter"] = int(m.n_iter_[0])
        row[f"{be}_passes"] = int(passes)
        row[f"{be}_tol"] = tols[be]
        row[f"{be}_loss_rel"] = objective(X, y, m.coef_, m.intercept_) / target - 1
    return row


def show(rows):
    head = (f"{'data':<22} {'solver':<16} {'sklearn':>9} {'n_iter':>6} {'passes':>6} | "
            + " | ".join(f"{be + ' (× sklearn)':>18} {'n_iter':>6} {'passes':>6} {'tol':>6}" for be in BACKENDS))
    print(head)
    print("-" * len(head))
    for r in rows:
        sk_passes = "-" if r["sklearn_passes"] is None else str(r["sklearn_passes"])
        line = (f"{r['data'] + ' ' + r['shape']:<22} {r['solver']:<16} {r['sklearn_s'] * 1e3:>7.1f}ms "
                f"{r['sklearn_n_iter']:>6} {sk_passes:>6} | ")
        line += " | ".join(f"{r[f'{be}_s'] * 1e3:>8.1f}ms ({r[f'{be}_ratio']:>4.2f}×) {r[f'{be}_n_iter']:>6} "
                           f"{r[f'{be}_passes']:>6} {r[f'{be}_tol']:>6.0e}" for be in BACKENDS)
        print(line)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=float, default=1e6)
    p.add_argument("--cols", type=int, default=100)
    p.add_argument("--repeat", type=int, default=3, help="rounds on the large data (default 3)")
    p.add_argument("--small-repeat", type=int, default=21, help="rounds on the small data (default 21)")
    p.add_argument("--solvers", default="lbfgs,newton-cholesky")
    p.add_argument("--skip-large", action="store_true")
    p.add_argument("--skip-small", action="store_true", help="only make_classification (rows x cols)")
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    from sklearn.datasets import load_breast_cancer, load_digits, make_classification
    from sklearn.preprocessing import StandardScaler

    xp_logistic.LinearLoss = _Counted
    seen = _sklearn_evaluations()
    solvers = [s.strip() for s in a.solvers.split(",") if s.strip()]
    X, y = load_breast_cancer(return_X_y=True)
    D, yd = load_digits(return_X_y=True)
    cases = [("breast_cancer raw", X, y), ("breast_cancer std", StandardScaler().fit_transform(X), y),
             ("digits", D / 16.0, yd)]
    rows = []
    t0 = time.perf_counter()
    for name, Xc, yc in [] if a.skip_small else cases:
        for s in solvers:
            print(f"  {name} {s}...", file=sys.stderr)
            rows.append(bench(name, Xc, yc, s, a.small_repeat, seen))
    if not a.skip_large:
        print(f"  make_classification {int(a.rows)}x{a.cols}...", file=sys.stderr)
        XL, yl = make_classification(n_samples=int(a.rows), n_features=a.cols, random_state=0)
        for s in solvers:
            print(f"  make_classification {s}...", file=sys.stderr)
            rows.append(bench("make_classification", XL, yl, s, a.repeat, seen))
    print(f"LogisticRegression: median time to scikit-learn's final loss (within {TARGET:g} relative); "
          f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores; {time.perf_counter() - t0:.0f} s")
    show(rows)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump({"target_rel": TARGET, "rows": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
