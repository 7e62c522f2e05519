"""Options and block helpers shared by the Numba backend's kernels.

Every parallel reduction splits its input into blocks along the first axis and runs one block per
task. A block is taken as a view (:func:`block`) and indexed from 0: a loop
``for i in range(lo, hi): x[i]`` with ``lo`` a block offset cannot be proved non-negative, so each
``x[i]`` keeps NumPy's negative-index wrap-around and LLVM vectorises the loads as gathers
(``vgatherqpd``), several times slower than contiguous loads on AMD cores. Over the view, ``i`` runs
from 0 and the loads stay contiguous.

Numba's cache sees changes to a cached kernel's own file only: after editing a helper here, clear
the cache (``NUMBA_CACHE_DIR`` or the ``__pycache__`` beside these modules).
"""

from __future__ import annotations

from numba import njit

OPTS = dict(cache=True, nogil=True, error_model="numpy")
# reassociation lets the block sums vectorise (a plain `s += x[i]` is latency-bound); no
# other fast-math flag, so NaN and inf still behave as in NumPy
PAR = dict(OPTS, parallel=True, fastmath={"reassoc"})
# the same for serial helpers whose loops are sums, called from parallel kernels: a callee is
# compiled with its own flags, not its caller's
RED = dict(OPTS, fastmath={"reassoc"})
BLOCK = 8192


@njit(**OPTS)
def nblocks(n, size):
    """How many blocks of ``size`` cover ``n`` items."""
    return (n + size - 1) // size


@njit(**OPTS)
def block(x, b, size):
    """Block ``b`` of ``x`` along its first axis (items b·size up to (b+1)·size, the last block
    shorter): a view of the same layout, to be indexed from 0."""
    lo = b * size
    return x[lo:min(lo + size, x.shape[0])]


@njit(**OPTS)
def pairwise(v):
    """The sum of ``v`` (overwritten) by a pairwise tree: error growth logarithmic in its size."""
    n = v.size
    step = 1
    while step < n:
        for b in range(0, n - step, 2 * step):
            v[b] += v[b + step]
        step *= 2
    return v[0] if n else 0.0
