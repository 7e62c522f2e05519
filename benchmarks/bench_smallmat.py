"""Stacks of small matrices: the numba backend's kernels against NumPy, side by side in one run.

    .venv/bin/python benchmarks/bench_smallmat.py [--count 1000000] [--sizes 2,3,4,8]
        [--ops inv,solve,det,slogdet,cholesky,eigh,eigvalsh] [--dtype float64] [--repeat 5]
        [--out FILE] [--json FILE]
    .venv/bin/python benchmarks/bench_smallmat.py --crossover [--sizes 2,8]   # where numba starts to win

For each (op, n): ``count`` random n×n matrices (symmetric positive definite for cholesky, eigh and
eigvalsh; ``b`` of shape (count, n, 1) for solve), then ``xpmath.linalg.<op>`` with
``backend="numpy"`` and ``backend="numba"`` taking turns, ``repeat`` rounds, medians; and NumPy's
own ``numpy.linalg.<op>`` beside them (the numpy backend adds its input checks to it). The
numba kernels are loaded from Numba's on-disk cache: a child process fills it first, and the first
call in this process is timed apart (its compile time, from Numba's events, should be 0).

``--crossover`` times both backends' ops on stacks of 16 to 16384 matrices (the numba backend's
rule forced to take every stack) and prints the smallest stack from which numba is faster at every
larger size: the ``MIN_STACK`` table of ``backends/numba_backend/linalg.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

OPS = ("inv", "solve", "det", "slogdet", "cholesky", "eigh", "eigvalsh")


def make(op, n, count, dtype, rng):
    a = rng.standard_normal((count, n, n))
    if op in ("cholesky", "eigh", "eigvalsh"):
        a = a @ a.transpose(0, 2, 1) / n + np.eye(n)
        return (a.astype(dtype),)
    if op == "solve":
        return (a.astype(dtype), rng.standard_normal((count, n, 1)).astype(dtype))
    return (a.astype(dtype),)


def calls(op):
    import xpmath

    f = getattr(xpmath.linalg, op)
    g = getattr(np.linalg, op)
    return (lambda *a: f(*a, backend="numpy")), (lambda *a: f(*a, backend="numba")), g


def _compile_s(fn):
    """(wall seconds of fn(), seconds of it in Numba's compiler)."""
    from numba.core import event

    with event.install_recorder("numba:compile") as rec:
        t0 = time.perf_counter()
        fn()
        t = time.perf_counter() - t0
    depth, start, total = 0, 0.0, 0.0
    for ts, ev in rec.buffer:
        if ev.is_start:
            start = ts if depth == 0 else start
            depth += 1
        elif ev.is_end and depth:
            depth -= 1
            total += (ts - start) if depth == 0 else 0.0
    return t, total


def _timed(fn, *args):
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def bench(ops, sizes, count, dtype, repeat):
    rows = []
    for op in ops:
        np_be, nb_be, bare = calls(op)
        for n in sizes:
            args = make(op, n, count, dtype, np.random.default_rng(n))
            first, comp = _compile_s(lambda: nb_be(*args))
            t = {"numpy": [], "numba": [], "numpy.linalg": []}
            for _ in range(repeat):  # the backends take turns: each round sees the same machine
                t["numpy.linalg"].append(_timed(bare, *args))
                t["numpy"].append(_timed(np_be, *args))
                t["numba"].append(_timed(nb_be, *args))
            med = {k: float(np.median(v)) for k, v in t.items()}
            rows.append({"op": op, "n": n, "count": count, "dtype": np.dtype(dtype).name,
                         "numpy_s": med["numpy"], "numba_s": med["numba"], "numpy_linalg_s": med["numpy.linalg"],
                         "ratio": med["numpy"] / med["numba"], "ratio_bare": med["numpy.linalg"] / med["numba"],
                         "numba_first_s": first, "numba_compile_s": comp, "times": t})
            r = rows[-1]
            print(f"{op:<9}{n:>3}{r['numpy_linalg_s'] * 1e3:>12.1f}{r['numpy_s'] * 1e3:>12.1f}"
                  f"{r['numba_s'] * 1e3:>12.1f}{r['ratio']:>9.1f}×{r['ratio_bare']:>9.1f}×"
                  f"{first * 1e3:>12.1f}{comp:>10.2f}", flush=True)
    return rows


def crossover(ops, sizes, dtype, repeat):
    from xpmath_backends.numba_backend import linalg as nl

    counts = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 16384]
    saved = dict(nl.MIN_STACK)
    nl.MIN_STACK.update({op: 1 for op in nl.MIN_STACK})  # the kernels take every stack
    out = {}
    try:
        for op in ops:
            np_be, nb_be, _ = calls(op)
            for n in sizes:
                wins = []
                for c in counts:
                    args = make(op, n, c, dtype, np.random.default_rng(c))
                    nb_be(*args)
                    tn, tb = [], []
                    reps = max(repeat, int(2e5 // (c * n * n)) + 3)
                    for _ in range(reps):
                        tn.append(_timed(np_be, *args))
                        tb.append(_timed(nb_be, *args))
                    wins.append(np.median(tb) < np.median(tn))
                    print(f"{op:<9}{n:>3}{c:>7}{np.median(tn) * 1e6:>11.1f} µs{np.median(tb) * 1e6:>11.1f} µs",
                          flush=True)
                first = next((c for i, c in enumerate(counts) if all(wins[i:])), None)
                out[(op, n)] = first
                print(f"{op} n={n}: numba faster from {first} matrices on", flush=True)
    finally:
        nl.MIN_STACK.update(saved)
    return out


def _warm_cache(ops, sizes, dtype):
    """Compile the kernels in a child process, so that this one loads them from the cache."""
    code = ("import sys, numpy as np; sys.path.insert(0, %r); import bench_smallmat as b\n"
            "for op in %r:\n    f = b.calls(op)[1]\n    for n in %r:\n        f(*b.make(op, n, 4096, %r, np.random.default_rng(0)))\n"
            % (os.path.dirname(os.path.abspath(__file__)), list(ops), list(sizes), np.dtype(dtype).name))
    subprocess.run([sys.executable, "-c", code], check=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1_000_000)
    p.add_argument("--sizes", default="2,3,4,8")
    p.add_argument("--ops", default=",".join(OPS))
    p.add_argument("--dtype", default="float64")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--crossover", action="store_true")
    p.add_argument("--out", metavar="FILE", help="also write the table here")
    p.add_argument("--note", default="", help="a line about the machine for the header (e.g. shared with other jobs)")
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    ops = a.ops.split(",")
    sizes = [int(s) for s in a.sizes.split(",")]
    import numba

    import xpmath

    header = (f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; NumPy {np.__version__}, "
              f"Numba {numba.__version__}, xpmath {xpmath.__version__}; {a.dtype}; medians of {a.repeat}, "
              "backends taking turns" + (f"; {a.note}" if a.note else ""))
    print(header)
    if a.crossover:
        crossover(ops, sizes, a.dtype, a.repeat)
        return
    _warm_cache(ops, sizes, a.dtype)
    print(f"{'op':<9}{'n':>3}{'np.linalg ms':>12}{'numpy ms':>12}{'numba ms':>12}{'ratio':>10}{'vs bare':>10}"
          f"{'1st call ms':>12}{'compile s':>10}")
    rows = bench(ops, sizes, a.count, a.dtype, a.repeat)
    if a.out:
        with open(a.out, "w") as f:
            f.write(header + f"\n# {a.count} matrices each; ratio = numpy backend / numba backend, vs bare = "
                    "numpy.linalg / numba backend; 1st call: numba's first call in this process (kernels from "
                    "the cache), compile: seconds of it in Numba's compiler\n")
            f.write(f"{'op':<9}{'n':>3}{'np.linalg ms':>13}{'numpy ms':>11}{'numba ms':>11}{'ratio':>9}{'vs bare':>10}"
                    f"{'1st call ms':>13}{'compile s':>11}\n")
            for r in rows:
                f.write(f"{r['op']:<9}{r['n']:>3}{r['numpy_linalg_s'] * 1e3:>13.1f}{r['numpy_s'] * 1e3:>11.1f}"
                        f"{r['numba_s'] * 1e3:>11.1f}{r['ratio']:>8.1f}×{r['ratio_bare']:>9.1f}×"
                        f"{r['numba_first_s'] * 1e3:>13.1f}{r['numba_compile_s']:>11.2f}\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"header": header, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
