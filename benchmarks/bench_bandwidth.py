"""The numba backend's memory-bound kernels against NumPy, as GB/s and as a share of this machine's
bandwidth measured in the same run.

    .venv/bin/python benchmarks/bench_bandwidth.py [--quick | --n N] [--repeat R] [--gd-steps K] [--json FILE]

Every case goes through the public API, ``backend="numba"`` then ``backend="numpy"``, on the same
data: mean, var, std, norm, median and zscore of ``n`` float64 (default 10⁸, ``--quick`` 10⁷);
cov and corrcoef of ``n/100`` × 64; one gradient step of ``LinearRegression(solver="gd")`` and
``LogisticRegression`` on ``n/100`` × 100.

Bytes moved per call, the least any implementation must move:
- reductions (mean, var, std, norm, median, cov, corrcoef): one read of the input;
- zscore: a read for the moments, then a read and a write; the limit is the rate at which that
  read at the read bandwidth and that copy at the copy bandwidth would take;
- a gradient step: one read of X. Its time is the fit's time over ``n_iter_`` (``max_iter=K``,
  ``tol=0``), so it includes the fit's one-off passes (the finite check of X, the final loss):
  about (K+2)/K of the step alone.

Two timings per backend: back to back (``R`` calls in a row after an untimed first call, which
compiles) and interleaved (numba, numpy, numba, ... with no pause between them: what a program
alternating the two sees; on few cores one library's idle threads can slow the other's call).
The numba backend's OpenMP threads sleep between calls (``OMP_WAIT_POLICY=PASSIVE`` unless set).

The limits come from ``xpmath.bench.limits.measure``, the code ``xpmath bench`` uses, on arrays at
least 8× the last-level cache, measured before and after the cases: each the higher of the two,
since a busy neighbour can only slow a probe down. A case whose inputs fit in that cache is reported "in cache", with
no share; a share above 100% is shown as 100%* (see ``xpmath.bench.report``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import xpmath
from xpmath import _registry
from xpmath.bench import limits as lim
from xpmath.bench import report
from xpmath.bench.workloads import WORKLOADS

BACKENDS = ("numba", "numpy")


@dataclass(frozen=True)
class Case:
    name: str
    shape: str
    make: Callable[[], tuple]  # -> host arrays
    call: Callable  # (*args, backend) -> result
    nbytes: float  # least bytes moved per step
    copy_bytes: float = 0.0  # of nbytes, the part moved as a read and a write (copy bandwidth)
    steps: Callable = lambda result: 1  # steps a call made: its time is divided by this


def _workload_case(op: str, n: int) -> Case:
    w = WORKLOADS[op]
    shape = report.size_label(n) if w.make is WORKLOADS["var"].make else f"{report.size_label(n)}x64"
    return Case(
        op,
        shape,
        lambda: w.make(n, np.dtype(np.float64), np.random.default_rng(0)),
        w.call,
        w.nbytes(n, 8),
        w.copy_nbytes(n, 8) if w.copy_nbytes else 0.0,
    )


def _gd_case(name: str, workload: str, model: Callable, rows: int, k: int) -> Case:
    return Case(
        name,
        f"{report.size_label(rows)}x100",
        lambda: WORKLOADS[workload].make(rows, np.dtype(np.float64), np.random.default_rng(0)),
        lambda X, y, backend: model(max_iter=k, tol=0.0, backend=backend).fit(X, y),
        rows * 100 * 8.0,
        steps=lambda m: max(int(m.n_iter_), 1),
    )


def cases(n: int, gd_steps: int) -> list[Case]:
    rows = max(n // 100, 1)
    out = [_workload_case(op, n) for op in ("mean", "var", "std", "norm", "zscore", "median")]
    out += [_workload_case(op, rows) for op in ("cov", "corrcoef")]
    out.append(
        _gd_case("linreg_gd step", "linreg_gd", lambda **kw: xpmath.LinearRegression(solver="gd", **kw), rows, gd_steps)
    )
    out.append(_gd_case("logreg_gd step", "logreg_gd", xpmath.LogisticRegression, rows, gd_steps))
    return out


def _timed(case: Case, args: tuple, backend: str) -> float:
    """Seconds per step of one call."""
    t0 = time.perf_counter()
    r = case.call(*args, backend=backend)
    t = time.perf_counter() - t0
    return t / case.steps(r)


def run_case(case: Case, repeat: int) -> list[dict]:
    """Both backends' timings of one case, back to back and interleaved (not yet judged)."""
    args = case.make()
    input_bytes = sum(a.nbytes for a in args)
    first = {be: _timed(case, args, be) for be in BACKENDS}  # compiles; pages of new outputs
    times: dict[tuple[str, str], list[float]] = {}
    for be in BACKENDS:
        times[("back to back", be)] = [_timed(case, args, be) for _ in range(repeat)]
    for _ in range(repeat):
        for be in BACKENDS:
            times.setdefault(("interleaved", be), []).append(_timed(case, args, be))
    del args
    gc.collect()
    out = []
    for mode in ("back to back", "interleaved"):
        med = {be: statistics.median(times[(mode, be)]) for be in BACKENDS}
        for be in BACKENDS:
            ts = times[(mode, be)]
            out.append(
                {
                    "op": case.name,
                    "shape": case.shape,
                    "backend": be,
                    "mode": mode,
                    "bytes": case.nbytes,
                    "copy_bytes": case.copy_bytes,
                    "input_bytes": input_bytes,
                    "median_s": med[be],
                    "min_s": min(ts),
                    "max_s": max(ts),
                    "first_call_s": first[be],
                    "numba_speedup": med["numpy"] / med["numba"] if be == "numba" else None,
                }
            )
    return out


