"""Which library a call's arrays belong to, and the explicit moves between libraries.

This is the one place that decides where a call runs when its data is not host data (API.md §2a):
an input that is not a NumPy array but belongs to an array library (it has ``__array_namespace__``,
or is a PyTorch, JAX, CuPy or Dask array) runs in that library, on its device. CuPy arrays go to
the ``cupy`` backend and Dask arrays to ``dask`` (their fast paths); any other library to a backend
that runs the portable reference on its namespace (``xpmath_backends.arrayapi_backend``). Python
scalars, lists and NumPy arrays beside such an array join it; arrays of two libraries or two
devices in one call are a :class:`~xpmath.errors.BackendError` naming both.

The look-up is one dict read per argument type, so NumPy input pays nearly nothing. Nothing here
imports an array library: ``array-api-compat`` is imported only when a foreign array appears.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy

from . import _registry
from .errors import BackendError, XPMathTypeError

if TYPE_CHECKING:
    from ._protocol import Backend

#: types that are host data (never a foreign array), filled as types are met
_HOST: set[type] = {numpy.ndarray, list, tuple, int, float, complex, bool, str, type(None)}
#: type -> "cupy", "dask" or "foreign" for the array types met so far
_LIBRARY: dict[type, str] = {}
#: (namespace name, device) -> the backend running the portable reference there
_FOREIGN: dict[tuple[str, Any], Backend] = {}


def _library(t: type) -> str | None:
    """``"cupy"``, ``"dask"``, ``"foreign"`` or None (host data) for an argument's type, remembered."""
    lib = _LIBRARY.get(t)
    if lib is not None or t in _HOST:
        return lib
    root = t.__module__.partition(".")[0]
    if issubclass(t, (numpy.ndarray, numpy.generic)):
        lib = None
    elif root == "cupy":
        lib = "cupy"
    elif hasattr(t, "__dask_graph__"):
        lib = "dask"
    elif hasattr(t, "__array_namespace__") or root in ("torch", "jax", "jaxlib"):
        lib = "foreign"
    if lib is None:
        _HOST.add(t)
    else:
        _LIBRARY[t] = lib
    return lib


def is_foreign(x: Any) -> bool:
    """Whether ``x`` is an array of a library other than NumPy (CuPy, Dask, PyTorch, JAX…)."""
    t = type(x)
    return t not in _HOST and _library(t) is not None


def owner(arrays: tuple) -> Backend | None:
    """The backend the foreign arrays among ``arrays`` run on; None when all are host data.

    Raises :class:`BackendError` for arrays of two libraries, or of two devices, in one call.
    """
    found = first = None
    for a in arrays:
        t = type(a)
        if t in _HOST:
            continue
        lib = _LIBRARY.get(t) or _library(t)
        if lib is None:
            continue
        be = _backend_for(a, lib)
        if found is None:
            found, first = be, a
        elif be is not found:
            raise BackendError(
                f"arrays of two libraries or devices in one call: {describe(first)} and {describe(a)}; "
                "move one to the other's with xpmath.asarray(x, backend=...) or the library's own "
                "to_device / from_dlpack"
            )
    return found


def _backend_for(a: Any, lib: str) -> Backend:
    if lib != "foreign":
        return _registry.get(lib)
    ns = namespace_of(a)
    key = (ns.__name__, device_of(a))
    be = _FOREIGN.get(key)
    if be is None:
        from xpmath_backends.arrayapi_backend import ArrayAPIBackend

        be = _FOREIGN.setdefault(key, ArrayAPIBackend(ns, type(a), key[1]))
    return be


def namespace_of(a: Any) -> Any:
    """The array API namespace of a foreign array (through ``array-api-compat`` where the library
    does not follow the standard itself, as PyTorch)."""
    import array_api_compat

    return array_api_compat.array_namespace(a)


def device_of(a: Any) -> Any:
    """The device of a foreign array (``array_api_compat.device``)."""
    import array_api_compat

    return array_api_compat.device(a)


def describe(a: Any) -> str:
    """``'torch.Tensor on cpu'``: an array's library and device, for messages."""
    t = type(a)
    where = ""
    try:
        where = f" on {device_of(a)}" if _library(t) == "foreign" else ""
    except Exception:  # a device we cannot name still lets the message through
        pass
    return f"{t.__module__.partition('.')[0]}.{t.__name__}{where}"


# ------------------------------------------------------------------------- explicit moves to the host


