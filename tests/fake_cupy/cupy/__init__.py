"""A stand-in for CuPy, for running the cupy backend's Python without a GPU (tests only).

Its arrays (:class:`ndarray`) are not NumPy arrays: each holds a host NumPy buffer behind CuPy's
rules (see ``_array.py``). Every NumPy function is here under its name, taking and giving device
arrays only; the explicit transfers are :func:`asarray` (host to device) and :func:`asnumpy` /
``ndarray.get()`` (device to host).
"""

import types as _types

import numpy as _np

from . import _core, _kernels, cuda, linalg, random  # noqa: F401
from ._array import Ufunc as _Ufunc
from ._array import device_function as _device_function
from ._array import metadata_function as _metadata_function
from ._array import ndarray, unwrap as _unwrap, wrap as _wrap

__version__ = "14.0.0-fake"
_xpmath_fake = True


def array(obj, dtype=None, copy=True, order="K", subok=False, ndmin=0, *, blocking=False):
    """A device array of ``obj``: a device array (copied unless ``copy=False`` allows), or host data
    (NumPy arrays, lists, scalars) copied to the device."""
    if type(obj) is ndarray:
        r = _np.array(obj._a, dtype=dtype, copy=copy, order=order, ndmin=ndmin)
        return obj if r is obj._a else ndarray._of(r)
    if hasattr(obj, "__cuda_array_interface__"):
        raise TypeError(f"the CuPy stand-in cannot read the device memory of {type(obj).__name__}")
    # host data, possibly with device arrays inside a list (CuPy gathers them on the device)
    return ndarray._of(_np.array(_unwrap(obj, {}, strict=False), dtype=dtype, copy=True, order=order, ndmin=ndmin))


def asarray(a, dtype=None, order=None, *, copy=None, blocking=False):
    """``a`` itself if it is a device array of ``dtype``, else a device copy (host data moves to the device)."""
    if type(a) is ndarray:
        return array(a, dtype=dtype, copy=copy, order=order or "K")
    return array(a, dtype=dtype, order=order or "K")


asanyarray = asarray


def asnumpy(a, stream=None, order="C", out=None, *, blocking=True):
    """A host copy of a device array (anything else through ``numpy.asarray``), as CuPy's."""
    if type(a) is ndarray:
        return a.get(stream=stream, order=order, out=out)
    h = _np.asarray(a, order=order)
    if out is None:
        return h
    out[...] = h
    return out


def get_array_module(*args):
    return _cupy if any(type(a) is ndarray for a in args) else _np


def get_default_memory_pool():
    return cuda.memory._POOL


class ElementwiseKernel:
    """The kernel ``name`` run by its NumPy emulation in ``_kernels.py``, on device arrays and scalars only."""

    def __init__(self, in_params, out_params, operation, name, **kwargs):
        self._f = _kernels.ELEMENTWISE[name]
        self._name = name
        self._types = [p.split()[0] for p in in_params.split(",")]

    def __call__(self, *args):
        host = _unwrap(args, {})  # a NumPy array raises CuPy's TypeError
        typed = {}
        for t, h in zip(self._types, host):
            if isinstance(h, _np.ndarray) and typed.setdefault(t, h.dtype) != h.dtype:
                raise TypeError(f"Type is mismatched. {self._name} {t} {typed[t]} {h.dtype}")
        return _wrap(self._f(*host))


class RawModule:
    """The ``extern "C" __global__`` kernels of ``code`` (a .cu file's text), each run by its emulation."""

    def __init__(self, code, *, options=()):
        self._names = _kernels.entry_points(code)

    def get_function(self, name):
        if name not in self._names:  # CuPy's driver reports the symbol missing from the module
            raise KeyError(f"no kernel {name!r} in this module; it has {sorted(self._names)}")
        return _kernels.RawFunction(name)


# NumPy's functions that CuPy 14 does not have (read off its namespace): asking for one is an AttributeError
_NOT_IN_CUPY = frozenset({
    "asmatrix", "block", "bmat", "busday_count", "busday_offset", "datetime_as_string", "datetime_data",
    "einsum_path", "frompyfunc", "fromregex", "geomspace", "get_include", "getbufsize", "geterr", "geterrcall",
    "histogram_bin_edges", "info", "insert", "is_busday", "isnat", "matvec", "nanpercentile", "nanquantile",
    "nested_iters", "polyder", "polydiv", "polyint", "setbufsize", "seterr", "seterrcall", "show_runtime",
    "spacing", "test", "unstack", "vecdot", "vecmat",
})
# CuPy reads dtypes and shapes of either kind of array
_METADATA = frozenset({"result_type", "can_cast", "promote_types", "min_scalar_type", "common_type", "isscalar",
                       "ndim", "size", "broadcast_shapes"})


def __getattr__(name):
    """NumPy's member ``name`` as CuPy's: types and constants as they are, functions on device arrays."""
    v = getattr(_np, name)
    if isinstance(v, _types.ModuleType) or name in _NOT_IN_CUPY:
        raise AttributeError(f"module 'cupy' has no attribute {name!r} in the stand-in")
    if isinstance(v, _np.ufunc):
        v = _Ufunc(v)
    elif name in _METADATA:
        v = _metadata_function(v)
    elif callable(v) and not isinstance(v, type):
        v = _device_function(v, name)
    globals()[name] = v
    return v


_cupy = __import__("sys").modules[__name__]
