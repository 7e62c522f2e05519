"""The ``numba`` backend: NumPy arrays, Numba ``@njit`` kernels on every core.

Memory-bound operations (moments, z-scores, median, covariance centring, norms, probability,
the models' gradient steps) run hand-written parallel kernels that read the data once;
BLAS/LAPACK-bound ones (dot, matmul, inv, solve, det, eig, eigh) are not defined here: NumPy's own
call runs, which jitted code calling the same libraries does not beat.
Importing this module does not import Numba: the kernels module is loaded on first use.

Threading: the ``numba_threading_layer`` setting (``xpmath.set_config``), by default the OpenMP
layer where it loads (it is safe to call from several Python threads; Numba's ``workqueue`` layer
aborts the process then), and OpenMP threads sleep between calls (``OMP_WAIT_POLICY=PASSIVE``
unless set) so that they do not steal the cores from BLAS. Where only ``workqueue`` exists, calls
are serialised by a lock. ``numba_threads`` sets how many threads the kernels use. Kernels are
compiled lazily and cached (``numba_cache_dir``, by default ``~/.cache/xpmath/numba`` when the
install directory is read-only).
"""

from __future__ import annotations

import importlib
import math
import operator
import os
import threading

import numpy

from xpmath import _config
from xpmath._backend import BackendBase
from xpmath._reference import linalg as ref_linalg
from xpmath._reference import stats as ref_stats
from xpmath._backend import reduced_axes as _axes

_state: dict = {}
_lock = threading.Lock()
_threads = threading.local()  # .n: the thread count this thread last gave Numba


def _writable(path: str) -> bool:
    return os.access(path, os.W_OK)


def _cache_dir() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    pyc = os.path.join(here, "__pycache__")
    if _writable(pyc if os.path.isdir(pyc) else here):
        return ""  # Numba's default: __pycache__ beside the module
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xpmath", "numba")


def _kernels():
    """Import Numba and the kernels once, configured by xpmath's settings, and give the calling thread
    the configured number of threads (Numba's count is per thread; a thread-local note of what was
    set keeps the check to an attribute read, where numba.get_num_threads costs ~5 µs)."""
    k = _state.get("k")
    if k is None:
        with _lock:
            if "k" not in _state:
                cfg = _config.get_config()
                cache = cfg["numba_cache_dir"] or _cache_dir()
                if cache:
                    os.makedirs(cache, exist_ok=True)
                # libgomp reads its wait policy from the environment alone, when it loads: the one
                # variable xpmath sets (unless already set), so that idle OpenMP threads sleep
                # instead of spinning (8 ms a parallel region measured on a busy 2-core machine)
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import numba

                if cache:
                    numba.config.CACHE_DIR = cache  # read when each cached kernel is defined, below
                layer = cfg["numba_threading_layer"]
                if layer == "omp":
                    try:
                        importlib.import_module("numba.np.ufunc.omppool")
                    except ImportError:  # shipped, but libgomp cannot load here
                        layer = "default"
                numba.config.THREADING_LAYER = layer
                _state["numba"] = numba
                _state["max_threads"] = numba.config.NUMBA_NUM_THREADS
                k = importlib.import_module("xpmath_backends.numba_kernels")
                k.sum_flat(numpy.ones(2))  # start the thread pool so the layer is known
                _state["layer"] = numba.threading_layer()
                _state["k"] = k
                _config.freeze(numba_threading_layer=cfg["numba_threading_layer"],
                               numba_cache_dir=cfg["numba_cache_dir"])
            k = _state["k"]
    n = _config.value("numba_threads") or _state["max_threads"]
    if getattr(_threads, "n", 0) != n:
        _state["numba"].set_num_threads(n)
        _threads.n = n
    return k


_blas_lock = threading.Lock()  # one thread-count change of BLAS at a time


def _blas_controller():
    """threadpoolctl's view of the loaded BLAS, taken once (a fresh look costs ~0.3 ms)."""
    if "blas" not in _state:
        from threadpoolctl import ThreadpoolController

        _state["blas"] = ThreadpoolController()
    return _state["blas"]


