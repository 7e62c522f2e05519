"""The numba backend's var in the process that compiled its kernels against one that loaded them
from Numba's cache: the steady state after the first call, in each.

    NUMBA_CACHE_DIR=$(mktemp -d) .venv/bin/python benchmarks/bench_first_process.py compiling
    NUMBA_CACHE_DIR=<the same folder> .venv/bin/python benchmarks/bench_first_process.py cached

5·10⁷ float64 (400 MB, beyond the last-level cache); the first call, then the median of 7.
"""

import time, statistics, sys, numpy as np, xpmath
x = np.random.default_rng(0).standard_normal(10**8 // 2)
t0 = time.perf_counter(); xpmath.var(x, backend="numba"); first = time.perf_counter() - t0
ts = []
for _ in range(7):
    t0 = time.perf_counter(); xpmath.var(x, backend="numba"); ts.append(time.perf_counter() - t0)
print(sys.argv[1], f"first call {first*1e3:.0f} ms, then median {statistics.median(ts)*1e3:.1f} ms (min {min(ts)*1e3:.1f})")
