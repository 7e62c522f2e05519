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
    return a if dtype is None else a.astype(dtype, copy=False)


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