def judged(d: dict, limits: dict) -> dict:
    """A timing with its GB/s and its share of the limits (``xpmath.bench.report.judge``)."""
    j = report.judge(
        "read", d["bytes"], d["median_s"], limits, input_bytes=d["input_bytes"], copy_bytes=d["copy_bytes"]
    )
    return {**d, **j}


def _bytes(b: float) -> str:
    return f"{b / 1e9:.2f} GB" if b >= 1e9 else f"{b / 1e6:.0f} MB"


def _ms(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.2f} s"


def table(rs: list[dict]) -> str:
    head = (
        f"{'op':<16}{'shape':>9} {'bytes':>9}  {'backend':<7} {'mode':<13}{'median':>10} {'min-max (ms)':>16}"
        f" {'GB/s':>7} {'of limit':>9} {'limit':<10} {'numba x':>8}"
    )
    lines = [head, "-" * len(head)]
    for d in rs:
        mm = f"{d['min_s'] * 1e3:.1f}-{d['max_s'] * 1e3:.1f}"
        sp = f"{d['numba_speedup']:.2f}x" if d["numba_speedup"] is not None else ""
        lim_name = d["limit_used"].replace("_GBps", "")
        lines.append(
            f"{d['op']:<16}{d['shape']:>9} {_bytes(d['bytes']):>9}  {d['backend']:<7} {d['mode']:<13}"
            f"{_ms(d['median_s']):>10} {mm:>16} {d['throughput']:>7.2f} {report.share_text(d):>9} {lim_name:<10} {sp:>8}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--n", type=float, default=None, help="elements of the vectors (default 1e8; tables have n/100 rows)"
    )
    p.add_argument("--quick", action="store_true", help="n = 1e7 and 3 repeats: about a minute or two")
    p.add_argument("--repeat", type=int, default=None, help="timed calls per backend and mode (default 5, quick 3)")
    p.add_argument("--gd-steps", type=int, default=10, help="max_iter of the gradient-descent fits (default 10)")
    p.add_argument("--only", help="comma-separated case names (default: all)")
    p.add_argument("--json", metavar="FILE", help="write limits and results as JSON")
    a = p.parse_args(argv)
    n = int(a.n if a.n is not None else (1e7 if a.quick else 1e8))
    repeat = a.repeat if a.repeat is not None else (3 if a.quick else 5)
    if n < 1 or repeat < 1 or a.gd_steps < 1:
        p.error("--n, --repeat and --gd-steps must be positive")
    be, why = _registry.status("numba")
    if be is None:
        print(f"the numba backend is not usable here: {why}", file=sys.stderr)
        return 1
    todo = cases(n, a.gd_steps)
    if a.only:
        names = {s.strip() for s in a.only.split(",")}
        todo = [c for c in todo if c.name in names or c.name.split()[0] in names]
    t0 = time.perf_counter()
    print("measuring this machine's limits...", file=sys.stderr)
    before = lim.measure(a.quick, gemm=False)
    timed = []
    for c in todo:
        print(f"  {c.name} {c.shape}...", file=sys.stderr)
        timed.append(run_case(c, repeat))
    print("measuring the limits again...", file=sys.stderr)
    limits = lim.best_of(before, lim.measure(a.quick, gemm=False))
    rs = [judged(d, limits) for case_rows in timed for d in case_rows]
    print(table(rs))
    notes = report.footnotes(rs, limits)
    if notes:
        print(notes)
    print(f"\nlimits: {report.limits_text(limits)}")
    print(
        f"n = {report.size_label(n)}, {repeat} calls per backend and mode, gradient steps: fit time / n_iter_ with "
        f"max_iter={a.gd_steps}, tol=0; {time.perf_counter() - t0:.0f} s"
    )
    if a.json:
        report.write_json(
            a.json,
            {
                "schema": "xpmath-bench-bandwidth/1",
                "machine": report.machine(),
                "versions": report.versions(BACKENDS),
                "threads": report.threads(BACKENDS),
                "n": n,
                "repeat": repeat,
                "gd_steps": a.gd_steps,
                "modes": {
                    "back to back": f"{repeat} calls of one backend in a row after an untimed first call",
                    "interleaved": "numba and numpy alternate call by call, no pause",
                },
                "limits": limits,
                "results": rs,
            },
        )
        print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