class _Serial:
    """Serialise kernel calls where the threading layer is not thread-safe (workqueue)."""

    def __enter__(self):
        if _state.get("layer") == "workqueue":
            _lock.acquire()
            self._held = True
        else:
            self._held = False

    def __exit__(self, *exc):
        if self._held:
            _lock.release()


def _f64(a):
    return a if a.dtype == numpy.float64 else a.astype(numpy.float64)


def _out(v, dtype):
    """A kernel's float64 result in the dtype NumPy would give."""
    return numpy.asarray(v, dtype=numpy.float64).astype(dtype, copy=False)


def _moment_input(a):
    """What the moments kernels take: non-empty real or complex float32/float64, or integers and bools
    (read as float64, as NumPy's own moments are)."""
    return a.ndim > 0 and a.size > 0 and (a.dtype.char in "fdFD" or a.dtype.kind in "biu")


def _real_input(a):
    return a.dtype.char in "fd" or a.dtype.kind in "biu"


def _real(a):
    """float32 or float64: what the kernels take (float16 and longdouble stay with NumPy's loops)."""
    return a.dtype.char in "fd"


def _result(v, x, red, keepdims):
    """A kernel's outputs (C order of the kept axes) shaped and typed as NumPy's
    reduction of ``x`` over the axes ``red``: a NumPy scalar where nothing is kept."""
    keep = tuple(s for i, s in enumerate(x.shape) if i not in red)
    r = numpy.asarray(v).astype(x.dtype, copy=False).reshape(keep)
    if keepdims:
        r = r.reshape(tuple(1 if i in red else s for i, s in enumerate(x.shape)))
    return r[()] if r.ndim == 0 else r


def _near_overflow(x, m, q, n) -> bool:
    """Whether NumPy's own sums over ``x`` could overflow, from the kernels' mean ``m`` and sum of
    squared deviations ``q`` (``n`` values a slice), or the kernels met a non-finite value.

    The kernels shift the data and accumulate in double, so they give finite answers where NumPy's
    sum (in the data's dtype) or its squared deviations overflow to inf, or inf - inf gives NaN.
    Every value lies within sqrt(q) of the mean, so a partial sum of a slice is at most
    n (|m| + sqrt(q)): below a quarter of the dtype's largest number, neither overflows and the
    kernels' answer is NumPy's. Otherwise (or with NaN or inf in the data) NumPy's own call answers,
    with its IEEE infinities and NaNs.
    """
    big = numpy.finfo(x.dtype).max / 4
    with numpy.errstate(all="ignore"):
        return not (numpy.all((numpy.abs(m) + numpy.sqrt(q)) * n < big) and numpy.all(q < big))


