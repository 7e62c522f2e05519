"""The numba backend's memory-bound kernels against NumPy, as GB/s (GFLOP/s for the Gram-bound cov
and corrcoef) and as a share of this machine's limits measured in the same run.

    .venv/bin/python benchmarks/bench_bandwidth.py [--quick | --n N] [--repeat R] [--gd-steps K] [--json FILE]
                                                   [--only CASES] [--first-process]

Every case goes through the public API, ``backend="numba"`` then ``backend="numpy"``, on the same
data: mean, var, std, norm, median and zscore of ``n`` float64 (default 10⁸, ``--quick`` 10⁷);
cov and corrcoef of ``n/100`` × 64; one gradient step of ``LinearRegression(solver="gd")`` and
``LogisticRegression`` on ``n/100`` × 100.

Bytes moved per call, the least any implementation must move:
- reductions (mean, var, std, norm, median): one read of the input;
- zscore: a read for the moments, then a read and a write; the limit is the rate at which that
  read at the read bandwidth and that copy at the copy bandwidth would take;
- a gradient step: one read of X. Its time is the fit's time over ``n_iter_`` (``max_iter=K``,
  ``tol=0``), so it includes the fit's one-off passes: the final loss, and on numpy the finite
  check of X (numba's first step stands for it): about (K+1)/K of the step alone on numba, (K+2)/K
  on numpy.

cov and corrcoef read their input once too, but the time goes into the Gram matrix XᵀX of the
centred rows: they are judged as GEMM work, 2·rows·64² FLOP (the full product; a SYRK computes
half), against the peak of NumPy's matrix product measured in the same run (``gemm_GFLOPs``).

Two timings per backend: back to back (``R`` calls in a row after an untimed first call, which
compiles) and interleaved (numba, numpy, numba, ... with no pause between them: what a program
alternating the two sees; on few cores one library's idle threads can slow the other's call).
The numba backend's OpenMP threads sleep between calls (``OMP_WAIT_POLICY=PASSIVE`` unless set).

The limits come from ``xpmath.bench.limits.measure``, the code ``xpmath bench`` uses, on arrays at
least 8× the last-level cache (the GEMM peak only when a Gram-bound case runs), measured before and
after the cases: each the higher of the two, since a busy neighbour can only slow a probe down. A
memory-bound case whose inputs fit in that cache is reported "in cache", with no share; a share
above 100% is shown as 100%* (see ``xpmath.bench.report``).

``--first-process`` runs all of this twice in child processes sharing a new, empty
``NUMBA_CACHE_DIR``: first the process that compiles the numba kernels (as right after an install),
then a later one that loads them from the cache; it prints each case's median and share in both,
and the later/first time ratio (the numpy rows show how much two processes differ anyway).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import xpmath
from xpmath import _registry
from xpmath.bench import limits as lim
from xpmath.bench import processes, report, runner
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
    bound: str = "read"  # "read": judged by nbytes against the bandwidth; "gemm": by flops against the GEMM peak
    flops: float = 0.0  # per step, where bound is "gemm"


def _workload_case(op: str, n: int) -> Case:
    w = WORKLOADS[op]
    shape = report.size_label(n) if w.make is WORKLOADS["var"].make else f"{report.size_label(n)}x64"

    def make():
        return w.make(n, np.dtype(np.float64), np.random.default_rng(0))

    if w.bound == "gemm":
        return Case(op, shape, make, w.call, n * 64 * 8.0, bound="gemm", flops=w.flops(n))
    return Case(op, shape, make, w.call, w.nbytes(n, 8), w.copy_nbytes(n, 8) if w.copy_nbytes else 0.0)


def _gd_case(name: str, workload: str, model: Callable, rows: int, k: int) -> Case:
    return Case(
        name,
        f"{report.size_label(rows)}x100",
        lambda: WORKLOADS[workload].make(rows, np.dtype(np.float64), np.random.default_rng(0)),
        lambda X, y, backend: model(max_iter=k, tol=0.0, backend=backend).fit(X, y),
        rows * 100 * 8.0,
        steps=lambda m: max(int(np.ravel(m.n_iter_)[0]), 1),
    )


def cases(n: int, gd_steps: int) -> list[Case]:
    rows = max(n // 100, 1)
    out = [_workload_case(op, n) for op in ("mean", "var", "std", "norm", "zscore", "median")]
    out += [_workload_case(op, rows) for op in ("cov", "corrcoef")]
    out.append(
        _gd_case("linreg_gd step", "linreg_gd", lambda **kw: xpmath.LinearRegression(solver="gd", **kw), rows, gd_steps)
    )
    out.append(_gd_case("logreg_gd step", "logreg_gd", lambda **kw: xpmath.LogisticRegression(solver="gd", **kw),
                        rows, gd_steps))
    return out


def _timed(case: Case, args: tuple, backend: str) -> float:
    """Seconds per step of one call."""
    t0 = time.perf_counter()
    r = case.call(*args, backend=backend)
    t = time.perf_counter() - t0
    return t / case.steps(r)


def _first_call(case: Case, args: tuple, backend: str) -> tuple[float, float | None]:
    """Seconds per step of the first call and, on numba, how many of them went into compiling
    (0 where the kernels came from the on-disk cache)."""
    if backend != "numba":
        return _timed(case, args, backend), None
    step = []
    _, compile_s = runner._timed_compiling(backend, lambda: step.append(_timed(case, args, backend)))
    return step[0], compile_s


def run_case(case: Case, repeat: int) -> list[dict]:
    """Both backends' timings of one case, back to back and interleaved (not yet judged)."""
    args = case.make()
    input_bytes = sum(a.nbytes for a in args)
    first, compile_s = {}, {}
    for be in BACKENDS:  # compiles; pages of new outputs
        first[be], compile_s[be] = _first_call(case, args, be)
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
                    "bound": case.bound,
                    "bytes": case.nbytes,
                    "copy_bytes": case.copy_bytes,
                    "flops": case.flops if case.bound == "gemm" else None,
                    "input_bytes": input_bytes,
                    "median_s": med[be],
                    "min_s": min(ts),
                    "max_s": max(ts),
                    "first_call_s": first[be],
                    "compile_s": compile_s[be],
                    "numba_speedup": med["numpy"] / med["numba"] if be == "numba" else None,
                }
            )
    return out