def to_numpy(x: Any, /) -> numpy.ndarray:
    """Bring any result (NumPy, CuPy, Dask, PyTorch, JAX, any array-API array, a scalar, a DLPack or
    ``__array__`` object) back as a ``numpy.ndarray``.

    The one explicit host route: a device array is copied to the host, a Dask array computed.

    Parameters
    ----------
    x : array_like
        A result of any backend or array library, or anything ``numpy.asarray`` or
        ``numpy.from_dlpack`` takes.

    Returns
    -------
    numpy.ndarray
        ``x`` itself when it is one already, else a host copy (a 0-d array for a scalar).

    Raises
    ------
    XPMathTypeError
        A tuple (convert each element of a result such as :func:`~xpmath.linalg.eig`'s separately).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.to_numpy(xpmath.mean([1.0, 3.0]))
    array(2.)
    """
    if type(x) is numpy.ndarray:
        return x
    if isinstance(x, tuple):
        raise XPMathTypeError("to_numpy: convert each element of a tuple result separately")
    lib = _library(type(x))
    if lib == "cupy" or (hasattr(x, "__cuda_array_interface__") and hasattr(x, "get")):
        return numpy.asarray(x.get())
    if lib == "dask":  # on the dask_scheduler, a lost scheduler a BackendError (not distributed's own error)
        from ._registry import status

        be = status("dask")[0]
        return to_numpy(x.compute()) if be is None else be.to_numpy(x)
    if lib == "foreign":
        return _foreign_to_numpy(x)
    try:
        return numpy.asarray(x)
    except (TypeError, ValueError, RuntimeError):
        if hasattr(x, "__dlpack__"):
            return numpy.from_dlpack(x)
        raise


def _foreign_to_numpy(x: Any) -> numpy.ndarray:
    root = type(x).__module__.partition(".")[0]
    if root == "torch":
        return x.detach().cpu().resolve_conj().resolve_neg().numpy()
    if root in ("jax", "jaxlib"):
        return numpy.asarray(x)
    dev = device_of(x)
    cpu = _host_device(namespace_of(x))
    if cpu is not None and cpu != dev:
        x = x.to_device(cpu)
    return numpy.from_dlpack(x)


def _host_device(xp: Any) -> Any:
    """The namespace's CPU device (a name containing "cpu"), or None where it names none."""
    info = getattr(xp, "__array_namespace_info__", None)
    if info is None:
        return None
    for d in info().devices():
        if "cpu" in str(d).lower():
            return d
    return None


def host(x: Any) -> Any:
    """Host data as it is; an array of another library (device, lazy or foreign) explicitly as
    NumPy. What a named backend does with such an array: the user asked for it by naming it."""
    t = type(x)
    if t in _HOST or _library(t) is None:
        if hasattr(x, "__dlpack__") and not hasattr(x, "__array__") and not hasattr(x, "__array_interface__"):
            return numpy.from_dlpack(x)  # a DLPack-only object: the protocol is its explicit host route
        return x
    return to_numpy(x)


# ------------------------------------------------------------------------- dtypes of any library

_KINDS: dict[Any, str] = {}


def kind(dt: Any) -> str:
    """NumPy's one-letter kind (``b i u f c``, else ``O``) of any library's dtype."""
    k = getattr(dt, "kind", None)
    if type(k) is str:
        return k
    try:
        return _KINDS[dt]
    except (KeyError, TypeError):
        pass
    name = str(dt).rpartition(".")[2].lower()
    for prefix, k in (("bool", "b"), ("uint", "u"), ("int", "i"), ("complex", "c"), ("float", "f"),
                      ("bfloat", "f"), ("half", "f"), ("double", "f"), ("cfloat", "c"), ("cdouble", "c")):
        if name.startswith(prefix):
            break
    else:
        k = "O"
    try:
        _KINDS[dt] = k
    except TypeError:
        pass
    return k


def numpy_dtype(dt: Any) -> numpy.dtype:
    """NumPy's dtype of the same name as any library's ``dt`` (``torch.float32`` → ``float32``)."""
    if isinstance(dt, numpy.dtype):
        return dt
    try:
        return numpy.dtype(str(dt).rpartition(".")[2])
    except TypeError:
        return numpy.dtype(dt)


def size(a: Any) -> int:
    """The number of elements of any library's array (PyTorch's ``size`` is a method)."""
    s = a.size
    return s if type(s) is int else math.prod(a.shape)


def astype(xp: Any, a: Any, dt: Any) -> Any:
    """``a`` as dtype ``dt`` (no copy when it already is): the method where the array has one, else
    the standard's ``xp.astype``."""
    if a.dtype == dt:
        return a
    m = getattr(a, "astype", None)
    return m(dt) if m is not None else xp.astype(a, dt)
