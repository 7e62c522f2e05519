"""The numba backend's var in the process that compiled its kernels against one that loaded them
from Numba's cache: the steady state after the first call, in each, and how much of the data
array the kernel read through 2 MiB pages.

    NUMBA_CACHE_DIR=$(mktemp -d) .venv/bin/python benchmarks/bench_first_process.py compiling
    NUMBA_CACHE_DIR=<the same folder> .venv/bin/python benchmarks/bench_first_process.py cached

5·10⁷ float64 (400 MB, beyond the last-level cache); the first call, then the median of 7. NumPy
asks for transparent huge pages on large arrays (``madvise``); whether the kernel gets them can
depend on what the process did before (a compiler's allocations fragment memory), and a read
through 4 KiB pages costs more TLB misses. ``xpmath bench --first-process`` and
``benchmarks/bench_bandwidth.py --first-process`` compare every kernel this way.
"""

import statistics
import sys
import time

import numpy as np

import xpmath


def huge_share(a: np.ndarray) -> str:
    """The share of ``a``'s bytes in mappings backed by transparent huge pages (Linux), or why
    unknown. NumPy's ``madvise`` splits the array's mapping, so every mapping it overlaps counts."""
    lo_a, hi_a = a.ctypes.data, a.ctypes.data + a.nbytes
    huge = 0
    inside = False
    try:
        with open("/proc/self/smaps") as f:
            for line in f:
                head = line.split()[0]
                if "-" in head and not head.endswith(":"):
                    lo, hi = (int(v, 16) for v in head.split("-"))
                    inside = lo < hi_a and hi > lo_a
                elif inside and head == "AnonHugePages:":
                    huge += int(line.split()[1]) * 1024
    except OSError as exc:
        return f"huge pages: unknown ({exc})"
    return f"{100 * huge / a.nbytes:.0f}% of the array in huge pages"


x = np.random.default_rng(0).standard_normal(10**8 // 2)
t0 = time.perf_counter()
xpmath.var(x, backend="numba")
first = time.perf_counter() - t0
ts = []
for _ in range(7):
    t0 = time.perf_counter()
    xpmath.var(x, backend="numba")
    ts.append(time.perf_counter() - t0)
print(sys.argv[1] if len(sys.argv) > 1 else "run",
      f"first call {first * 1e3:.0f} ms, then median {statistics.median(ts) * 1e3:.1f} ms (min {min(ts) * 1e3:.1f}); "
      f"{huge_share(x)}")
