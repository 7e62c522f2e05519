"""The numba backend's first call of each operation in a new process: cold (an empty Numba cache,
so the call compiles) and warm (that cache filled by the cold run), against the steady state.

    .venv/bin/python benchmarks/bench_numba_first_call.py [--ops inv,solve] [--size 64] [--out FILE]

Each measurement is a fresh ``python -c`` with ``NUMBA_CACHE_DIR`` pointing at a temporary folder;
the workloads are the ones ``xpmath bench`` runs (``xpmath.bench.workloads``). Target:
a warm-cache first call of at most 50 ms for every operation. The Numba import itself (~0.5 s)
and the one full garbage collection that follows it (~30 ms, paid once a process by whichever
call allocates next) happen before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

_CHILD = r"""
import gc, json, sys, time
import numpy as np
import xpmath
from xpmath.bench.workloads import WORKLOADS
from xpmath_backends import numba_backend
numba_backend._kernels()  # Numba imported and its threads started before the clock
gc.collect()  # and the full collection that follows Numba's import (~30 ms, once a process, paid by whatever allocates next)
w = WORKLOADS[sys.argv[1]]
args = w.make(int(sys.argv[2]), np.float64, np.random.default_rng(0))
t = time.perf_counter(); w.call(*args, backend="numba"); first = time.perf_counter() - t
steady = []
for _ in range(5):
    t = time.perf_counter(); w.call(*args, backend="numba"); steady.append(time.perf_counter() - t)
print(json.dumps({"first_s": first, "steady_s": sorted(steady)[2]}))
"""


def _run(op, size, cache):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, "-c", _CHILD, op, str(size)], env=env, capture_output=True, text=True,
                         timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    from xpmath.bench.workloads import WORKLOADS

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ops", default=",".join(WORKLOADS))
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--out", metavar="FILE")
    a = p.parse_args(argv)
    rows = []
    lines = [f"{'op':<20}{'cold: 1st call':>16}{'warm cache: 1st call':>22}{'steady':>10}"]
    for op in a.ops.split(","):
        with tempfile.TemporaryDirectory() as cache:
            cold = _run(op, a.size, cache)
            warm = _run(op, a.size, cache)
        rows.append({"op": op, "size": a.size, "cold_first_s": cold["first_s"], "warm_first_s": warm["first_s"],
                     "steady_s": warm["steady_s"]})
        lines.append(f"{op:<20}{cold['first_s'] * 1e3:13.0f} ms{warm['first_s'] * 1e3:19.1f} ms"
                     f"{warm['steady_s'] * 1e3:7.2f} ms")
        print(lines[-1] if len(lines) > 2 else "\n".join(lines), flush=True)
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
