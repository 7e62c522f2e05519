"""The dask backend's time with and without a lost worker: var, cov, solve and a fit.

    .venv/bin/python benchmarks/bench_dask_faults.py [--rows 4e6] [--cols 16] [--n 3000] [--repeat 3]
        [--out benchmarks/results/dask-faults]

On a ``LocalCluster(processes=True)`` of two single-threaded workers under nannies, each op is timed
undisturbed (median of ``--repeat``), then once more with one worker killed (SIGKILL, by its process
id) at ``--at`` (a fraction) of the undisturbed time; the nanny restarts it and Dask recomputes what it
held. The disturbed result is checked against the undisturbed one. The data are generated on the
workers (``dask.array.random``), so nothing large is shipped from this process.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import threading
import time

import numpy as np

import xpmath
from xpmath._files import write_text
from xpmath.bench.report import write_json


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=float, default=4e6)
    p.add_argument("--cols", type=int, default=16)
    p.add_argument("--n", type=int, default=3000, help="solve's matrix side")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--at", type=float, default=0.4)
    p.add_argument("--out", default=None)
    a = p.parse_args(argv)
    import dask.array as da
    from distributed import Client, LocalCluster

    rows, d, n = int(a.rows), a.cols, a.n
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as cl, Client(cl) as c, xpmath.config_context(dask_scheduler=cl.scheduler_address):
        g = da.random.default_rng(0)
        X = g.standard_normal((rows, d), chunks=(rows // 16, d))
        y = X @ np.linspace(-1, 1, d) + 0.1 * g.standard_normal(rows, chunks=rows // 16)
        M = g.standard_normal((n, n), chunks=(n // 3, n // 3)) + n * da.eye(n, chunks=n // 3)
        b = g.standard_normal(n, chunks=n // 3)
        ops = {
            "var": lambda: xpmath.to_numpy(xpmath.var(X, axis=0, backend="dask")),
            "cov": lambda: xpmath.to_numpy(xpmath.cov(X, rowvar=False, backend="dask")),
            "solve": lambda: xpmath.to_numpy(xpmath.linalg.solve(M, b, backend="dask")),
            "LinearRegression.fit": lambda: xpmath.to_numpy(
                xpmath.LinearRegression(backend="dask").fit(X, y).coef_),
        }
        res = {}
        for name, fn in ops.items():
            fn()  # warm: the workers' imports, the graph's functions shipped
            times, calm = [], None
            for _ in range(a.repeat):
                t = time.perf_counter()
                calm = fn()
                times.append(time.perf_counter() - t)
            base = statistics.median(times)
            c.wait_for_workers(2, timeout=120)
            pids = sorted(c.run(os.getpid).values())
            killer = threading.Timer(a.at * base, os.kill, (pids[0], signal.SIGKILL))
            t = time.perf_counter()
            killer.start()
            got = fn()
            faulted = time.perf_counter() - t
            killer.join()
            same = bool(np.allclose(got, calm, rtol=1e-10, atol=1e-13))
            res[name] = {"calm_s": base, "calm_all_s": times, "lost_worker_s": faulted, "ratio": faulted / base,
                         "killed_at_s": a.at * base, "same_result": same}
            c.wait_for_workers(2, timeout=120)
        # xpmath's own client of this cluster, closed before the cluster is: left open, it would
        # log its failed reconnections once the scheduler has gone
        from xpmath_backends.dask_backend import _close_clients

        _close_clients()
    lines = [f"dask with a lost worker: LocalCluster(processes=True), 2 workers × 1 thread, nannies; X {rows}×{d} "
             f"float64 in 16 chunks, solve {n}×{n} in 3×3 blocks; one worker SIGKILLed at {a.at:g}× the calm time"]
    lines.append(f"  {'op':<22}{'calm (median)':>14}{'lost worker':>13}{'ratio':>8}  same result")
    for k, v in res.items():
        lines.append(f"  {k:<22}{v['calm_s']:12.2f} s{v['lost_worker_s']:11.2f} s{v['ratio']:7.2f}x  {v['same_result']}")
    text = "\n".join(lines)
    print(text)
    if a.out:
        write_json(a.out + ".json", res)
        write_text(a.out + ".txt", text + "\n")
    return 0 if all(v["same_result"] for v in res.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
