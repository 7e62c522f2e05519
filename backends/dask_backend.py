"""The ``dask`` backend: the same API on ``dask.array``, for data larger than memory or than one machine.

Imported only when the ``dask`` backend is asked for (``import xpmath`` never imports Dask).

* Inputs: NumPy arrays and lists become Dask arrays chunked by rows (~64 MB a chunk); Dask arrays
  pass through; on-disk data opens lazily with :func:`open_array` (``.npy`` by row blocks that each
  task reads itself, or Zarr), so a matrix larger than memory is processed chunk by chunk.
* Results stay lazy Dask arrays until asked for (``xpmath.to_numpy`` or ``.compute()``). What is data
  dependent computes at the call, in a bounded number of passes: validation (finite checks), the
  exact ``median`` of a whole array (histogram selection, 3 passes), ``mode``, the normal-equation and
  PCA reductions (2 passes: means, then centred ``XᵀX``), and each gradient-descent step (1 pass).
* Dense decompositions (``inv``, ``solve``, ``det``, ``slogdet``, ``eig``, ``eigh``, ``svd``, ``qr``,
  ``cholesky``, ``lstsq``…) of a matrix in one chunk (at most ``MAX_DENSE`` per side) run in one task
  with LAPACK. A tall matrix chunked by rows (one column of blocks once its columns are joined, at
  most ``MAX_DENSE`` of them) takes TSQR for ``qr``, ``svd`` (thin factors), ``lstsq``, ``pinv``,
  ``matrix_rank`` and ``cond``; a square one chunked in blocks takes Dask's blocked ``cholesky`` and
  LU ``solve`` / ``inv`` (padded with the identity to whole blocks), lazily: a matrix that is not
  positive definite, or exactly singular, raises when that result is computed. What Dask cannot do
  (a full ``U`` of a tall matrix, ``qr``'s ``'complete'``/``'raw'`` modes of one, a dense matrix wider
  than ``MAX_DENSE``, an eigen-decomposition of one) raises :class:`~xpmath.BackendError` naming the
  operation. ``randomized_svd`` is Dask's ``svd_compressed``.
* Scheduler: the ``dask_scheduler`` setting (``XPMATH_DASK_SCHEDULER``); ``""`` uses Dask's default
  scheduler, the threaded one in this process unless you made a ``Client``; ``local`` starts a
  ``distributed.LocalCluster`` on first use (``dask_memory_limit`` per worker, e.g. ``2GB``); any
  other value is a scheduler address (``tcp://host:8786``) to connect to, within ``dask_connect_timeout``
  seconds (a :class:`~xpmath.BackendError` naming the address otherwise). Clients xpmath starts
  close at exit.
"""

from __future__ import annotations

import atexit
import functools
import math
import os
import sys
import threading
import time
import warnings
from concurrent.futures import CancelledError

import dask
import dask.array as da
import numpy

from xpmath import _config
from xpmath._arrays import host
from xpmath._backend import BackendBase, not_supported, reduced_axes
from xpmath._portable import _quantile
from xpmath.errors import BackendError
from xpmath._validate import singular_error
from xpmath._reference import REFERENCE
from xpmath._reference import linalg as ref_linalg
from xpmath._reference import models as ref_models
from xpmath._reference import stats as ref_stats
from xpmath._reference.random import NumpyGeneratorAdapter

CHUNK_BYTES = 64 * 2**20
#: the models' passes computed as partial sums of row chunks, weighted or not
_PARTIAL_OPS = frozenset({"logistic_gd_step", "softmax_gd_step", "logistic_hessian", "softmax_hessian"})
MAX_DENSE = 8192
_lock = threading.Lock()
_client: dict = {}


def client():
    """The distributed client the ``dask_scheduler`` setting names (None: Dask's default scheduler).

    Clients (and the local cluster behind ``"local"``) that xpmath starts are closed at exit. A
    client whose scheduler went away (closed after its reconnection window) is dropped, and the
    next call connects afresh: a :class:`~xpmath.BackendError` naming the address if nothing answers.
    """
    target = _config.value("dask_scheduler")
    if not target:
        return None
    with _lock:
        c = _client.get(target)
        if c is not None and getattr(c, "status", None) in ("closing", "closed"):
            _discard(target, c)
            c = None
        if c is None:
            from distributed import Client, LocalCluster

            if not _client:
                atexit.register(_close_clients)
            if target == "local":
                mem = _config.value("dask_memory_limit")
                c = Client(LocalCluster(processes=True, memory_limit=mem, dashboard_address=None))
            else:
                wait = _config.value("dask_connect_timeout")
                try:
                    c = Client(target, timeout=wait)
                except (OSError, TimeoutError) as exc:  # distributed's own: no scheduler answered in time
                    raise BackendError(
                        f"dask: the scheduler at {target!r} is unreachable: no answer within {wait:g} s "
                        f"({type(exc).__name__}: {exc}); start it, correct the dask_scheduler setting "
                        "(XPMATH_DASK_SCHEDULER), or wait longer with dask_connect_timeout "
                        "(XPMATH_DASK_CONNECT_TIMEOUT)"
                    ) from None
            _client[target] = c
    return c


def _discard(target, c) -> None:
    """Forget a client whose scheduler is gone (closing it without waiting on that scheduler)."""
    if _client.get(target) is c:
        del _client[target]
    cluster = c.cluster
    try:
        c.close(timeout=1)
        if cluster is not None:
            cluster.close(timeout=1)
    except Exception:  # its scheduler is gone: nothing left to close cleanly
        pass


def _close_clients() -> None:
    with _lock:
        for c in _client.values():
            cluster = c.cluster  # the LocalCluster xpmath started; None for a scheduler's address
            try:
                c.close()
                if cluster is not None:
                    cluster.close()
            except Exception:  # at exit, a scheduler already gone is no error worth a traceback
                pass
        _client.clear()


# ------------------------------------------------------------------ computing on a cluster
# Dask recomputes what a lost worker held or was running, so a worker's death costs time, not the
# answer; xpmath holds no futures or persisted data between calls, only the client. What it must
# guard is the scheduler: a lost one cancels the computation (a CancelledError from distributed), a
# hung one (stopped, or its machine gone without closing the connection) would wait forever. Every
# compute on a distributed client goes through _on_cluster, which turns both into a BackendError
# naming the address, within dask_timeout seconds of the scheduler's last answer.


def _user_client():
    """The ``distributed.Client`` Dask's default scheduler is, if the user made one (else None)."""
    if "distributed" not in sys.modules:
        return None
    get = dask.base.get_scheduler()
    from distributed import Client

    owner = getattr(get, "__self__", None)
    return owner if isinstance(owner, Client) else None


def _address(c) -> str:
    try:
        return c.scheduler.address
    except Exception:  # a client closed before it ever connected
        return _config.value("dask_scheduler") or "the default client's scheduler"


def _lost(c, addr, why) -> BackendError:
    return BackendError(
        f"dask: lost the scheduler at {addr!r}: {why}. Dask recomputes what a lost worker held, "
        "but not a lost scheduler's work: restart the scheduler (or correct the dask_scheduler setting, "
        "XPMATH_DASK_SCHEDULER) and call again; dask_timeout (XPMATH_DASK_TIMEOUT) bounds the wait "
        "for a scheduler that stops answering, dask_connect_timeout (XPMATH_DASK_CONNECT_TIMEOUT) "
        "the wait for a reconnection"
    )


def _ready(c, addr) -> None:
    """Wait while ``c`` reconnects (at most its reconnection window); raise if it did not."""
    if c.status == "running":
        return
    deadline = time.monotonic() + max(float(_config.value("dask_connect_timeout")), getattr(c, "_timeout", 0) or 0)
    while c.status in ("connecting", "newly-created") and time.monotonic() < deadline:
        time.sleep(0.02)
    if c.status != "running":
        target = _config.value("dask_scheduler")
        if target and _client.get(target) is c:
            with _lock:
                _discard(target, c)
        raise _lost(c, addr, f"the client's connection is {c.status} (the scheduler no longer answers)")


def _on_cluster(c, xs):
    """``dask.compute(*xs)`` on the distributed client ``c``, guarded against a lost or hung scheduler."""
    from distributed import wait
    from distributed.scheduler import KilledWorker

    addr = _address(c)
    limit = float(_config.value("dask_timeout"))
    tick = min(1.0, limit / 4)
    _ready(c, addr)
    try:
        futures = c.compute(list(xs))
        pending = [f for f in futures if hasattr(f, "key") and hasattr(f, "status")]
        while True:
            try:
                with c.as_current():
                    wait(pending, timeout=tick)
                break
            except TimeoutError:  # still computing: the scheduler must still answer
                if c.status != "running":
                    raise _lost(c, addr, f"the connection closed during the computation ({c.status})") from None
                try:
                    c.sync(c.scheduler.identity, callback_timeout=limit)
                except (OSError, TimeoutError) as exc:
                    raise _lost(c, addr, f"no answer within {limit:g} s (dask_timeout) during the computation "
                                f"({type(exc).__name__})") from None
        for f in pending:
            if f.status == "error" and isinstance(f.exception(), KilledWorker):
                e = f.exception()
                raise BackendError(
                    f"dask: a task ({e.task!r}) was running on each of the workers that died in turn under it "
                    f"({e.allowed_failures} tries, the scheduler's allowed-failures) at {addr!r}: it brings its "
                    "worker down, e.g. past the worker's memory limit (dask_memory_limit, or smaller chunks)"
                ) from None
        return tuple(c.gather(futures))
    except CancelledError as exc:
        raise _lost(c, addr, f"the computation was cancelled ({type(exc).__name__}: {exc})") from None
    except (OSError, TimeoutError) as exc:
        if c.status == "running":
            raise  # a task's own error (a file a task reads is gone, say): as Dask raises it
        raise _lost(c, addr, f"{type(exc).__name__}: {exc}") from None


