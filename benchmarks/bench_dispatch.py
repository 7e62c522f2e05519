"""The dispatch layer's cost on tiny inputs: xpmath's call against the bare NumPy call, in one run.

    .venv/bin/python benchmarks/bench_dispatch.py [--repeat 7] [--number 20000]

Target: at most 1 µs added per call, in the worst of the repeats. Each run times ``number``
calls; the bare and the xpmath call alternate run by run, and each pair of runs gives one added
cost: the table shows the median and the worst of the ``repeat`` pairs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import timeit

import numpy as np

import xpmath


def cases():
    a3, b3 = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    m2 = np.array([[4.0, 7.0], [2.0, 6.0]])
    return [
        ("dot 3-vectors", lambda: np.dot(a3, b3), lambda: xpmath.dot(a3, b3)),
        ("mean of 3 numbers", lambda: np.mean(a3), lambda: xpmath.mean(a3)),
        ("linalg.inv 2x2", lambda: np.linalg.inv(m2), lambda: xpmath.linalg.inv(m2)),
    ]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--number", type=int, default=20000)
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    xpmath.set_backend("numpy")
    rows = []
    for name, bare, ours in cases():
        ours()
        tb, to = [], []
        for _ in range(a.repeat):
            tb.append(timeit.timeit(bare, number=a.number) / a.number * 1e6)
            to.append(timeit.timeit(ours, number=a.number) / a.number * 1e6)
        mb, mo = statistics.median(tb), statistics.median(to)
        added = [o - b for b, o in zip(tb, to)]
        rows.append({"case": name, "numpy_us": mb, "xpmath_us": mo, "added_us": statistics.median(added),
                     "added_worst_us": max(added)})
    print(f"{'case':<20} {'numpy µs':>9} {'xpmath µs':>10} {'added µs':>9} {'worst':>7}")
    for r in rows:
        print(f"{r['case']:<20} {r['numpy_us']:9.2f} {r['xpmath_us']:10.2f} {r['added_us']:9.2f} "
              f"{r['added_worst_us']:7.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
