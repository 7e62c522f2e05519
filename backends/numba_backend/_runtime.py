"""What every area of the numba backend shares: Numba loaded once with xpmath's settings, the
thread count, the lock that serialises the workqueue layer, and how kernel outputs become NumPy's
results. Importing this module does not import Numba."""

from __future__ import annotations

import importlib
import os
import threading

import numpy

from xpmath import _config

_state: dict = {}
_lock = threading.Lock()
_threads = threading.local()  # .n: the thread count this thread last gave Numba


def _writable(path: str) -> bool:
    return os.access(path, os.W_OK)


def _cache_dir() -> str:
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "numba_kernels")
    pyc = os.path.join(here, "__pycache__")
    if _writable(pyc if os.path.isdir(pyc) else here):
        return ""  # Numba's default: __pycache__ beside the kernels
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



class Bindings:
    """What the areas' bindings share."""

    @staticmethod
    def _threads():
        return _state["numba"].get_num_threads()
