"""Moving data onto a backend and back to NumPy."""

from __future__ import annotations

import numpy

from . import _validate as _v
from ._dispatch import select


def asarray(x, /, dtype=None, *, backend: str | None = None):
    """Put ``x`` on a backend as that backend's array (a NumPy array given to ``cupy`` moves to the GPU).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.asarray([1, 2, 3], dtype="float32").dtype
    dtype('float32')
    """
    be = select(backend, "asarray")
    a = _v.array(be, x, "asarray")
    return a if dtype is None else a.astype(_v.dtype_arg(dtype, "asarray"), copy=False)


def to_numpy(x, /) -> numpy.ndarray:
    """Bring any result (NumPy, CuPy, Dask, scalar, DLPack or ``__array__`` object) back as a ``numpy.ndarray``.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.to_numpy(xpmath.mean([1.0, 3.0]))
    array(2.)
    """
    if isinstance(x, numpy.ndarray):
        return x
    if hasattr(x, "__cuda_array_interface__") and hasattr(x, "get"):
        return numpy.asarray(x.get())
    if hasattr(x, "compute") and hasattr(x, "dask"):
        return numpy.asarray(x.compute())
    if isinstance(x, tuple):
        raise _v.XPMathTypeError("to_numpy: convert each element of a tuple result separately")
    try:
        return numpy.asarray(x)
    except (TypeError, ValueError, RuntimeError):
        if hasattr(x, "__dlpack__"):
            return numpy.from_dlpack(x)
        raise


def namespace(backend: str | None = None):
    """The array module of a backend (``numpy``, ``cupy``, ``dask.array``…), for making arrays on it.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.namespace("numpy").__name__
    'numpy'
    """
    return select(backend, "namespace").xp


def open_array(path, /, *, chunk_rows: int | None = None):
    """Open an on-disk ``.npy`` file or Zarr store lazily as a Dask array, read chunk by chunk.

    For data larger than memory: pass the result to any xpmath function with ``backend="dask"``
    (or under ``XPMATH_BACKEND=dask``); each chunk of rows is read by the task that uses it.
    Needs ``pip install 'xpmath[dask]'``.

    Examples
    --------
    >>> import numpy, tempfile, os, xpmath
    >>> p = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> numpy.save(p, numpy.arange(12.0).reshape(6, 2))
    >>> float(xpmath.mean(xpmath.open_array(p, chunk_rows=2), backend="dask").compute())
    5.5
    """
    from ._registry import status

    be, why = status("dask")
    if be is None:
        from .errors import BackendError

        raise BackendError(f"open_array: the dask backend is unusable here: {why}")
    from xpmath_backends.dask_backend import open_array as _open

    return _open(path, chunk_rows=chunk_rows)