def _compute(*xs):
    c = client() or _user_client()  # a Client, once made, is also Dask's default scheduler
    return dask.compute(*xs) if c is None else _on_cluster(c, xs)


def _lazy(r):
    """A host result (an array, a scalar or a tuple of them) as Dask arrays."""
    if isinstance(r, tuple):
        vals = [da.from_array(numpy.asarray(v)) for v in r]
        return type(r)(*vals) if hasattr(r, "_fields") else tuple(vals)
    return da.from_array(numpy.asarray(r))


def _row_chunks(shape, itemsize):
    if len(shape) == 0:
        return ()
    row = max(1, int(numpy.prod(shape[1:], dtype=numpy.int64)) * itemsize)
    rows = max(1, min(shape[0], CHUNK_BYTES // row))
    return (rows,) + tuple(shape[1:])


def _npy_layout(path):
    """``(shape, dtype, fortran_order, data offset)`` from a ``.npy`` file's header."""
    with open(path, "rb") as f:
        fmt = numpy.lib.format
        version = fmt.read_magic(f)
        read = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}.get(version)
        if read is None:  # a header version without a public reader: rows through the memory map
            return None, None, True, 0
        shape, fortran, dtype = read(f)
        return shape, dtype, fortran, f.tell()


def _read_full(f, view) -> bool:
    """Fill ``view`` from the unbuffered file ``f`` by ``readinto`` (a read may return less than
    asked); False where the file ends first."""
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])
        if not n:
            return False
        got += n
    return True


def _load_rows(path, start, stop, layout=None):
    """Rows ``start:stop`` of a ``.npy`` file. A C-ordered file is read with one ``readinto`` of the
    block's bytes (a sequential read at the disk's rate; copying out of a memory map takes a page
    fault per page and runs at about half of it); a Fortran-ordered one through a memory map."""
    if layout is None or layout[2] or layout[1] is None or layout[1].hasobject:
        return numpy.array(numpy.load(path, mmap_mode="r")[start:stop])
    shape, dtype, _, offset = layout
    out = numpy.empty((stop - start,) + tuple(shape[1:]), dtype=dtype)
    row = out.itemsize * int(numpy.prod(shape[1:], dtype=numpy.int64))
    view = memoryview(out.reshape(-1).view(numpy.uint8))
    with open(path, "rb", buffering=0) as f:
        f.seek(offset + start * row)
        if not _read_full(f, view):
            raise EOFError(f"{path}: the file ends before row {stop}")
    return out


# ------------------------------------------------------------------ moments with NumPy's arithmetic
# Dask's own var sums in float64 and merges chunks so that data near the largest float give NaN or a
# finite value where NumPy's two passes overflow to inf. These functions run NumPy's own arithmetic
# on each chunk (its accumulation dtype, its mean, then the squared deviations), merge the chunks with
# Chan's formula, and give NumPy's IEEE answer where the mean itself overflows. One pass over the data.


def _acc_dtype(dt):
    """The dtype NumPy's var sums in: the data's own for inexact data, float64 for integers and bools."""
    return dt if dt.kind in "fc" else numpy.dtype(numpy.float64)


#: rows from which a float64 chunk's moments come from the numba kernels (one read, parallel, Chan's
#: merge inside) instead of NumPy's two passes with their temporaries; smaller chunks stay on NumPy
_KERNEL_MIN_ROWS = 1 << 15


def _numba():
    """The numba kernels (``None`` without numba) and the context that serialises calls into them.

    Dask already runs one task per core: on a thread-safe threading layer each task's kernel runs on
    one thread; on the workqueue layer (calls serialised) each call keeps every thread."""
    try:
        from xpmath_backends.numba_backend import _runtime as rt

        k = rt._kernels()
    except Exception:  # numba absent or unusable here: NumPy's arithmetic
        return None, None
    if rt._state.get("layer") != "workqueue" and getattr(rt._threads, "n", 0) != 1:
        rt._state["numba"].set_num_threads(1)
        rt._threads.n = 1
    return k, rt._Serial


def _kernel_moments(a, axis):
    """(n, total, M2) of a float64 chunk from the numba kernels, or None where NumPy's own arithmetic
    must give the answer (small chunks, other dtypes and layouts, any non-finite value on the way)."""
    if a.dtype != numpy.float64 or a.shape[0] < _KERNEL_MIN_ROWS or not a.size:
        return None
    flat = len(axis) == a.ndim
    if not flat and not (a.ndim == 2 and tuple(axis) == (0,)):
        return None
    k, serial = _numba()
    if k is None:
        return None
    x = numpy.ascontiguousarray(a)
    with serial():
        off, q, mu = k.moments_flat_shifted(x.ravel()) if flat else k.moments_cols_shifted(x)
    kept = [1] * a.ndim if flat else [1, a.shape[1]]
    cnt = a.size if flat else a.shape[0]
    off, q, mu = (numpy.asarray(v, dtype=numpy.float64).reshape(kept) for v in (off, q, mu))
    with numpy.errstate(all="ignore"):
        total = (mu + off) * cnt
    if not (numpy.isfinite(total).all() and numpy.isfinite(q).all() and numpy.isfinite(off).all()):
        return None
    n = numpy.full(kept, cnt, dtype=numpy.int64)
    none = numpy.zeros(kept, dtype=bool)
    return {"n": n, "total": total, "mu": mu, "off": off, "m2": q, "pinf": none, "ninf": none}


def _moment_chunk(a, axis=None, keepdims=True, computing_meta=False, nan=False, **kw):
    if computing_meta:
        return a
    if not nan and (r := _kernel_moments(a, axis)) is not None:
        return r
    acc = _acc_dtype(a.dtype)
    keep = ~numpy.isnan(a) if nan else None  # nanvar: NaNs leave the count, the sum and the deviations
    if keep is None:
        n = numpy.full([1 if i in axis else s for i, s in enumerate(a.shape)], 0, dtype=numpy.int64)
        n[...] = numpy.prod([a.shape[i] for i in axis], dtype=numpy.int64)
    else:
        n = keep.sum(axis=axis, keepdims=True, dtype=numpy.int64)
    with numpy.errstate(all="ignore"):
        total = (a if keep is None else numpy.where(keep, a, 0)).sum(axis=axis, dtype=acc, keepdims=True)
        nf = n.astype(acc)
        mu = total / nf
        d = a - mu
        if keep is not None:
            d = numpy.where(keep, d, 0)
        sq = (d * d.conj()).real if acc.kind == "c" else d * d
        m2 = sq.sum(axis=axis, keepdims=True)
        # the rounding of the chunk's sum moves its mean by up to n·eps of the data's size: first order
        # in Chan's merge of the chunks, so corrected here by the deviations' own sum s (exact to
        # second order: M2 about the true mean is Σd² − |s|²/n); where s overflows, Σd² has as well
        s = d.sum(axis=axis, keepdims=True)
        corr = ((s * s.conj()).real / n.astype(sq.dtype)) if acc.kind == "c" else s * s / nf
        fine = (n > 0) & numpy.isfinite(corr)
        m2 = numpy.where(fine, m2 - numpy.where(fine, corr, 0), m2)
        off = numpy.where(fine, s / nf, 0)  # the mean as mu + off: the correction keeps its digits
        mu = numpy.where(n > 0, mu, 0)
    if numpy.isfinite(m2).all() or acc.kind == "c":  # no infinity in the chunk: nothing to look for
        pinf = ninf = numpy.zeros(n.shape, dtype=bool)
    else:
        pinf = (a == numpy.inf).any(axis=axis, keepdims=True)
        ninf = (a == -numpy.inf).any(axis=axis, keepdims=True)
    return {"n": n, "total": total, "mu": mu, "off": off, "m2": m2, "pinf": pinf, "ninf": ninf}


def _moment_merge(pairs, axis):
    """Chan's merge of the chunks' (n, total, M2) along ``axis``, kept dims."""
    from dask.array.core import _concatenate2
    from dask.utils import deepmap

    if not isinstance(pairs, list):
        pairs = [pairs]
    cat = {k: _concatenate2(deepmap(lambda p, k=k: p[k], pairs), axes=axis)
           for k in ("n", "total", "mu", "off", "m2", "pinf", "ninf")}
    ns, totals = cat["n"], cat["total"]
    n = ns.sum(axis=axis, keepdims=True)
    with numpy.errstate(all="ignore"):
        total = totals.sum(axis=axis, keepdims=True)
        acc = totals.dtype
        # each chunk's mean is mu + off; the gaps between them are taken relative to the first chunk's
        # mu (differences of nearby values are exact), not from the chunks' sums or rounded means: on
        # data with a large offset a mean rounded to its ulp moves Σ nᵢ gapᵢ² at first order
        first = cat["mu"][tuple(slice(0, 1) if i in axis else slice(None) for i in range(ns.ndim))]
        rel = numpy.where(ns == 0, 0, (cat["mu"] - first) + cat["off"])
        off = numpy.where(n == 0, 0, (ns * rel).sum(axis=axis, keepdims=True) / n.astype(acc))
        gap = numpy.where(ns == 0, 0, rel - off)
        sq = (gap * gap.conj()).real if acc.kind == "c" else gap * gap
        m2 = cat["m2"].sum(axis=axis, keepdims=True) + (ns * sq).sum(axis=axis, keepdims=True)
    return {"n": n, "total": total, "mu": first, "off": off, "m2": m2,
            "pinf": cat["pinf"].any(axis=axis, keepdims=True), "ninf": cat["ninf"].any(axis=axis, keepdims=True)}


