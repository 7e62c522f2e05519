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

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

OPTS = dict(cache=True, nogil=True, error_model="numpy")
# reassociation lets the block sums vectorise (a plain `s += x[i]` is latency-bound); no
# other fast-math flag, so NaN and inf still behave as in NumPy
PAR = dict(OPTS, parallel=True, fastmath={"reassoc"})
# the same for serial helpers whose loops are sums, called from parallel kernels: a callee is
# compiled with its own flags, not its caller's
RED = dict(OPTS, fastmath={"reassoc"})
BLOCK = 8192
# how far ahead of the row being computed a row-wise kernel asks for memory: 8 KiB of float64
# (measured on Zen 3 with 100 columns: 6-10 rows ahead 73-75 % of a read, 16-20 rows 69-71 %)
PREFETCH_AHEAD = 1024


@intrinsic
def prefetch(typingctx, arr, idx):
    """Ask the CPU to bring the cache line holding ``arr[idx]`` (a 1-D array) into cache for a
    read: LLVM's ``llvm.prefetch``, a hint that never faults. A kernel that does much work per
    element (a gradient step: two products per value) leaves the hardware prefetcher behind;
    asking a few KiB ahead keeps memory busy while the core computes."""
    if not (isinstance(arr, types.Array) and arr.ndim == 1 and isinstance(idx, types.Integer)):
        return None

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, args[0])
        i8p = ir.IntType(8).as_pointer()
        name = "llvm.prefetch.p0" if str(i8p) == "ptr" else "llvm.prefetch.p0i8"  # opaque or typed pointers
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]), name)
        ptr = builder.bitcast(builder.gep(ary.data, [args[1]]), i8p)
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])  # read, keep in all cache levels, data
        return context.get_dummy_value()

    return types.void(arr, idx), codegen


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
