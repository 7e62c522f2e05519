"""The NaN-ignoring reductions and quantiles on the numba backend against NumPy, numbagg and
bottleneck, side by side in one run, as GB/s and as a share of the read bandwidth measured in the
same run.

    .venv/bin/python benchmarks/bench_nanreduce.py [--n N] [--side S] [--repeat R] [--only OPS] [--out FILE]

Data: float64 with 1% NaN (placed at random), ``n`` values in one 1-D array (default 10⁸, 0.8 GB)
and an ``S`` × ``S`` C-ordered array (default 10⁴ × 10⁴) reduced along axis 0 (over the columns:
rows streamed) and axis 1 (along each row). Operations: nansum, nanmean, nanvar, nanstd, nanmin,
nanmax, nanmedian and nanquantile(q=0.9). Each library's call is timed ``R`` times (default 5,
after an untimed first call, which compiles), libraries interleaved per repeat; the median is
reported. bottleneck has no nanquantile; numbagg has no ``axis=None`` of a 2-D array here (the
cases are 1-D or one axis, which both take).

Bytes: one read of the input, the least any implementation must move, over the median time; the
limit is ``xpmath.bench.limits.read_bandwidth`` (a parallel blocked sum, the same threads) measured
before and after the cases, the higher of the two (a busy neighbour can only slow a probe down).
Every library is checked against NumPy's answer (to 1e-10 relative) before it is timed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

import numpy as np

import xpmath
from xpmath.bench import limits as lim

OPS = ["nansum", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax", "nanmedian", "nanquantile"]
LIBS = ["numba", "numpy", "numbagg", "bottleneck"]


def _impls(op):
    """library -> f(x, axis) for ``op``, or None where the library lacks it."""
    import bottleneck as bn
    import numbagg as nb

    q = 0.9
    if op == "nanquantile":
        return {"numba": lambda x, ax: xpmath.nanquantile(x, q, axis=ax, backend="numba"),
                "numpy": lambda x, ax: np.nanquantile(x, q, axis=ax),
                "numbagg": lambda x, ax: nb.nanquantile(x, q, axis=ax), "bottleneck": None}
    kw = {"ddof": 0} if op in ("nanvar", "nanstd") else {}
    return {"numba": lambda x, ax: getattr(xpmath, op)(x, axis=ax, backend="numba", **kw),
            "numpy": lambda x, ax: getattr(np, op)(x, axis=ax, **kw),
            "numbagg": lambda x, ax: getattr(nb, op)(x, axis=ax, **kw),
            "bottleneck": lambda x, ax: getattr(bn, op)(x, axis=ax, **kw)}


def _data(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    flat[rng.integers(0, flat.size, flat.size // 100)] = np.nan
    return x


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10**8)
    p.add_argument("--side", type=int, default=10**4)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--only", default=",".join(OPS))
    p.add_argument("--out", default=None, help="also write the table to this file")
    a = p.parse_args(argv)
    ops = [o for o in a.only.split(",") if o]
    probe = max(lim.MIN_PROBE_BYTES, 8 * a.n) if a.n >= 10**7 else lim.MIN_PROBE_BYTES
    bw0, how = lim.read_bandwidth(probe)
    lines = []

    def out(s=""):
        print(s, flush=True)
        lines.append(s)

    import bottleneck
    import numba
    import numbagg

    out(f"numpy {np.__version__}, numba {numba.__version__}, numbagg {numbagg.__version__}, bottleneck "
        f"{bottleneck.__version__}; {numba.get_num_threads()} numba threads; {a.repeat} repeats, median")
    cases = [("1-D", (a.n,), None), ("axis 0", (a.side, a.side), 0), ("axis 1", (a.side, a.side), 1)]
    rows = []
    for label, shape, axis in cases:
        x = _data(shape, 7)
        for op in ops:
            impls = _impls(op)
            want = np.asarray(impls["numpy"](x, axis))
            fns = {}
            for lib in LIBS:
                f = impls[lib]
                if f is None:
                    continue
                got = np.asarray(f(x, axis))  # compiles, and checks the answer
                if not np.allclose(got, want, rtol=1e-10, atol=0, equal_nan=True):
                    out(f"  {op} {label} {lib}: differs from NumPy (max rel {np.nanmax(abs(got / want - 1)):.2e})")
                fns[lib] = f
            times = {lib: [] for lib in fns}
            for _ in range(a.repeat):
                for lib, f in fns.items():
                    gc.collect()
                    t = time.perf_counter()
                    f(x, axis)
                    times[lib].append(time.perf_counter() - t)
            med = {lib: statistics.median(v) for lib, v in times.items()}
            rows.append((op, label, shape, med, x.nbytes))
            print(f"  {op:<12}{label:<8}" + "  ".join(f"{lib} {1e3 * m:8.1f} ms" for lib, m in med.items()),
                  file=sys.stderr, flush=True)
        del x
        gc.collect()
    bw1, _ = lim.read_bandwidth(probe)
    bw = max(bw0, bw1)
    out(f"read limit {bw:.1f} GB/s ({how}; {bw0:.1f} before, {bw1:.1f} after the cases, on {probe / 1e9:.1f} GB)")
    out()
    hdr = f"{'op':<12}{'case':<8}{'shape':<14}" + "".join(f"{lib + ' ms':>14}{'GB/s':>7}{'%':>5}" for lib in LIBS)
    out(hdr + f"{'÷numbagg':>10}{'÷bottleneck':>12}")
    out("-" * len(hdr + " " * 22))
    for op, label, shape, med, nbytes in rows:
        cells = ""
        for lib in LIBS:
            if lib in med:
                g = nbytes / med[lib] / 1e9
                cells += f"{1e3 * med[lib]:>14.1f}{g:>7.1f}{min(100, 100 * g / bw):>5.0f}"
            else:
                cells += f"{'-':>14}{'-':>7}{'-':>5}"
        r1 = f"{med['numbagg'] / med['numba']:.2f}x" if "numbagg" in med else "-"
        r2 = f"{med['bottleneck'] / med['numba']:.2f}x" if "bottleneck" in med else "-"
        out(f"{op:<12}{label:<8}{'x'.join(map(str, shape)):<14}{cells}{r1:>10}{r2:>12}")
    out()
    out("÷numbagg, ÷bottleneck: that library's median time over the numba backend's (above 1: numba faster)")
    if a.out:
        with open(a.out, "w") as fh:
            fh.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