class NumbaBackend(BackendBase):
    """Numba-JIT kernels on NumPy arrays, parallel on all cores."""

    name = "numba"
    xp = numpy
    array_type = numpy.ndarray
    gd_step_flags_nonfinite = True  # linear_step / logistic_step: no fast-math flag drops a NaN

    def is_available(self):
        try:
            _kernels()
        except ImportError as exc:
            return False, f"numba is not installed ({exc})"
        return True, ""

    def config(self):
        _kernels()
        numba = _state["numba"]
        _kernels()
        layer = _state["layer"]
        from xpmath_backends.numpy_backend import blas_info

        return {
            "library": f"numba {numba.__version__} (numpy {numpy.__version__})",
            "threading_layer": layer + (" (calls serialised by a lock)" if layer == "workqueue" else ""),
            "threads": numba.get_num_threads(),
            "cache_dir": numba.config.CACHE_DIR or "(beside the module)",
            "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", ""),
            "linalg": "NumPy's own calls (its BLAS/LAPACK)",
            **blas_info(),
        }

    def can_run(self, op, /, *args, **kw):
        """The kernels take real (or integer) data, and NumPy's default keywords; anything else —
        an ``out=``, ``where=``, ``dtype=``, a float16 array, an empty one — is NumPy's own call."""
        a = args[0]
        if op in ("mean", "var", "std"):
            return (_moment_input(a) and kw.get("axis") != () and kw.get("dtype") is None and kw.get("out") is None
                    and kw.get("where", True) is True and kw.get("mean") is None and kw.get("correction") is None)
        if op == "zscore":
            return _real_input(a) and a.ndim > 0 and a.size > 0 and kw.get("nan_policy") != "omit"
        if op == "median":
            return _real_input(a) and a.ndim > 0 and a.size > 0 and kw.get("axis") != () and kw.get("out") is None
        if op in ("cov", "corrcoef"):
            y = args[1] if len(args) > 1 else kw.get("y")
            return (a.size > 0 and self._kernel_types(a, y) and kw.get("dtype") is None and not kw.get("bias")
                    and kw.get("fweights") is None and kw.get("aweights") is None)
        if op in ("centred_gram", "column_means"):
            y = args[1] if len(args) > 1 else kw.get("y")
            return (_real(a) and a.ndim == 2 and a.shape[0] > 0 and (y is None or y.dtype == a.dtype)
                    and kw.get("sample_weight") is None)
        if op == "norm":
            return self._norm_axes(a, kw.get("axis")) is not None and (kw.get("ord") is not None or kw.get("axis") is not None)
        if op == "cosine_similarity":
            b = args[1] if len(args) > 1 else kw.get("b")
            return _real(a) and (b is None or _real(b))
        if op in ("linear_gd_step", "logistic_gd_step"):  # one target, unweighted
            return args[1].ndim == 1 and a.dtype.kind == "f" and kw.get("sample_weight") is None
        if op == "count_within":
            return _real(a)
        return True

    # ---------------------------------------------------------------- moments
    def _moments(self, x, axis):
        """(mean, M2, count, shape-of-result-with-keepdims) of real ``x`` over None, an int or a tuple of axes."""
        k = _kernels()
        nd = x.ndim
        red = _axes(axis, nd)
        with _Serial():
            if len(red) == nd:
                m, q = k.moments_flat(numpy.ravel(x))
                return numpy.float64(m), numpy.float64(q), x.size, (1,) * nd
            kept = tuple(1 if i in red else s for i, s in enumerate(x.shape))
            n = math.prod(x.shape[i] for i in red)
            if red == tuple(range(nd - len(red), nd)):  # reduced axes last: one row each
                m, q = k.moments_rows(x.reshape(-1, n))
            elif red == tuple(range(len(red))):  # reduced axes first: blocks of rows, per column
                m, q = k.moments_cols(x.reshape(n, -1))
            else:  # the reduced axes moved last (a copy), then one row each
                keep = tuple(i for i in range(nd) if i not in red)
                m, q = k.moments_rows(numpy.transpose(x, keep + red).reshape(-1, n))
            return m.reshape(kept), q.reshape(kept), n, kept

    def _moments_any(self, x, axis):
        """:meth:`_moments` for real or complex ``x`` (complex: the real and imaginary parts' moments)."""
        if x.dtype.kind != "c":
            return self._moments(x, axis)
        mr, qr, n, kept = self._moments(x.real, axis)
        mi, qi, _, _ = self._moments(x.imag, axis)
        return mr + 1j * mi, qr + qi, n, kept

    def mean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments_any(xf, axis)
        if _near_overflow(xf, m, q, n):
            return numpy.mean(a, axis=axis, keepdims=keepdims)
        return _result(m, xf, _axes(axis, xf.ndim), keepdims)

    def var(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments_any(xf, axis)
        if _near_overflow(xf, m, q, n):
            return numpy.var(a, axis=axis, ddof=ddof, keepdims=keepdims)
        with numpy.errstate(divide="ignore", invalid="ignore"):
            v = numpy.divide(q, max(n - ddof, 0))
        if n - ddof <= 0:
            import warnings

            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        return _result(v, xf.real, _axes(axis, xf.ndim), keepdims)

    def std(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        return numpy.sqrt(self.var(a, axis, ddof=ddof, keepdims=keepdims))

    def zscore(self, a, axis=0, ddof=0, nan_policy="propagate"):
        k = _kernels()
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments(xf, axis)
        if _near_overflow(xf, m, q, n):
            return ref_stats.zscore(numpy, a, axis=axis, ddof=ddof, nan_policy=nan_policy)
        with numpy.errstate(divide="ignore", invalid="ignore"):
            s = numpy.sqrt(numpy.divide(q, max(n - ddof, 0)))
        out = numpy.empty(xf.shape, dtype=xf.dtype)
        with _Serial():
            if axis is None:
                src = numpy.ascontiguousarray(xf).reshape(-1)
                k.zscore_flat(src, float(m), float(s), out.reshape(-1))
            elif axis % xf.ndim == xf.ndim - 1:
                k.zscore_rows(xf.reshape(-1, xf.shape[-1]), m.reshape(-1), s.reshape(-1), out.reshape(-1, xf.shape[-1]))
            else:
                ax = axis % xf.ndim
                src = numpy.moveaxis(xf, ax, 0)
                o = numpy.moveaxis(out, ax, 0)
                x2 = src.reshape(src.shape[0], -1)
                o2 = o.reshape(o.shape[0], -1) if o.flags.c_contiguous else numpy.empty(x2.shape, xf.dtype)
                k.zscore_cols(x2, numpy.moveaxis(m, ax, 0).reshape(-1), numpy.moveaxis(s, ax, 0).reshape(-1), o2)
                if not o.flags.c_contiguous:
                    o[...] = o2.reshape(o.shape)
        return out

    def median(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        k = _kernels()
        xf = ref_stats.as_float(numpy, a)
        nd = xf.ndim
        red = _axes(axis, nd)
        if len(red) == nd:
            flat = numpy.ravel(xf)
            n = flat.size
            with _Serial():
                lo, hi, has_nan = k._minmax_nan(flat)
                if has_nan:
                    v = numpy.nan
                else:
                    a, b = k.select_two(flat, (n - 1) // 2, n // 2, lo, hi)
                    a, b = xf.dtype.type(a), xf.dtype.type(b)
                    # NumPy's: the middle value of an odd count, else the mean of the two in the
                    # data's dtype (inf where their sum overflows)
                    v = a if n % 2 else numpy.mean(numpy.array([a, b], dtype=xf.dtype))
            r = numpy.asarray(v, dtype=xf.dtype)
            return r.reshape((1,) * nd) if keepdims else r[()]
        keep = tuple(i for i in range(nd) if i not in red)
        src = numpy.transpose(xf, keep + red)  # the reduced axes last; each row's median in parallel
        x2 = numpy.ascontiguousarray(src).reshape(-1, math.prod(xf.shape[i] for i in red))
        out = numpy.empty(x2.shape[0], dtype=xf.dtype)
        with _Serial():
            k.median_rows(x2, out)
        return _result(out, xf, red, keepdims)

    # ---------------------------------------------------------------- covariance
    def _centred_gram(self, groups, dt):
        """Σ bᵀb over blocks b of rows of the side-by-side columns of ``groups`` ((data, means) pairs,
        n rows each), each centred by its means as the block is made: the Gram matrix of the centred
        data without a centred copy of it. Returns ``(gram, column sums of the centred data)``, the
        sums in double, added as the blocks are centred (one add per value).

        Each block is centred by our kernel into a cache-sized buffer, then BLAS multiplies it (NumPy
        turns bᵀb into SYRK). On several threads each takes whole blocks with a one-thread SYRK:
        OpenBLAS splits a 64-wide SYRK poorly between threads (~1.3x on two), blocks scale ~2x.
        """
        k = _kernels()
        n = groups[0][0].shape[0]
        widths = [a.shape[1] for a, _ in groups]
        p = sum(widths)
        starts = range(0, n, k.BLOCK)
        nt = self._threads()
        nt = nt if nt > 1 and n >= 2 * nt * k.BLOCK else 1

        def work(t):
            g = numpy.zeros((p, p), dtype=dt)
            s = numpy.zeros(p)
            buf = numpy.empty((min(k.BLOCK, n), p), dtype=dt)
            for lo in starts[t::nt]:
                hi = min(lo + k.BLOCK, n)
                b = buf[: hi - lo]
                off = 0
                for (a, mu), w in zip(groups, widths):  # nogil kernel: the threads run at once
                    k.centre_block(a, lo, hi, mu, b[:, off:off + w], s[off:off + w])
                    off += w
                g += b.T @ b
            return g, s

        if nt == 1:
            g, s = work(0)
        else:
            from concurrent.futures import ThreadPoolExecutor

            # as scikit-learn does around its own parallel loops: BLAS on one thread meanwhile
            with _blas_lock, _blas_controller().limit(limits=1, user_api="blas"), ThreadPoolExecutor(nt) as ex:
                parts = list(ex.map(work, range(nt)))
            g, s = parts[0]
            for q, r in parts[1:]:  # a fixed order: the same answer every time
                g += q
                s += r
        return g, s

    def column_means(self, X):
        with _Serial():
            return numpy.ascontiguousarray(_out(_kernels().means_cols(X), X.dtype))

    #: rows from which centred_gram tries one pass (a shift from a sample of rows) before two
    _SHIFTED_MIN_ROWS = 1 << 16
    #: rows sampled, evenly spaced, for the shift of the one-pass Gram matrix
    _SHIFT_SAMPLE = 4096

    def _shifted_gram(self, X, y):
        """``centred_gram``'s result in one read of the data, or None where that is not as exact.

        The data are centred by a shift ``s``: the mean of an evenly spaced sample of rows, close
        to the mean μ however the rows are ordered (a trend, sorted data). One blocked pass gives
        the Gram matrix S of x − s and the column sums of x − s (added as the blocks are centred); then
        δ = μ − s = (those sums)/n and the centred Gram matrix is G = S − n δδᵀ. That subtraction
        loses digits only where n δᵢ² is large against Gᵢᵢ (the shift far from the mean in units of
        the spread): the error of each entry stays within 2 ε √(Sᵢᵢ Sⱼⱼ) while n δᵢ² ≤ Gᵢᵢ for
        every column, the same order as centring by the exact mean first. Where the sample misses
        that bound (data built against it), None: the caller centres by the exact means in two passes.
        """
        n = X.shape[0]
        step = max(1, n // self._SHIFT_SAMPLE)
        f8 = numpy.float64
        parts = [X] if y is None else [X, y]
        shifts = [numpy.ascontiguousarray(a[::step].mean(axis=0, dtype=f8).astype(a.dtype)) for a in parts]
        S, sums = self._centred_gram(tuple(zip(parts, shifts)), X.dtype)
        delta = sums / n
        G = S.astype(f8) - n * numpy.outer(delta, delta)
        lost = n * delta * delta
        if not numpy.all((lost <= numpy.diagonal(G)) | (lost == 0)):
            return None
        means = numpy.concatenate(shifts).astype(f8) + delta
        dt = X.dtype
        p = X.shape[1]
        G = G.astype(dt)
        xm = numpy.ascontiguousarray(means[:p].astype(dt))
        if y is None:
            return xm, G, None, None
        return (xm, numpy.ascontiguousarray(G[:p, :p]), numpy.ascontiguousarray(means[p:].astype(dt)),
                numpy.ascontiguousarray(G[:p, p:]))

    def centred_gram(self, X, y=None, centre=True, sample_weight=None):
        """XᵀX (and Xᵀy) of the centred data: in one blocked pass from a sampled shift where that is
        as exact (:meth:`_shifted_gram`, large inputs), else one parallel pass for the means, then
        one blocked pass."""
        if centre and X.shape[0] >= self._SHIFTED_MIN_ROWS:
            r = self._shifted_gram(X, y)
            if r is not None:
                return r
        dt = X.dtype
        p = X.shape[1]
        xm = self.column_means(X) if centre else numpy.zeros(p, dtype=dt)
        if y is None:
            return xm, self._centred_gram(((X, xm),), dt)[0], None, None
        ym = self.column_means(y) if centre else numpy.zeros(y.shape[1], dtype=dt)
        g = self._centred_gram(((X, xm), (y, ym)), dt)[0]
        return xm, numpy.ascontiguousarray(g[:p, :p]), ym, numpy.ascontiguousarray(g[:p, p:])

    @staticmethod
    def _kernel_types(*arrays):
        """True where the covariance kernels apply: no complex, no float16 / longdouble."""
        return all(a is None or a.dtype.kind in "biu" or a.dtype.char in "fd" for a in arrays)

    def cov(self, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
        return ref_stats.cov_by_gram(numpy, self.centred_gram, m, y, rowvar, ddof).squeeze()

    def corrcoef(self, x, y=None, rowvar=True, dtype=None):
        return ref_stats.corrcoef_from_cov(numpy, ref_stats.cov_by_gram(numpy, self.centred_gram, x, y, rowvar))

    def all_finite(self, a):
        # the public layer's finite check of large float input: one parallel read, no bool array
        if type(a) is numpy.ndarray and a.dtype.char in "fd" and a.size > 65536 and (
                a.flags.c_contiguous or a.flags.f_contiguous):
            with _Serial():
                return bool(_kernels().all_finite_flat(a.ravel(order="K")))
        return super().all_finite(a)

    # ---------------------------------------------------------------- norms, similarity
    def norm(self, x, ord=None, axis=None, keepdims=False):
        # ord=None over every element (can_run leaves it to NumPy: BLAS's dot of x with itself, at
        # the memory's speed), complex, empty or 0-d input: NumPy's answer or its error
        k = _kernels()
        axes = self._norm_axes(x, axis)
        if axes is not None and len(axes) == 1:
            cp = k.VectorNorm.of(ord)
            if cp is not None:
                return _result(self._vnorm(x, axes[0], *cp), x, axes, keepdims)
        elif axes is not None:
            v = self._mnorm(x, axes, ord)
            if v is not None:
                return _result(v, x, axes, keepdims)
        return ref_linalg.norm(numpy, x, ord, axis, keepdims)  # an ord the kernels do not know: NumPy's error

    @staticmethod
    def _norm_axes(x, axis):
        """The reduced axes, normalised (1 or 2 of them), or None where the kernels do not apply."""
        if not _real(x) or x.size == 0 or x.ndim == 0:
            return None
        if axis is None:
            return tuple(range(x.ndim)) if x.ndim <= 2 else None
        try:
            axes = tuple(operator.index(a) for a in (axis if isinstance(axis, tuple) else (axis,)))
        except TypeError:
            return None
        if len(axes) not in (1, 2) or not all(-x.ndim <= a < x.ndim for a in axes):
            return None
        axes = tuple(a % x.ndim for a in axes)
        return axes if len(set(axes)) == len(axes) else None

    def _vnorm(self, x, ax, norm, p):
        """Vector norms (a VectorNorm and its p) over the axis ``ax`` of a non-empty real x: float64,
        shaped as the kept axes."""
        k = _kernels()
        code = int(norm)  # the kernels take a plain integer: one compiled variant
        if x.ndim == 1:
            with _Serial():
                return numpy.float64(k.vnorm_flat(x, code, p))
        # a Fortran-ordered x is read as its C-ordered transpose (outputs in reverse axis order)
        flip = not x.flags.c_contiguous and (x.flags.f_contiguous or abs(x.strides[0]) < abs(x.strides[-1]))
        y, ax = (x.T, x.ndim - 1 - ax) if flip else (x, ax)
        a = int(numpy.prod(y.shape[:ax]))
        c = int(numpy.prod(y.shape[ax + 1:]))
        n = y.shape[ax]
        x3 = y.reshape(a, n, c)  # a view wherever y's memory allows, else a C-ordered copy
        out = numpy.empty((a, c))
        with _Serial():
            if c == 1:  # the reduced axis is the last: one row per output
                self._vrows(k, x3[:, :, 0], code, p, out[:, 0])
            else:
                tasks = a * -(-c // k.CCHUNK)
                nrb = max(1, min(-(-4 * self._threads() // tasks), n // 16))
                k.vnorm_cols(x3, code, p, nrb, out)
        out = out.reshape(y.shape[:ax] + y.shape[ax + 1:])
        return out.T if flip else out

    @staticmethod
    def _threads():
        return _state["numba"].get_num_threads()

    def _vrows(self, k, x2, code, p, out):
        """out[i] = the vector norm (code, p) of row i of x2; a few long rows each get all the threads."""
        code = int(code)
        if x2.shape[0] < self._threads() and x2.shape[1] >= 4 * k.BLOCK:
            for i in range(x2.shape[0]):
                out[i] = k.vnorm_flat(x2[i], code, p)
        else:
            k.vnorm_rows(x2, code, p, out)

    def _mnorm(self, x, axes, ord):
        """Matrix norms over the axes (rows, cols) of a non-empty real x: float64 outputs in C order
        of the kept axes, or None where NumPy should answer."""
        k = _kernels()
        V = k.VectorNorm
        norm = k.MatrixNorm.of(ord)
        if norm is None:
            return None
        r, c = axes
        rest = tuple(i for i in range(x.ndim) if i not in axes)
        a3 = x.transpose(rest + (r, c)).reshape((-1, x.shape[r], x.shape[c]))
        if a3.shape[0] >= self._threads():
            # many matrices: one task each, walking rows (transposed, a column sum is a row sum)
            if abs(a3.strides[1]) < abs(a3.strides[2]):
                a3 = a3.transpose(0, 2, 1)
                norm = norm.transposed()
            out = numpy.empty(a3.shape[0])
            with _Serial():
                k.mnorm_stack(a3, int(norm), out)
            return out
        # a few large matrices: the parallel vector kernels, over one axis and then the other
        if norm == k.MatrixNorm.FRO:
            if a3.flags.c_contiguous or (a3.shape[0] == 1 and a3.flags.f_contiguous):
                # the Frobenius norm is the 2-norm of each matrix's elements in memory order
                out = numpy.empty(a3.shape[0])
                with _Serial():
                    self._vrows(k, a3.reshape(a3.shape[0], -1, order="A"), V.TWO, 2.0, out)
                return out
            return self._vnorm(self._vnorm(a3, 2, V.TWO, 2.0), 1, V.TWO, 2.0)  # the 2-norm of the row norms
        by_cols = norm in (k.MatrixNorm.MAX_COL, k.MatrixNorm.MIN_COL)
        sums = self._vnorm(a3, 1 if by_cols else 2, V.ONE, 1.0)  # column or row sums
        return self._vnorm(sums, 1, V.MAX if norm.maximum() else V.MIN, 0.0)  # their max or min

    def cosine_similarity(self, a, b=None):
        k = _kernels()
        b = a if b is None else b
        dt = numpy.result_type(a.dtype, b.dtype)
        with _Serial():
            if a.ndim == 1 and b.ndim == 1:
                return dt.type(k.cosine_1d(numpy.ascontiguousarray(a), numpy.ascontiguousarray(b)))
            a2 = a.reshape(1, -1) if a.ndim == 1 else a
            b2 = b.reshape(1, -1) if b.ndim == 1 else b
            ua = numpy.empty(a2.shape, dtype=dt)
            k.unit_rows(a2, ua)
            # a second buffer even for b=None: one buffer would send uuᵀ to BLAS's SYRK, half a GEMM's
            # work but, on AVX-512 OpenBLAS, slower than the GEMM (34 against 22 ms at 2048×256)
            ub = numpy.empty(b2.shape, dtype=dt)
            k.unit_rows(b2, ub)
        out = ua @ ub.T
        if a.ndim == 1:
            return out[0]
        if b.ndim == 1:
            return out[:, 0]
        return out

    # ---------------------------------------------------------------- probability
    def _elementwise(self, kernel, dtype, *arrays):
        shape = numpy.broadcast_shapes(*(x.shape for x in arrays))
        flat = [numpy.ascontiguousarray(numpy.broadcast_to(_f64(x), shape)).reshape(-1) for x in arrays]
        out = numpy.empty(flat[0].size)
        with _Serial():
            kernel(*flat, out)
        return out.reshape(shape).astype(dtype, copy=False)

    def normal_pdf(self, x, mean=0.0, std=1.0):
        x = ref_stats.as_float(numpy, x)
        return self._elementwise(_kernels().normal_pdf, x.dtype, x, numpy.asarray(mean), numpy.asarray(std))

    def normal_cdf(self, x, mean=0.0, std=1.0):
        x = ref_stats.as_float(numpy, x)
        return self._elementwise(_kernels().normal_cdf, x.dtype, x, numpy.asarray(mean), numpy.asarray(std))

    def total_probability(self, p_b_given_a, p_a, p_b_given_not_a):
        dt = numpy.result_type(p_b_given_a, p_a, p_b_given_not_a)
        return self._elementwise(_kernels().total_probability, dt, p_b_given_a, p_a, p_b_given_not_a)

    def bayes(self, p_b_given_a, p_a, p_b):
        dt = numpy.result_type(p_b_given_a, p_a, p_b)
        return self._elementwise(_kernels().bayes, dt, p_b_given_a, p_a, p_b)

    def count_within(self, x, bounds):
        b = numpy.array([[float(lo), float(hi)] for lo, hi in bounds], dtype=numpy.float64)
        with _Serial():
            return numpy.asarray(_kernels().count_within(numpy.ravel(x), b[:, 0].copy(), b[:, 1].copy()))

    # ---------------------------------------------------------------- models
    def _gd_step(self, kernel, X, y, w, b, alpha, fit_intercept, grad=True):
        n = X.shape[0]
        nchunks = 4 * _state["numba"].get_num_threads()
        with _Serial():
            loss, g, gb = kernel(X, _f64(y), _f64(w), float(b), nchunks, bool(grad))
        dt = X.dtype
        loss = loss + 0.5 * alpha * float(w @ w) if alpha else loss
        if not grad:
            return numpy.asarray(loss / n, dtype=dt), None, None
        gw = ((g + alpha * w) / n).astype(dt, copy=False)
        return numpy.asarray(loss / n, dtype=dt), gw, (numpy.asarray(gb / n, dtype=dt) if fit_intercept else None)

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().linear_step, X, y, w, b, alpha, fit_intercept, grad)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().logistic_step, X, y, w, b, alpha, fit_intercept, grad)

    # ---------------------------------------------------------------- random
    def default_rng(self, seed=None):
        _kernels()
        return _NumbaGenerator(numpy.random.default_rng(seed))

    def legacy_rng(self, seed=None):
        k = _kernels()
        if isinstance(seed, tuple):  # Numba's generator takes one 32-bit integer: a sequence is folded into one
            seed = int(numpy.random.SeedSequence(seed).generate_state(1)[0])
        if seed is not None:
            k.seed_legacy(seed)
        return _NumbaGenerator(None)


class _NumbaGenerator:
    """Draws inside jitted code: NumPy's ``Generator`` passed in, or Numba's own seeded legacy stream."""

    __slots__ = ("_rng",)

    def __init__(self, rng):
        self._rng = rng

    @staticmethod
    def _n(size):
        if size is None:
            return 1, None
        shape = size if isinstance(size, tuple) else (size,)
        return int(numpy.prod(shape)), shape

    def _std(self, kind, n):
        k = _kernels()
        if self._rng is None:
            return k.legacy_normal(0.0, 1.0, n) if kind == "normal" else k.legacy_random(n)
        return k.gen_normal(self._rng, 0.0, 1.0, n) if kind == "normal" else k.gen_random(self._rng, n)

    @staticmethod
    def _shape(v, shape, dtype):
        v = numpy.asarray(v)
        if shape is None:  # one draw: a scalar, as NumPy's generators give (a Python float for float64)
            one = v.reshape(-1)[0] if v.ndim else v
            return float(one) if dtype == numpy.float64 else dtype.type(one)
        return v.reshape(shape).astype(dtype, copy=False)

    def _draw(self, kind, size, *params):
        """Standard draws shaped as ``size`` (or as the parameters broadcast together, or one)."""
        n, shape = self._n(size if size is not None else (numpy.broadcast(*params).shape or None))
        z = self._std(kind, n)
        return (z.reshape(shape) if shape is not None else z[0]), shape

    def normal(self, loc, scale, size, dtype):
        z, shape = self._draw("normal", size, loc, scale)
        return self._shape(loc + scale * z, shape, numpy.dtype(dtype))

    def uniform(self, low, high, size, dtype):
        u, shape = self._draw("uniform", size, low, high)
        return self._shape(low + (high - low) * u, shape, numpy.dtype(dtype))

    def bernoulli(self, p, size):
        u, shape = self._draw("uniform", size, p)
        return self._shape((u < p).astype(numpy.int64), shape, numpy.dtype(numpy.int64))