def _moment_combine(pairs, axis=None, keepdims=True, computing_meta=False, **kw):
    if computing_meta:
        return pairs
    return _moment_merge(pairs, axis)


def _moment_agg(pairs, axis=None, keepdims=False, computing_meta=False, ddof=0, dtype=None, sqrt=False, nan=False,
                **kw):
    if computing_meta:  # the result's meta: real for complex data
        return numpy.empty(getattr(pairs, "shape", (0,)), dtype=dtype)
    r = _moment_merge(pairs, axis)
    n, total, m2 = r["n"], r["total"], r["m2"]
    with numpy.errstate(all="ignore"):
        mu = total / n.astype(total.dtype)
        v = m2 / numpy.maximum(n - ddof, 0)
        if nan:  # NumPy's nanvar: NaN where the degrees of freedom are none
            v = numpy.where(n - ddof > 0, v, numpy.nan)
        if total.dtype.kind == "c":  # a mean overflowed to infinity: every deviation is infinite, as NumPy's
            v = numpy.where(numpy.isfinite(mu) | numpy.isnan(mu), v, numpy.inf)
        else:  # where the mean is infinite, an infinity of its sign in the data makes NumPy's var NaN
            same = numpy.where(mu > 0, r["pinf"], r["ninf"])
            v = numpy.where(numpy.isinf(mu), numpy.where(same, numpy.nan, numpy.inf), v)
        if sqrt:
            v = numpy.sqrt(v)
    v = v.astype(dtype, copy=False)
    return v if keepdims else v.squeeze(axis=axis)


def _moments(a, op, axis, ddof, keepdims, out):
    """NumPy's ``var`` or ``std`` (no ``where=``, ``mean=`` or ``dtype=``) of a Dask array, lazily, in one pass."""
    dt = numpy.var(numpy.ones(1, dtype=a.dtype)).dtype
    n = a.size if axis is None else math.prod(a.shape[i] for i in ((axis,) if isinstance(axis, int) else axis))
    if not math.isnan(n) and n - ddof <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=5)
    return da.reduction(a, _moment_chunk, functools.partial(_moment_agg, ddof=ddof, dtype=dt, sqrt=op == "std"),
                        combine=_moment_combine, axis=axis, keepdims=keepdims, dtype=dt, concatenate=False,
                        name=op, out=out)


def _nan_moments(a, op, axis, ddof, keepdims, out):
    """NumPy's ``nanvar`` or ``nanstd`` (no ``where=``, ``mean=`` or ``dtype=``) of floating Dask data,
    lazily, in one pass; NumPy's warning for a slice with too few numbers comes when it computes."""
    dt = numpy.var(numpy.ones(1, dtype=a.dtype)).dtype
    agg = functools.partial(_moment_agg, ddof=ddof, dtype=dt, sqrt=op == "nanstd", nan=True)
    r = da.reduction(a, functools.partial(_moment_chunk, nan=True), agg, combine=_moment_combine, axis=axis,
                     keepdims=keepdims, dtype=dt, concatenate=False, name=op)
    count = (~da.isnan(a)).sum(axis=axis, keepdims=keepdims)
    return ref_stats._into(out, ref_stats.warn_where(da, r, count - ddof <= 0, "Degrees of freedom <= 0 for slice."))