def judged(d: dict, limits: dict) -> dict:
    """A timing with its GB/s (GFLOP/s) and its share of the limits (``xpmath.bench.report.judge``)."""
    if d["bound"] == "gemm":
        j = report.judge("gemm", d["flops"], d["median_s"], limits)
    else:
        j = report.judge(
            "read", d["bytes"], d["median_s"], limits, input_bytes=d["input_bytes"], copy_bytes=d["copy_bytes"]
        )
    return {**d, **j}


def _count(d: dict) -> str:
    """The count a row's rate is of: bytes moved, or FLOP where judged as GEMM work."""
    if d["bound"] == "gemm":
        return f"{d['flops'] / 1e9:.2f} GFLOP" if d["flops"] >= 1e9 else f"{d['flops'] / 1e6:.0f} MFLOP"
    b = d["bytes"]
    return f"{b / 1e9:.2f} GB" if b >= 1e9 else f"{b / 1e6:.0f} MB"


def _ms(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.2f} s"


def table(rs: list[dict]) -> str:
    head = (
        f"{'op':<16}{'shape':>9} {'count':>11}  {'backend':<7} {'mode':<13}{'median':>10} {'min-max (ms)':>16}"
        f" {'rate':>15} {'of limit':>9} {'limit':<10} {'numba x':>8}"
    )
    lines = [head, "-" * len(head)]
    for d in rs:
        mm = f"{d['min_s'] * 1e3:.1f}-{d['max_s'] * 1e3:.1f}"
        sp = f"{d['numba_speedup']:.2f}x" if d["numba_speedup"] is not None else ""
        lim_name = d["limit_used"].replace("_GBps", "").replace("_GFLOPs", "")
        lines.append(
            f"{d['op']:<16}{d['shape']:>9} {_count(d):>11}  {d['backend']:<7} {d['mode']:<13}"
            f"{_ms(d['median_s']):>10} {mm:>16} {d['throughput']:>7.2f} {d['unit']:<7} {report.share_text(d):>9}"
            f" {lim_name:<10} {sp:>8}"
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
    p.add_argument(
        "--first-process",
        action="store_true",
        help="run twice in child processes sharing a new, empty NUMBA_CACHE_DIR: the process that compiles the "
        "kernels, then a later one that loads them; print both and the later/first time ratio",
    )
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
        if not todo:
            p.error(f"--only {a.only}: no such case; choose from {', '.join(c.name for c in cases(n, a.gd_steps))}")
    if a.first_process:
        return first_process(a, n, repeat)
    t0 = time.perf_counter()
    gemm = any(c.bound == "gemm" for c in todo)  # the GEMM peak, only where a case is judged against it
    print("measuring this machine's limits...", file=sys.stderr)
    before = lim.measure(a.quick, gemm=gemm)
    timed = []
    for c in todo:
        print(f"  {c.name} {c.shape}...", file=sys.stderr)
        timed.append(run_case(c, repeat))
    print("measuring the limits again...", file=sys.stderr)
    limits = lim.best_of(before, lim.measure(a.quick, gemm=gemm))
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
                "schema": "xpmath-bench-bandwidth/2",  # 2: cov, corrcoef judged as GEMM work (bound, flops)
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


def first_process(a, n: int, repeat: int) -> int:
    """The same run in the process that compiles the kernels and in a later one that loads them."""
    cmd = [sys.executable, os.path.abspath(__file__), "--n", str(n), "--repeat", str(repeat), "--gd-steps", str(a.gd_steps)]
    if a.quick:
        cmd.append("--quick")
    if a.only:
        cmd += ["--only", a.only]
    try:
        processes.run_and_report(cmd, [("op", "<16"), ("shape", ">9"), ("backend", "<7"), ("mode", "<13")], a.json,
                                 "xpmath-bench-bandwidth-first-process/1", "this script")
    except processes.ChildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
