"""``auto`` against the faster of numpy and numba, per operation and size, in one run.

    .venv/bin/python benchmarks/bench_auto.py [--repeat 5] [--json FILE]

For each operation ``auto`` chooses by (``xpmath.bench.crossover.CASES``) and each size from 64 to
16.7 million elements, numpy, numba and ``auto`` are timed interleaved (medians). ``auto`` keeps up
when its time is within the dispatch cost (3 µs) and 15 % of the faster backend's: the noise of a
shared machine. Prints one row per operation and size, and the rows where ``auto`` fell behind.
"""

from __future__ import annotations

import argparse
import json
import platform

from xpmath.bench.crossover import CASES, SIZES, measure

SLACK_S, SLACK_REL = 3e-6, 1.15


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--ops", help="comma-separated operations (default: all)")
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    ops = a.ops.split(",") if a.ops else list(CASES)
    rows, behind = [], []
    print(f"{'operation':<24} {'size':>9} {'numpy µs':>10} {'numba µs':>10} {'auto µs':>10} {'auto/best':>9}")
    for op in ops:
        t = measure(op, SIZES, ("numpy", "numba", "auto"), a.repeat)
        for i, n in enumerate(SIZES):
            np_s, nb_s, au_s = t["numpy"][i], t["numba"][i], t["auto"][i]
            if np_s == 0.0:  # too small for this operation's shape
                continue
            best = min(np_s, nb_s)
            ok = au_s <= best * SLACK_REL + SLACK_S
            row = {"op": op, "size": n, "numpy_us": np_s * 1e6, "numba_us": nb_s * 1e6, "auto_us": au_s * 1e6,
                   "auto_over_best": au_s / best, "keeps_up": ok}
            rows.append(row)
            if not ok:
                behind.append(row)
            print(f"{op:<24} {n:>9} {np_s * 1e6:10.1f} {nb_s * 1e6:10.1f} {au_s * 1e6:10.1f} "
                  f"{au_s / best:9.2f}{'' if ok else '  behind'}")
    print(f"\n{len(rows) - len(behind)} of {len(rows)} (operation, size) points keep up with the faster backend")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": platform.platform(), "rows": rows}, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
