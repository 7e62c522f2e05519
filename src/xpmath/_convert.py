"""Putting data on a backend: ``asarray``, ``namespace`` and ``open_array``."""

from __future__ import annotations


from . import _validate as _v
from ._dispatch import select


def asarray(x, /, dtype=None, *, backend: str | None = None):
    """Put ``x`` on a backend as that backend's array (a NumPy array given to ``cupy`` moves to the GPU).

    Unlike the math functions, the result is always the backend's own array, whatever
    ``set_config(output=...)`` says: that is what it is for.

    Parameters
    ----------
    x : array_like
        Lists, scalars, NumPy, CuPy or Dask arrays, any array API library's arrays (PyTorch, JAX…),
        or objects with ``__array__``, ``__dlpack__`` or ``__cuda_array_interface__``; numeric (bool,
        integer, float or complex). Without ``backend=``, an array of another library stays in that
        library, on its device.
    dtype : data-type, optional
        The dtype of the result; None keeps ``x``'s (NumPy's rules for lists and scalars).
    backend : str, optional
        The backend to put ``x`` on (see :func:`xpmath.use_backend`).

    Returns
    -------
    array
        The backend's array: a ``numpy.ndarray``, a ``cupy.ndarray``, a ``dask.array.Array``, or the
        input library's own array...

    Raises
    ------
    XPMathTypeError
        Non-numeric input (strings, objects) or a ``dtype`` NumPy does not understand.
    DomainError
        A ragged nested list (a ``ValueError``).
    BackendError
        A backend unknown or unusable here.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.asarray([1, 2, 3], dtype="float32").dtype
    dtype('float32')
    """
    be = select(backend, "asarray", x)
    a = _v.array(be, x, "asarray")
    return a if dtype is None else _v.astype(be, a, _v.dtype_arg(dtype, "asarray"))


def namespace(backend: str | None = None):
    """The array module of a backend (``numpy``, ``cupy``, ``dask.array``…), for making arrays on it.

    Parameters
    ----------
    backend : str, optional
        A backend name; None: the backend a call with no ``backend=`` would use here and now.

    Returns
    -------
    module
        The backend's NumPy-like array namespace (its ``xp``).

    Raises
    ------
    BackendError
        A backend unknown or unusable here.

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

    Parameters
    ----------
    path : str or path-like
        A ``.npy`` file (the name ends in ``.npy``), else a Zarr store.
    chunk_rows : int, optional
        Rows per chunk of a ``.npy`` file (keyword-only); None: as many as fit in about 64 MiB. A
        Zarr store keeps its own chunks.

    Returns
    -------
    dask.array.Array
        The lazy array; nothing is read until it is computed.

    Raises
    ------
    BackendError
        The dask backend is unusable here (Dask not installed).
    MissingFileError
        No file or store at ``path`` (a ``FileNotFoundError``).
    FileFormatError
        A ``.npy`` file that is truncated, not ``.npy`` at all or holds Python objects, or a store that
        is no Zarr array (a ``ValueError``).
    XPMathTypeError
        A file of non-numeric data, a ``path`` that is not a path, or a ``chunk_rows`` that is not an integer.
    DomainError
        ``chunk_rows`` below 1 (a ``ValueError``).

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
    path, chunk_rows = _v.data_file(path, chunk_rows, "open_array")
    from xpmath_backends.dask_backend import open_array as _open

    try:
        return _open(path, chunk_rows=chunk_rows)
    except Exception as exc:  # a store Zarr cannot read (the .npy checks ran above)
        if isinstance(exc, _v.XPMathError):
            raise
        if "://" in path and (isinstance(exc, FileNotFoundError) or "NotFound" in type(exc).__name__):
            raise _v.MissingFileError(f"open_array: no Zarr array at {path!r} ({type(exc).__name__}: {exc})") from exc
        raise _v.FileFormatError(
            f"open_array: {path!r} is neither a .npy file (its name would end in .npy) nor a Zarr array "
            f"({type(exc).__name__}: {exc})"
        ) from exc