# ------------------------------------------------------------------ one-pass Gram matrices and GD steps
def _tree(parts, merge):
    """A pairwise tree of ``merge`` over delayed ``parts``: log-depth, each merge as soon as its two inputs are."""
    while len(parts) > 1:
        parts = [dask.delayed(merge)(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
                 for i in range(0, len(parts), 2)]
    return parts[0]


def _row_blocks(*arrays):
    """The delayed row blocks of 2-D (or 1-D) arrays, each whole across its columns, rows aligned to
    the first array's chunks; the graph unoptimised so blocks cut from one chunk share its one read."""
    first = arrays[0].rechunk({i: -1 for i in range(1, arrays[0].ndim)})
    rows = first.chunks[0]
    out = [first]
    for a in arrays[1:]:
        out.append(a.rechunk((rows,) + tuple(-1 for _ in range(1, a.ndim))))
    return [list(b.to_delayed(optimize_graph=False).ravel()) for b in out]


#: rows per sub-block of a chunk centred at once (a cache-sized temporary, then one BLAS SYRK)
_GRAM_ROWS = 1 << 14


#: columns up to which a float64 chunk's Gram comes from the numba kernel (dot products of centred
#: columns kept in cache) rather than BLAS, whose tiling wins on wider matrices and whose own threads
#: would compete with Dask's on a thin one; and the bytes of the rows the kernel centres at a time (its buffer of
#: columns × rows stays in the L1 cache)
_GRAM_KERNEL_COLS = 40
_GRAM_KERNEL_BYTES = 16384


#: rows sampled, evenly spaced, for a chunk's shift
_SHIFT_SAMPLE = 1024


def _gram_chunk(b):
    """(n, column means, centred Gram) of one block of rows in one read: the rows less a shift k (the
    mean of a sample of them), XcᵀXc and the column sums s of x − k accumulated over sub-blocks (the
    centred copy never exceeds a few MiB); then the block's mean k + s/n and Gram S − ssᵀ/n, which
    loses digits only where k is far from the mean in units of the spread."""
    b = numpy.asarray(b)
    n = b.shape[0]
    p = b.shape[1]
    g = numpy.zeros((p, p), dtype=b.dtype)
    s = numpy.zeros(p, dtype=b.dtype)
    if not n:
        return 0, s, s, g
    k = b[::max(1, n // _SHIFT_SAMPLE)].mean(axis=0)
    with numpy.errstate(all="ignore"):
        if not numpy.isfinite(k).all():  # a non-finite sample: the shift would make NaN of finite data
            k = numpy.zeros(p, dtype=b.dtype)
        kern, serial = _numba() if b.dtype == numpy.float64 else (None, None)
        if kern is not None and 0 < p <= _GRAM_KERNEL_COLS:  # centring and Gram in one numba loop, no BLAS
            rows = max(8, min(256, _GRAM_KERNEL_BYTES // (b.itemsize * p)) // 8 * 8)  # a multiple of 8
            with serial():
                kern.gram_shifted(b, k, g, s, numpy.empty((p, rows)))
            g = numpy.triu(g) + numpy.triu(g, 1).T
        elif kern is not None:  # the numba backend's centring kernel: the subtraction and the sums in one read
            buf = numpy.empty((min(_GRAM_ROWS, n), p))
            for lo in range(0, n, _GRAM_ROWS):
                c = buf[:min(lo + _GRAM_ROWS, n) - lo]
                with serial():
                    kern.centre_block(b, lo, lo + c.shape[0], k, c, s)
                g += c.T @ c
        else:
            for lo in range(0, n, _GRAM_ROWS):
                c = b[lo:lo + _GRAM_ROWS] - k
                g += c.T @ c
                s += c.sum(axis=0)
        return n, k, s / n, g - numpy.outer(s, s) / n


def _gram_merge(x, y):
    """Chan's merge of two blocks' (n, shift, mean less the shift, co-moments): M = Ma + Mb + na nb / n · δδᵀ,
    δ the gap of the means taken as (kb − ka) + (ob − oa), so a large common offset costs no digits."""
    na, ka, oa, ga = x
    nb, kb, ob, gb = y
    if not na or not nb:
        return y if not na else x
    n = na + nb
    with numpy.errstate(all="ignore"):
        d = (kb - ka) + (ob - oa)
        return n, ka, oa + d * (nb / n), ga + gb + numpy.outer(d, d) * (na * nb / n)


def _one_pass_gram(obs):
    """The lazy centred Gram of real 2-D ``obs`` in one read: per row chunk its means and centred Gram,
    merged pairwise by Chan's formula (as exact as centring by the global means first)."""
    (blocks,) = _row_blocks(obs)
    p = obs.shape[1]
    g = dask.delayed(lambda r: r[3])(_tree([dask.delayed(_gram_chunk)(b) for b in blocks], _gram_merge))
    return None, da.from_delayed(g, shape=(p, p), dtype=obs.dtype)


def _gd_chunk(xb, yb, w, b):
    """One block's part of a least-squares gradient step: (½Σr², Xᵀr, Σr) from one read of the block
    (the numba backend's fused step kernel on float64 data where numba is importable, else NumPy's
    products)."""
    if xb.dtype == numpy.float64 and yb.ndim == 1 and yb.dtype == numpy.float64 and w.dtype == numpy.float64:
        k, serial = _numba()
        if k is not None:
            with serial():
                loss, g, gb = k.linear_step(xb, yb, w, float(b), 1, True)
            return float(loss), g, numpy.float64(gb)
    r = xb @ w + b - yb
    return 0.5 * float((r * r).sum()), xb.T @ r, r.sum(axis=0)


def _gd_merge(x, y):
    return x[0] + y[0], x[1] + y[1], x[2] + y[2]


def _raw_chunk_dir(z):
    """The directory holding ``z``'s chunk files when every chunk is stored as its raw bytes in C
    order (a Zarr 3 array on a local store whose only codec is ``bytes`` in this machine's byte
    order, a numeric dtype, a regular chunk grid), else None: such a chunk is read with one
    ``readinto``; any other array is read by Zarr itself."""
    try:
        from zarr.codecs import BytesCodec
        from zarr.core.chunk_grids import RegularChunkGrid
        from zarr.storage import LocalStore

        meta = z.metadata
        if meta.zarr_format != 3 or not isinstance(z.store, LocalStore):
            return None
        if not isinstance(meta.chunk_grid, RegularChunkGrid) or len(meta.codecs) != 1:
            return None
        codec, dt = meta.codecs[0], numpy.dtype(z.dtype)
        if type(codec) is not BytesCodec or dt.kind not in "biufc" or dt.fields is not None:
            return None
        if dt.itemsize > 1 and (codec.endian is None or codec.endian.value != sys.byteorder):
            return None
        if not dt.isnative or not z.ndim or 0 in z.shape:
            return None
        return os.path.join(os.fspath(z.store.root), z.store_path.path)
    except Exception:  # anything unexpected in Zarr's metadata: Zarr's own read path
        return None


def _read_raw_chunk(root, key, chunk, extent, dtype):
    """The chunk in file ``key`` under ``root`` read straight (``extent``: its rows and columns inside
    the array), or None where the file is absent (Zarr's fill value), unreadable or not the size of a
    raw chunk: the caller then reads it through Zarr."""
    full = int(numpy.prod(chunk, dtype=numpy.int64)) * dtype.itemsize
    # a chunk cut only along its first axis is a prefix of its C-ordered bytes
    prefix = tuple(extent[1:]) == tuple(chunk[1:])
    out = numpy.empty(extent if prefix else chunk, dtype=dtype)
    view = memoryview(out.reshape(-1).view(numpy.uint8))
    try:
        with open(os.path.join(root, key), "rb", buffering=0) as f:
            if os.fstat(f.fileno()).st_size != full or not _read_full(f, view):
                return None
    except OSError:
        return None
    if prefix:
        return out
    return numpy.ascontiguousarray(out[tuple(slice(0, e) for e in extent)])


class _ZarrChunks:
    """A Zarr array as ``da.from_array`` reads it, chunks aligned with the store's: a raw,
    uncompressed chunk is read from its file with one ``readinto`` into the block Dask gets (Zarr's
    own path reads the file into a buffer, then copies it out); any other chunk or selection through
    Zarr (its codecs, its fill value for a chunk never written)."""

    def __init__(self, z, root):
        self.z, self.root = z, root
        self.shape, self.ndim, self.dtype = tuple(z.shape), z.ndim, numpy.dtype(z.dtype)
        self.chunk = tuple(z.chunks)

    def __getitem__(self, key):
        if self.root is not None and isinstance(key, tuple) and len(key) == self.ndim:
            coords, extent = [], []
            for s, n, c in zip(key, self.shape, self.chunk):
                if not isinstance(s, slice) or s.step not in (None, 1):
                    break
                lo, hi, _ = s.indices(n)
                if lo % c or hi != min(lo + c, n):
                    break
                coords.append(lo // c)
                extent.append(hi - lo)
            else:
                out = _read_raw_chunk(self.root, self.z.metadata.encode_chunk_key(tuple(coords)),
                                      self.chunk, tuple(extent), self.dtype)
                if out is not None:
                    return out
        return numpy.asarray(self.z[key])


def _open_zarr(path):
    """A Zarr store as a Dask array, one task per store chunk, read without a lock."""
    import zarr
    from dask.base import tokenize

    z = zarr.open_array(store=path, mode="r")
    root = _raw_chunk_dir(z)
    if root is None:
        return da.from_zarr(z)
    try:
        stamp = os.stat(os.path.join(root, "zarr.json")).st_mtime_ns
    except OSError:
        stamp = None
    name = "open-zarr-" + tokenize(root, z.shape, z.chunks, str(z.dtype), stamp)
    return da.from_array(_ZarrChunks(z, root), chunks=z.chunks, name=name, lock=False, asarray=False,
                         fancy=False, meta=numpy.empty((0,) * z.ndim, dtype=numpy.dtype(z.dtype)))


def open_array(path: str, chunk_rows: int | None = None) -> da.Array:
    """Open a ``.npy`` file or a Zarr store as a lazy Dask array, read chunk by chunk.

    Each ``.npy`` chunk is read by its own task from the file (no copy of the whole file is held or
    shipped to workers), so data larger than memory can be reduced on a memory-limited cluster.

    Examples
    --------
    >>> import numpy, tempfile, os
    >>> from xpmath_backends.dask_backend import open_array
    >>> p = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> numpy.save(p, numpy.arange(12.0).reshape(6, 2))
    >>> float(open_array(p, chunk_rows=2).sum().compute())
    66.0
    """
    path = os.fspath(path)
    if path.endswith(".npy"):
        mm = numpy.load(path, mmap_mode="r")
        shape, dtype = mm.shape, mm.dtype
        if not shape or not shape[0]:  # a 0-d array, or no rows: one small chunk
            return da.from_array(numpy.array(mm))
        del mm
        layout = _npy_layout(path)
        rows = chunk_rows or _row_chunks(shape, dtype.itemsize)[0]
        blocks = []
        for start in range(0, shape[0], rows):
            stop = min(start + rows, shape[0])
            blocks.append(
                da.from_delayed(
                    dask.delayed(_load_rows)(path, start, stop, layout), shape=(stop - start,) + shape[1:], dtype=dtype
                )
            )
        return da.concatenate(blocks, axis=0)
    return _open_zarr(path)


def _middle(v1, v2, odd, dtype):
    """The median from the middle values, as NumPy: the one value of an odd count, else the mean of the
    two in their dtype (which overflows to inf where their sum does)."""
    if odd:
        return dtype.type(v1)
    return numpy.mean(numpy.array([v1, v2], dtype=dtype))


def _tall(a):
    """``a`` as TSQR takes it (one column of blocks), when it is a tall matrix chunked by rows with at
    most ``MAX_DENSE`` columns; else None (the matrix is factorised in one task)."""
    if a.ndim != 2 or a.numblocks[0] < 2 or not 0 < a.shape[1] <= a.shape[0] or a.shape[1] > MAX_DENSE:
        return None
    return a.rechunk({1: -1}) if a.numblocks[1] > 1 else a


def _r_factor(a, group: int = 16, step: int = 1 << 16):
    """The R factor of ``a`` (tall, chunked by rows) by TSQR without any block of Q: each block's R,
    then the R of ``group`` stacked R's at a time until one is left. Within a block the rows are
    taken ``step`` at a time (the R so far stacked over the next rows), so no copy of the block, nor
    of its column pieces joined, is ever made: a worker holds little more than its input. (Dask's
    ``qr`` forms every block of Q beside its R, twice the block again.)"""
    n = a.shape[1]
    step = max(step, n)
    dt = numpy.linalg.qr(numpy.zeros((1, 1), dtype=a.dtype), mode="r").dtype

    def r_of(pieces):
        pieces = pieces if isinstance(pieces, list) else [pieces]
        r = None
        for lo in range(0, pieces[0].shape[0], step):
            rows = numpy.concatenate([p[lo:lo + step] for p in pieces], axis=1)
            r = numpy.linalg.qr(rows if r is None else numpy.concatenate([r, rows]), mode="r")
        return numpy.empty((0, n), dtype=dt) if r is None else r.astype(dt, copy=False)

    rs = da.blockwise(r_of, "ik", a, "ij", new_axes={"k": n}, concatenate=False, dtype=dt,
                      adjust_chunks={"i": lambda c: min(c, n)})
    while rs.numblocks[0] > 1:
        rows = rs.chunks[0]
        rs = rs.rechunk((tuple(sum(rows[i:i + group]) for i in range(0, len(rows), group)), (n,)))
        rs = rs.map_blocks(r_of, chunks=(tuple(min(c, n) for c in rs.chunks[0]), (n,)), dtype=dt)
    return rs


def _blocked(a):
    """Whether the square matrix ``a`` is chunked (or too large for one task): Dask's blocked algorithms."""
    return a.ndim == 2 and a.shape[0] > 0 and (a.numblocks != (1, 1) or a.shape[0] > MAX_DENSE)


def _whole_blocks(a):
    """``a`` (n×n) in square blocks of one size, padded with the identity to a whole number of them
    (Dask's blocked LU and Cholesky take equal square blocks only; the padding changes no factor of
    ``a``'s): ``(padded, n)``."""
    n = a.shape[0]
    c = min(max(a.chunks[0]), max(a.chunks[1]), MAX_DENSE)
    big = -(-n // c) * c
    if big != n:
        z = da.zeros((n, big - n), dtype=a.dtype)
        a = da.block([[a, z], [z.T, da.eye(big - n, dtype=a.dtype)]])
    return a.rechunk((c, c)), n


def _finite_or_singular(block):
    """A block of a solution from finite input: a non-finite value means an exactly singular matrix."""
    if not numpy.isfinite(block).all():
        raise singular_error("solve", "dask")
    return block


def _blocked_solve(a, b):
    """Dask's blocked LU solve of ``a x = b`` (b a vector or a matrix), lazily."""
    dt = numpy.result_type(a.dtype, b.dtype)
    h, n = _whole_blocks(a.astype(dt, copy=False))
    c = h.chunks[0][0]
    big = h.shape[0]
    bb = b.astype(dt, copy=False)
    if big != n:
        pad = da.zeros((big - n,) + bb.shape[1:], dtype=dt)
        bb = da.concatenate([bb, pad], axis=0)
    bb = bb.rechunk((c,) + ((-1,) if bb.ndim == 2 else ()))
    x = da.linalg.solve(h, bb)[:n]
    return x.map_blocks(_finite_or_singular, dtype=dt)


# ------------------------------------------------------------------ exact order statistics of large slices
# Dask's percentile merges per-chunk percentiles: an approximation. Quantiles, medians and their
# NaN-ignoring twins here are exact. Where each reduced slice fits in one chunk (or is gathered into
# one by a rechunk, up to SLICE_BYTES), NumPy's own function runs on each block: one pass. Larger
# slices (the whole array, or a few long columns) are selected by histograms, every slice and every
# wanted rank of a call in the same passes:
#   1. a census: the NaN and infinity counts and the finite minimum and maximum of each slice;
#   2. a BINS-bin histogram of each slice's finite values, which names the bin of each wanted rank;
#   3. the values of those bins (one spare bin each side), sorted on the host, read at their ranks.
# A bin window holding more than GATHER_LIMIT values (a narrow cluster, many ties) takes one more
# histogram pass within it before its values are read. NumPy's interpolation then runs on the host on
# the values read (xpmath._portable._quantile), so the answer is NumPy's to the bit.

SLICE_BYTES = 4 * CHUNK_BYTES  # a reduced slice up to this size is gathered into one chunk
MAX_SELECT_SLICES = 64  # above this many slices larger than SLICE_BYTES, they are gathered all the same
BINS = 4096
GATHER_LIMIT = 2**22  # values of one window brought to the host at most
MAX_ROUNDS = 16  # histogram rounds before a slice is read whole (each shrinks a window BINS / 3 times)


def _census(flats):
    """Per 1-D slice: ``(NaNs, -infs, +infs, finite min, finite max)``, in one pass over them all."""
    parts = []
    for f in flats:
        if f.dtype.kind == "f":
            fin = da.isfinite(f)
            parts += [da.isnan(f).sum(), (f == -numpy.inf).sum(), (f == numpy.inf).sum(),
                      da.where(fin, f, numpy.inf).min(), da.where(fin, f, -numpy.inf).max()]
        else:
            parts += [0, 0, 0, f.min(), f.max()]
    got = _compute(*parts)
    return [tuple(got[5 * i: 5 * i + 5]) for i in range(len(flats))]


def _scaled(lo, hi):
    """The power of two that brings [lo, hi] within [-1, 1], so neither a huge range nor subnormals
    break the histogram's arithmetic (scaling by a power of two is exact)."""
    return int(numpy.frexp(max(abs(float(lo)), abs(float(hi))))[1])


def _finite_ranks(flats, census, wanted):
    """The finite value of each rank in ``wanted[i]`` (ranks among slice ``i``'s finite values).

    Returns one ``{rank: value}`` per slice, or None where the bins' rounding hid a rank (the caller
    then sorts the slice). Each round is one pass over the data for every slice and rank together: a
    window of the value range is either read (its values sorted on the host) or, holding more than
    GATHER_LIMIT values, split by a histogram into narrower windows around the ranks; the count of
    finite values below each window comes with it, exactly.
    """
    found = [{} for _ in flats]
    windows = {}  # (slice, lo, hi) -> [values expected inside, ranks]
    for i, ranks in enumerate(wanted):
        if ranks:
            n_nan, n_lo, n_hi, lo, hi = census[i]
            windows[(i, lo, hi)] = [flats[i].shape[0] - n_nan - n_lo - n_hi, sorted(ranks)]
    for _ in range(MAX_ROUNDS):
        if not windows:
            break
        tasks, plan = [], []
        for (i, lo, hi), (cnt, ranks) in windows.items():
            if lo == hi:  # one value fills the window
                found[i].update((r, flats[i].dtype.type(lo)) for r in ranks)
                continue
            f = flats[i]
            inside = (f >= lo) & (f <= hi)
            if cnt <= GATHER_LIMIT:
                main = (f[inside],)
            else:  # a histogram, and the window's own extremes: a cluster of ties ends the splitting
                e = _scaled(lo, hi)
                main = (da.histogram(da.ldexp(f, -e), bins=BINS, range=(numpy.ldexp(lo, -e), numpy.ldexp(hi, -e)))[0],
                        da.where(inside, f, numpy.inf).min(), da.where(inside, f, -numpy.inf).max())
            tasks.append(((f < lo).sum(), *main))  # -inf counts below too: taken off with the census's count
            plan.append((cnt <= GATHER_LIMIT, i, lo, hi, ranks))
        got = _compute(*tasks) if tasks else ()
        windows = {}
        for (read, i, lo, hi, ranks), parts in zip(plan, got):
            below = int(parts[0]) - int(census[i][1])
            if read:
                inside = numpy.sort(parts[1])
                for r in ranks:
                    if not 0 <= r - below < inside.size:
                        return None
                    found[i][r] = inside[r - below]
                continue
            counts, low, high = parts[1], parts[2], parts[3]
            e = _scaled(lo, hi)
            edges = numpy.ldexp(numpy.linspace(numpy.ldexp(lo, -e), numpy.ldexp(hi, -e), BINS + 1), e)
            cum = below + numpy.cumsum(counts)
            for r in ranks:
                b = int(numpy.searchsorted(cum, r, side="right"))
                first, last = max(b - 1, 0), min(b + 1, BINS - 1)  # one spare bin each side
                key = (i, max(edges[first], low), min(edges[last + 1], high))
                windows.setdefault(key, [int(counts[first:last + 1].sum()), []])[1].append(r)
    if windows:  # the rounds ran out (values the histogram cannot tell apart): read them exactly
        return None
    return found


def _order_values(flats, census, wanted, sort_whole):
    """``{rank: value}`` per slice for the ranks ``wanted[i]`` among its numbers (NaN left out):
    the infinities from the census, the finite values selected; ``sort_whole(i)`` sorts a slice
    whose ranks the bins' rounding hid."""
    finite = []
    for i, ranks in enumerate(wanted):
        n_nan, n_lo, n_hi = census[i][:3]
        nv = flats[i].shape[0] - n_nan
        finite.append({k - n_lo for k in ranks if n_lo <= k < nv - n_hi})
    got = _finite_ranks(flats, census, finite)
    out = []
    for i, ranks in enumerate(wanted):
        n_nan, n_lo, n_hi = census[i][:3]
        nv = flats[i].shape[0] - n_nan
        dt = flats[i].dtype
        if got is None or any(k - n_lo not in got[i] for k in ranks if n_lo <= k < nv - n_hi):
            whole = sort_whole(i)
            out.append({k: whole[k] for k in ranks})
            continue
        out.append({k: dt.type(-numpy.inf) if k < n_lo else dt.type(numpy.inf) if k >= nv - n_hi
                    else got[i][k - n_lo] for k in ranks})
    return out


class DaskBackend(BackendBase):
    """Dask arrays chunked by rows, NumPy (or CuPy) in each chunk."""

    name = "dask"
    xp = da
    array_type = da.Array

    def is_available(self):
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            return False, f"distributed is not installed ({exc})"
        return True, ""

    def config(self):
        try:
            c = client()
        except BackendError as exc:
            return {"library": f"dask {dask.__version__}", "scheduler": f"UNREACHABLE: {exc}"}
        if c is None:
            sched = "threaded scheduler in this process (set dask_scheduler to 'local' or an address)"
            workers = f"{os.cpu_count()} threads"
        else:
            info = c.scheduler_info()
            sched = info.get("address", str(c))
            workers = ", ".join(f"{w.get('nthreads')} threads / {w.get('memory_limit', 0) / 2**30:.1f} GiB"
                                for w in info.get("workers", {}).values())
        return {"library": f"dask {dask.__version__}", "scheduler": sched, "workers": workers,
                "chunk_target": f"{CHUNK_BYTES // 2**20} MiB of rows"}

    # ---------------------------------------------------------------- arrays
    def asarray(self, x, dtype=None):
        if isinstance(x, da.Array):
            return x if dtype is None else x.astype(dtype)
        if hasattr(x, "__cuda_array_interface__"):
            return da.from_array(x, chunks=_row_chunks(x.shape, x.dtype.itemsize), asarray=False)
        h = numpy.asarray(host(x), dtype=dtype)
        if h.dtype.kind not in "biufc":
            raise TypeError(f"non-numeric dtype {h.dtype}")
        return da.from_array(h, chunks=_row_chunks(h.shape, h.dtype.itemsize))

    def to_numpy(self, x):
        r = _compute(x)[0] if isinstance(x, da.Array) else x
        if hasattr(r, "__cuda_array_interface__"):  # CuPy chunks (a GPU-backed Dask array): copy to host
            return r.get()
        return numpy.asarray(r)

    def all_finite(self, a) -> bool:
        return bool(_compute(da.isfinite(a).all())[0])

    def all_finite_each(self, *arrays) -> tuple:
        return tuple(bool(v) for v in _compute(*(da.isfinite(a).all() for a in arrays)))

    def unique(self, a):
        return da.from_array(numpy.unique(self.to_numpy(a)))

    # ---------------------------------------------------------------- dense linear algebra on small matrices
    def _host(self, op, *arrays, **kw):
        """NumPy's ``op`` on the computed ``arrays``: Dask has no distributed decomposition, so a
        matrix small enough for one LAPACK call is brought together; the result stays on the host
        (the public layer orders eigenpairs there and puts results on this backend)."""
        n = arrays[0].shape[-1]
        if n > MAX_DENSE:
            raise not_supported(self.name, op, f"a {n}×{n} matrix is too large for a single-task LAPACK call "
                                f"(limit {MAX_DENSE}); Dask has no distributed {op}")
        return REFERENCE[op](numpy, *(self.to_numpy(a) for a in arrays), **kw)

    def inv(self, a):
        if _blocked(a):
            return self.solve(a, da.eye(a.shape[0], dtype=a.dtype, chunks=max(a.chunks[0])))
        return _lazy(self._host("inv", a))

    def solve(self, a, b):
        if _blocked(a) and b.ndim <= 2:
            return _blocked_solve(a, b)
        return _lazy(self._host("solve", a, b))

    def det(self, a):
        return _lazy(self._host("det", a))

    def eig(self, a):  # on the host: the public layer orders the pairs there, then moves them here
        return self._host("eig", a)

    def eigvals(self, a):
        return self._host("eigvals", a)

    def eigh(self, a, UPLO="L"):
        return _lazy(self._host("eigh", a, UPLO=UPLO))

    def eigvalsh(self, a, UPLO="L"):
        return _lazy(self._host("eigvalsh", a, UPLO=UPLO))

    def norm(self, x, ord=None, axis=None, keepdims=False):
        if ord is None and (axis is None or isinstance(axis, int)):
            a = abs(x) if x.dtype.kind == "c" else x
            return da.sqrt((a * a).sum(axis=axis, keepdims=keepdims))  # one lazy pass
        # Dask's norm of an empty stack keeps a length-one axis NumPy drops: no data, NumPy's own answer
        if (x.ndim == 1 or isinstance(axis, int)) and x.size:
            return da.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        return _lazy(REFERENCE["norm"](numpy, self.to_numpy(x), ord, axis, keepdims))

    def matrix_norm(self, x, keepdims=False, ord="fro"):
        if ord not in (2, -2, "nuc"):  # sums and maxima of abs(x): Dask's reductions, chunk by chunk
            return REFERENCE["matrix_norm"](da, x, keepdims=keepdims, ord=ord)
        # the singular values need each matrix whole: NumPy's own norm, once per block of whole matrices
        m, n = x.shape[-2:]
        if max(m, n) > MAX_DENSE:
            raise not_supported(self.name, "matrix_norm", f"ord={ord!r} of {m}×{n} matrices needs each in one "
                                f"task (limit {MAX_DENSE} a side); Dask has no distributed SVD of stacks")
        k = x.ndim
        whole = x.rechunk({k - 2: -1, k - 1: -1})
        dt = numpy.finfo(x.dtype).dtype
        r = whole.map_blocks(numpy.linalg.matrix_norm, ord=ord, drop_axis=(k - 2, k - 1), dtype=dt,
                             meta=numpy.empty((0,) * (k - 2), dtype=dt))
        return r[..., None, None] if keepdims else r

    def dot(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            return a * b  # NumPy's dot with a scalar
        r = da.dot(a, b)
        dt = numpy.result_type(a.dtype, b.dtype)  # Dask sums integers and bools in int64
        return r if r.dtype == dt else r.astype(dt)

    # ---------------------------------------------------------------- factorisations and least squares
    def _svd(self, a, full_matrices=True, compute_uv=True, hermitian=False):
        t = None if hermitian else _tall(a)
        if t is None:
            return _lazy(self._host("svd", a, full_matrices=full_matrices, compute_uv=compute_uv, hermitian=hermitian))
        m, n = a.shape
        if compute_uv and full_matrices and m != n:
            raise not_supported(self.name, "svd", f"a full U ({m}×{m}) of a tall {m}×{n} matrix chunked by rows: TSQR "
                                "gives the thin factors (full_matrices=False)")
        u, s, vh = da.linalg.svd(t, coerce_signs=False)
        return (u, s, vh) if compute_uv else s

    def svd(self, a, full_matrices=True, compute_uv=True, hermitian=False):
        return self._svd(a, full_matrices, compute_uv, hermitian)

    def svdvals(self, x):
        return self._svd(x, True, False, False)

    def qr(self, a, mode="reduced"):
        t = _tall(a)
        if mode == "r" and t is not None:
            return _r_factor(a)  # a itself: its column pieces are read as they are, never joined
        if t is None:
            return _lazy(self._host("qr", a, mode=mode))
        m, n = a.shape
        if mode == "raw" or (mode == "complete" and m != n):
            raise not_supported(self.name, "qr", f"mode={mode!r} of a tall {m}×{n} matrix chunked by rows: TSQR gives "
                                "the 'reduced' and 'r' modes")
        q, r = da.linalg.qr(t)
        return q, r

    def cholesky(self, a, upper=False):
        if not _blocked(a):
            return _lazy(self._host("cholesky", a, upper=upper))
        # NumPy reads one triangle only: the Hermitian matrix it describes, then Dask's blocked factor
        tri, strict = (da.triu(a), da.triu(a, 1)) if upper else (da.tril(a), da.tril(a, -1))
        h, n = _whole_blocks(tri + strict.conj().T)
        low = da.linalg.cholesky(h, lower=True)[:n, :n]
        return low.conj().T if upper else low

    def lstsq(self, a, b, rcond=None):
        t = _tall(a)
        if t is None:
            return _lazy(self._host("lstsq", a, b, rcond=rcond))
        # TSQR: R and Q^H b in one pass over a, then LAPACK's gelsd on the small R (the same singular
        # values, rank and minimum-norm solution as a's); the residuals computed lazily from a
        m, n = a.shape
        dt = numpy.result_type(a.dtype, b.dtype)
        t = t.astype(dt, copy=False)
        bb = b.astype(dt, copy=False).rechunk((t.chunks[0],) + ((-1,) if b.ndim == 2 else ()))
        q, r = da.linalg.qr(t)
        r_, qtb = _compute(r, q.conj().T @ bb)
        eps = numpy.finfo(dt).eps
        x, _, rank, s = numpy.linalg.lstsq(r_, qtb, rcond=eps * max(m, n) if rcond is None else rcond)
        real = numpy.finfo(dt).dtype
        if m > n and rank == n:
            res = abs(bb - t @ x) ** 2
            res = res.sum(axis=0).astype(real).reshape(-1)
        else:
            res = da.from_array(numpy.empty((0,), dtype=real))
        return da.from_array(x.astype(dt, copy=False)), res, da.from_array(numpy.asarray(rank)), da.from_array(s)

    def pinv(self, a, rcond=None, hermitian=False, rtol=ref_linalg.NoValue):
        if hermitian or _tall(a) is None:
            return _lazy(self._host("pinv", a, rcond=rcond, hermitian=hermitian, rtol=rtol))
        rc = ref_linalg.pinv_cutoff(rcond, rtol, a.shape, a.dtype)
        return ref_linalg.pinv_by_svd(da, self._svd, a, rc)

    def matrix_rank(self, A, tol=None, hermitian=False, rtol=None):
        if hermitian or _tall(A) is None:
            return _lazy(self._host("matrix_rank", A, tol=tol, hermitian=hermitian, rtol=rtol))
        return ref_linalg.rank_by_svd(da, self._svd, A, tol, False, rtol)

    def cond(self, x, p=None):
        if (p is None or (not isinstance(p, str) and p in (2, -2))) and _tall(x) is not None:
            s = self._svd(x, True, False, False)
            return s[-1] / s[0] if p == -2 else s[0] / s[-1]
        return _lazy(self._host("cond", x, p=p))

    def slogdet(self, a):
        return _lazy(self._host("slogdet", a))

    def matrix_power(self, a, n):
        return ref_linalg.power_by_squaring(da, self.inv, a, n)

    def tensorinv(self, a, ind=2):
        return ref_linalg.tensorinv_by(self.inv, a, ind)

    def tensorsolve(self, a, b, axes=None):
        return ref_linalg.tensorsolve_by(self.solve, a, b, axes)

    def randomized_svd(self, a, n_components, *, n_oversamples=10, n_iter=4, power_iteration_normalizer="auto",
                       random_state=None):
        """Dask's ``svd_compressed`` (power iterations normalised by TSQR, or none for ``"none"`` /
        ``n_iter <= 2`` under ``"auto"``): the same subspace as scikit-learn's, from Dask's own random numbers."""
        if isinstance(random_state, (numpy.random.RandomState, numpy.random.Generator)):
            random_state = int(random_state.integers(2**31) if hasattr(random_state, "integers")
                               else random_state.randint(2**31))
        plain = power_iteration_normalizer == "none" or (power_iteration_normalizer == "auto" and n_iter <= 2)
        transpose = a.shape[0] < a.shape[1]
        m = a.T if transpose else a
        if m.numblocks[1] > 1:
            m = m.rechunk({1: -1})
        u, s, vt = da.linalg.svd_compressed(m, n_components, iterator="power" if plain else "QR",
                                            n_power_iter=n_iter, n_oversamples=n_oversamples, seed=random_state,
                                            coerce_signs=False)
        return (vt.T, s, u.T) if transpose else (u, s, vt)

    # ---------------------------------------------------------------- statistics
    def _empty(self, op, a, **kw):
        """A statistic of no data: NumPy's NaN and RuntimeWarning, now (Dask's own reductions stay
        silent or refuse an empty array)."""
        return _lazy(REFERENCE[op](numpy, self.to_numpy(a), **kw))

    def mean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        if a.size == 0:
            return self._empty("mean", a, axis=axis, dtype=dtype, keepdims=keepdims)
        if dtype is None and a.dtype == numpy.float16:  # NumPy sums float16 in float32
            r = REFERENCE["mean"](da, a, axis=axis, dtype=numpy.float32, keepdims=keepdims, where=where)
            r = r.astype(numpy.float16)
            if out is not None:
                out[...] = r
                return out
            return r
        return REFERENCE["mean"](da, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)

    def var(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        return self._moment("var", a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, where=where,
                            mean=mean, correction=correction)

    def std(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        return self._moment("std", a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, where=where,
                            mean=mean, correction=correction)

    def _moment(self, op, a, **kw):
        if a.size == 0:
            return self._empty(op, a, axis=kw["axis"], dtype=kw["dtype"], ddof=kw["ddof"], keepdims=kw["keepdims"])
        # NumPy's arithmetic chunk by chunk runs on NumPy chunks; CuPy chunks take Dask's own reduction
        if kw["where"] is True and kw["mean"] is None and kw["dtype"] is None and type(a._meta) is numpy.ndarray:
            ddof = kw["ddof"] if kw["correction"] is None else kw["correction"]
            return _moments(a, op, kw["axis"], ddof, kw["keepdims"], kw["out"])
        return REFERENCE[op](da, a, **kw)

    def median(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        if a.size == 0:
            return self._empty("median", a, axis=axis, keepdims=keepdims)
        x = ref_stats.as_float(da, a)
        if axis is not None:
            return da.median(x, axis=axis, keepdims=keepdims, out=out)
        if x.dtype.kind == "c":  # complex numbers order lexicographically, as NumPy sorts them: one sort
            return da.median(x.reshape(-1).rechunk(-1), axis=0, keepdims=False).reshape(
                (1,) * x.ndim if keepdims else ())
        r = self._selected_medians([x.reshape(-1)], nan=False)[0]
        return da.from_array(r.reshape((1,) * x.ndim) if keepdims else r)

    # ---------------------------------------------------------------- exact quantiles, NaN-ignoring moments
    def nanvar(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._nan_moment("nanvar", a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                                where=where, mean=mean, correction=correction)

    def nanstd(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._nan_moment("nanstd", a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                                where=where, mean=mean, correction=correction)

    def nanmean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        if a.dtype.kind not in "fc":  # no NaN to leave out: NumPy's mean, with its warning for no data
            return self.mean(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
        return REFERENCE["nanmean"](da, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)

    def _nan_moment(self, op, a, **kw):
        if a.dtype.kind not in "fc":  # no NaN to leave out: NumPy's var, with its warning for too few values
            return self._moment(op[3:], a, **kw)
        # float16: NumPy sums in float16 (inf where it overflows), which the one-pass kernel in double does not
        if (a.dtype.kind == "f" and a.dtype != numpy.float16 and kw["where"] is True and kw["mean"] is None and kw["dtype"] is None
                and type(a._meta) is numpy.ndarray):
            ddof = kw["ddof"] if kw["correction"] is None else kw["correction"]
            return _nan_moments(a, op, kw["axis"], ddof, kw["keepdims"], kw["out"])
        return REFERENCE[op](da, a, **kw)

    def quantile(self, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False,
                 weights=None):
        return ref_stats._into(out, self._order("quantile", a, q, axis, method, keepdims, weights))

    def nanquantile(self, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False,
                    weights=None):
        return ref_stats._into(out, self._order("nanquantile", a, q, axis, method, keepdims, weights))

    def nanmedian(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        return ref_stats._into(out, self._order("nanmedian", a, None, axis, None, keepdims, None))

    def _order(self, op, a, q, axis, method, keepdims, weights):
        """An exact order statistic: NumPy's own on each block where each reduced slice lies in one
        chunk (after a rechunk, for slices up to SLICE_BYTES), else selected by histogram passes."""
        if a.ndim == 0:
            host = {k: self.to_numpy(v) for k, v in (("a", a), ("weights", weights)) if v is not None}
            qh = q if q is None or type(q) in (int, float) else self.to_numpy(q)
            extra = {} if op == "nanmedian" else {"method": method, "weights": host.get("weights")}
            args = (host["a"],) if op == "nanmedian" else (host["a"], qh)
            return _lazy(REFERENCE[op](numpy, *args, axis=axis, keepdims=keepdims, **extra))
        axes = reduced_axes(axis, a.ndim)
        n = math.prod(a.shape[i] for i in axes)
        slices = a.size // max(n, 1)
        if any(a.numblocks[i] > 1 for i in axes):
            if (n * a.dtype.itemsize > SLICE_BYTES and weights is None and a.dtype.kind in "biuf"
                    and slices <= MAX_SELECT_SLICES and type(a._meta) is numpy.ndarray):
                return self._selected(op, a, q, axes, method, keepdims)
            a = a.rechunk({i: -1 if i in axes else "auto" for i in range(a.ndim)})
        return self._blockwise(op, a, q, axes, method, keepdims, weights)

    def _blockwise(self, op, a, q, axes, method, keepdims, weights):
        """NumPy's ``op`` on each block, whose reduced axes are whole: one lazy pass."""
        qh = q if q is None or type(q) in (int, float) else self.to_numpy(q)
        qshape = numpy.shape(qh) if q is not None else ()
        f = getattr(numpy, op)

        def block(b, w=None):
            if op == "nanmedian":
                return f(b, axis=axes, keepdims=True)
            return f(b, qh, axis=axes, method=method, keepdims=True, **({} if w is None else {"weights": w}))

        args = [a]
        if weights is not None:
            w = da.broadcast_to(ref_stats.weights_along(da, weights, a.shape, axes), a.shape)
            args.append(w.rechunk(a.chunks))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            one = (1,) * a.ndim
            dt = block(numpy.ones(one, a.dtype), None if weights is None else numpy.ones(one)).dtype
        chunks = tuple((k,) for k in qshape) + tuple((1,) if i in axes else c for i, c in enumerate(a.chunks))
        r = da.map_blocks(block, *args, new_axis=list(range(len(qshape))) or None, chunks=chunks, dtype=dt,
                          meta=numpy.empty((0,) * (len(qshape) + a.ndim), dt))
        return r if keepdims else r.squeeze(axis=tuple(len(qshape) + i for i in axes))

    def _slices(self, a, axes):
        """The reduced slices of ``a`` as 1-D Dask arrays (the kept indexes in C order), and the kept shape."""
        kept = tuple(s for i, s in enumerate(a.shape) if i not in axes)
        moved = da.moveaxis(a, axes, tuple(range(a.ndim - len(axes), a.ndim))) if kept else a
        return [moved[idx].reshape(-1) for idx in numpy.ndindex(*kept)] if kept else [a.reshape(-1)], kept

    def _selected(self, op, a, q, axes, method, keepdims):
        """Quantiles or medians of a few large slices, exact, by histogram selection (computed here)."""
        flats, kept = self._slices(a, axes)
        if op == "nanmedian":
            r = numpy.stack(self._selected_medians(flats, nan=True))
            qshape = ()
        else:
            r, qshape = self._selected_quantiles(flats, q, method, nan=op == "nanquantile")
            r = r.T  # q's axes first
        r = r.reshape(qshape + kept)
        if keepdims:
            r = r.reshape(qshape + tuple(1 if i in axes else s for i, s in enumerate(a.shape)))
        return da.from_array(r)

    def _sort_slice(self, flats):
        def sort_whole(i):
            f = numpy.sort(self.to_numpy(flats[i]))
            return f[~numpy.isnan(f)] if f.dtype.kind == "f" else f
        return sort_whole

    def _selected_quantiles(self, flats, q, method, nan):
        """``(values (slices, Q), q's shape)``: NumPy's quantiles of each 1-D slice, from the order
        statistics its ``method`` reads, selected in one census and two passes (usually)."""
        qh, weak = (numpy.asarray(q), True) if type(q) in (int, float) else (numpy.asarray(self.to_numpy(q)), False)
        qrow = qh.reshape(1, -1)
        census = _census(flats)
        size = flats[0].shape[0]
        counts = numpy.array([[size - c[0] if nan else size] for c in census], dtype=numpy.int64)
        skip = numpy.array([(c[0] == size) if nan else (c[0] > 0) for c in census])  # NaN answers
        dt = flats[0].dtype
        asked = []

        def record(idx):
            asked.append(numpy.broadcast_to(idx, (len(flats), qrow.shape[1])))
            return numpy.zeros(asked[-1].shape, dt)

        n = counts if nan else size
        _quantile.from_order(numpy, record, n, qrow, method, weak, lambda d: d)
        wanted = [set() if skip[i] else {int(k) for idx in asked for k in idx[i]} for i in range(len(flats))]
        values = _order_values(flats, census, wanted, self._sort_slice(flats))

        def take(idx):
            idx = numpy.broadcast_to(idx, (len(flats), qrow.shape[1]))
            return numpy.array([[values[i].get(int(k), 0) for k in row] for i, row in enumerate(idx)], dtype=dt)

        with numpy.errstate(all="ignore"):
            r = _quantile.from_order(numpy, take, n, qrow, method, weak, lambda d: d)
        if skip.any():
            for _ in range(int(skip.sum()) if nan else 0):  # once per slice, as NumPy's
                warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=6)
            r = numpy.where(skip[:, None], numpy.nan, r) if r.dtype.kind == "f" else r
        return r, qh.shape

    def _selected_medians(self, flats, nan):
        """NumPy's median (``nan``: nanmedian) of each 1-D slice, selected: the mean of its one or two
        middle numbers, in NumPy's dtype (float16 selected in float32, exact for its values)."""
        dt = numpy.dtype(numpy.float64) if flats[0].dtype.kind in "biu" else flats[0].dtype
        sel = [f.astype(numpy.float32) if f.dtype == numpy.float16 else f for f in flats]
        census = _census(sel)
        size = flats[0].shape[0]
        wanted = []
        for c in census:
            nv = size - c[0] if nan else size
            wanted.append(set() if (c[0] and not nan) or nv == 0 else {(nv - 1) // 2, nv // 2})
        values = _order_values(sel, census, wanted, self._sort_slice(sel))
        out = []
        for c, w, v in zip(census, wanted, values):
            if not w:
                if nan:
                    warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=6)
                out.append(numpy.asarray(numpy.nan, dtype=dt))
                continue
            lo, hi = min(w), max(w)
            with numpy.errstate(all="ignore"):
                out.append(numpy.asarray(_middle(v[lo], v[hi], lo == hi, dt), dtype=dt))
        return out

    def mode(self, a, axis=0, nan_policy="propagate", keepdims=False):
        if a.ndim == 0 or a.size == 0:  # SciPy's answer (and warning) for no data or a scalar
            return _lazy(REFERENCE["mode"](numpy, self.to_numpy(a), axis=axis, nan_policy=nan_policy,
                                           keepdims=keepdims))
        if axis is None:  # distinct values counted chunk by chunk; NaNs counted apart, as one value
            flat = a.reshape(-1)
            n_nan = da.isnan(flat).sum() if a.dtype.kind == "f" else 0
            # Dask's unique counts NaN as 0: NaNs are counted apart, as one value
            vals, counts, n_nan = _compute(*da.unique(flat, return_counts=True), n_nan)
            keep = ~numpy.isnan(vals) if a.dtype.kind == "f" else numpy.ones(vals.shape, dtype=bool)
            vals, counts = vals[keep], counts[keep]
            k = int(numpy.argmax(counts)) if counts.size else -1  # unique is sorted: the first max is smallest
            m, c = (vals[k], counts[k]) if k >= 0 else (numpy.nan, 0)
            if nan_policy == "propagate" and n_nan > c:  # NaN sorts last: it wins only outright
                m, c = numpy.nan, n_nan
            m = numpy.asarray(m, dtype=a.dtype if k >= 0 or a.dtype.kind == "f" else numpy.float64)
            c = numpy.asarray(c, dtype=numpy.int64)
            if keepdims:
                m, c = m.reshape((1,) * a.ndim), c.reshape((1,) * a.ndim)
            return da.from_array(m), da.from_array(c)
        ax = axis % a.ndim
        xs = a.rechunk({ax: -1})  # each slice whole in one chunk, SciPy's mode on each
        parts = [da.map_blocks(lambda b, i=i: REFERENCE["mode"](numpy, b, axis=ax, nan_policy=nan_policy,
                                                                 keepdims=keepdims)[i],
                               xs, drop_axis=() if keepdims else ax,
                               chunks=xs.chunks[:ax] + ((1,),) + xs.chunks[ax + 1:] if keepdims else None,
                               dtype=a.dtype if i == 0 else numpy.int64)
                 for i in (0, 1)]
        return tuple(parts)

    def _wide_gram(self, obs):
        """The lazy centred Gram in double, as NumPy computes single precision's cov: for real NumPy
        chunks one pass (per chunk its means and centred Gram, merged by Chan's formula), else the
        column means, then a tall-skinny reduction, one d×d block per row chunk, then a sum."""
        obs = obs.astype(ref_stats.wide_dtype(da, obs.dtype))
        if (type(obs._meta) is numpy.ndarray and obs.dtype.kind == "f" and obs.ndim == 2 and obs.shape[0]
                and not math.isnan(obs.shape[0])):
            return _one_pass_gram(obs)
        return ref_stats.centred_gram(da, obs)

    def can_run(self, op, /, *args, **kw):
        if op == "cov":  # weights and bias: Dask's own cov
            return (kw.get("fweights") is None and kw.get("aweights") is None and not kw.get("bias")
                    and kw.get("dtype") is None)
        if op == "corrcoef":
            return kw.get("dtype") is None
        if op in _PARTIAL_OPS:  # weighted or not: one map_blocks pass of partial sums
            return True
        # weighted fits: the reference's steps, their results gathered in one pass by the fit
        return kw.get("sample_weight") is None

    def cov(self, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
        return ref_stats.cov_by_gram(da, self._wide_gram, m, y, rowvar, ddof).squeeze()

    def corrcoef(self, x, y=None, rowvar=True, dtype=None):
        return ref_stats.corrcoef_from_cov(da, ref_stats.cov_by_gram(da, self._wide_gram, x, y, rowvar))

    # ---------------------------------------------------------------- models
    def centred_gram(self, X, y=None, centre=True, sample_weight=None):
        """Two passes: the column means, then XcᵀXc and Xcᵀyc together; the results on the host."""
        if centre:
            means = _compute(*(ref_stats.column_means(da, a) for a in (X, y) if a is not None))
            xm, ym = means[0], (means[1] if y is not None else None)
            Xc, yc = X - xm, (None if y is None else y - ym)
        else:
            xm, ym = numpy.zeros(X.shape[1], X.dtype), (None if y is None else numpy.zeros(y.shape[1], y.dtype))
            Xc, yc = X, y
        if y is None:
            return xm, _compute(Xc.T @ Xc)[0], None, None
        G, r = _compute(Xc.T @ Xc, Xc.T @ yc)  # one pass for both
        return xm, G, ym, r

    def gd_xp(self):
        return numpy

    def _gd(self, kind, X, y, w, b, alpha, fit_intercept, grad=True):
        n = X.shape[0]
        if grad and type(X._meta) is numpy.ndarray and X.ndim == 2 and n and not math.isnan(n):
            # one task per row chunk does its whole share (Xw, r, the loss, Xᵀr, Σr) from one read
            xs, ys = _row_blocks(X, y)
            wh, bh = numpy.asarray(self.to_numpy(w)), numpy.asarray(self.to_numpy(b))
            parts = [dask.delayed(_gd_chunk)(xb, yb, wh, bh) for xb, yb in zip(xs, ys)]
            ((loss, g, gb),) = _compute(_tree(parts, _gd_merge))
            loss = (loss + 0.5 * alpha * float((wh * wh).sum())) / n
            return numpy.asarray(loss), (g + alpha * wh) / n, (numpy.asarray(gb) / n if fit_intercept else None)
        r = X @ w + b - y  # kind "linear": the logistic and softmax passes are _step's
        part = 0.5 * (r * r).sum()
        if not grad:
            (loss,) = _compute(part)
            return numpy.asarray((loss + 0.5 * alpha * float((w * w).sum())) / n), None, None
        loss, g, gb = _compute(part, X.T @ r, r.sum(axis=0))  # one pass over X
        loss = (loss + 0.5 * alpha * float((w * w).sum())) / n
        return numpy.asarray(loss), (g + alpha * w) / n, (numpy.asarray(gb) / n if fit_intercept else None)

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd("linear", X, y, w, b, alpha, fit_intercept, grad)

    def _sums(self, kind, X, y, w, b, sample_weight, fit_intercept, hessian):
        """One distributed pass over ``X``: each row chunk's sums (total weight, loss, gradient and, with
        ``hessian``, Hessian; :func:`xpmath._reference.models.loss_sums`) packed in one vector by a task
        of its own, the vectors tree-summed; the parameters ``w``, ``b`` go to every task, the sums
        come back to the host (as dask-glm's algorithms do)."""
        if len(X.chunks[1]) > 1:
            X = X.rechunk({1: -1})
        rows = X.chunks[0]
        cols = [y if y.ndim == 2 else y[:, None]] + ([] if sample_weight is None else [sample_weight[:, None]])
        cols = [c.rechunk((rows, -1)) for c in cols]
        weighted = sample_weight is not None
        k = None if y.ndim == 1 else y.shape[1]
        p = w.size + (k or 1)
        size = 2 + p + (p * p if hessian else 0)
        w, b = numpy.asarray(w), numpy.asarray(b)

        def part(Xb, yb, *sb):
            yb = yb[:, 0] if k is None else yb
            s = sb[0][:, 0] if weighted else None
            loss, gw, gb, H = ref_models.loss_sums(numpy, kind, Xb, yb, w, b, s, True, hessian)
            total = Xb.shape[0] if s is None else s.sum()
            out = [numpy.asarray([total, loss], dtype=numpy.float64), gw.ravel(), numpy.ravel(gb)]
            if hessian:
                out.append(H.ravel())
            return numpy.concatenate(out)[None, :]

        parts = da.map_blocks(part, X, *cols, chunks=((1,) * len(rows), (size,)), dtype=numpy.float64)
        (flat,) = _compute(parts.sum(axis=0))
        total, loss = flat[0], flat[1]
        gw = flat[2: 2 + w.size].reshape(w.shape)
        gb = flat[2 + w.size: 2 + p].reshape(() if k is None else (k,))
        H = flat[2 + p:].reshape(p, p) if hessian else None
        return total, loss, gw, gb, H

    def _step(self, kind, X, y, w, b, alpha, fit_intercept, sample_weight, hessian=False):
        dt = X.dtype
        total, loss, gw, gb, H = self._sums(kind, X, y, w, b, sample_weight, fit_intercept, hessian)
        loss = numpy.asarray((loss + 0.5 * alpha * float((w * w).sum())) / total, dtype=dt)
        gw = ((gw + alpha * w) / total).astype(dt)
        gb = (gb / total).astype(dt) if fit_intercept else None
        if not hessian:
            return loss, gw, gb
        n_w = w.size
        if not fit_intercept:  # the sums carry the intercept's rows and columns (last k): drop them
            H = H[:n_w, :n_w]
        H = H / total
        H[numpy.arange(n_w), numpy.arange(n_w)] += alpha / total
        return loss, gw, gb, H.astype(dt)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._step("logistic", X, y, w, b, alpha, fit_intercept, sample_weight)

    def softmax_gd_step(self, X, Y, W, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._step("softmax", X, Y, W, b, alpha, fit_intercept, sample_weight)

    def logistic_hessian(self, X, y, w, b, alpha, fit_intercept, sample_weight=None):
        return self._step("logistic", X, y, w, b, alpha, fit_intercept, sample_weight, hessian=True)

    def softmax_hessian(self, X, Y, W, b, alpha, fit_intercept, sample_weight=None):
        return self._step("softmax", X, Y, W, b, alpha, fit_intercept, sample_weight, hessian=True)

    # ---------------------------------------------------------------- random
    def default_rng(self, seed=None):
        return NumpyGeneratorAdapter(numpy.random.default_rng(seed), self.asarray)

    def legacy_rng(self, seed=None):
        return NumpyGeneratorAdapter(numpy.random.RandomState(seed), self.asarray)
