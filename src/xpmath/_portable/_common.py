"""Small pieces every portable area shares: dtypes by NumPy's rules, in any namespace."""

from __future__ import annotations

from typing import Any

import numpy

from .._arrays import astype, kind

__all__ = ["astype", "as_float", "axes_of", "count", "into", "is_complex", "keep", "narrow", "native", "real_dtype",
           "wide"]


def native(xp: Any, dt: Any) -> Any:
    """NumPy's dtype ``dt`` as ``xp`` spells it (an ``xp`` dtype is returned as it is)."""
    if dt is None or not isinstance(dt, (numpy.dtype, type, str)):
        return dt
    return getattr(xp, numpy.dtype(dt).name)


def as_float(xp: Any, a: Any) -> Any:
    """Integer and bool data as float64 (NumPy's rule for statistics); floating data as it is."""
    return a if kind(a.dtype) in "fc" else xp.astype(a, xp.float64)


def is_complex(a: Any) -> bool:
    return kind(a.dtype) == "c"


def wide(xp: Any, dt: Any) -> Any:
    """Double (complex double) for single precision: where sums of many terms are accumulated."""
    return xp.complex128 if kind(dt) == "c" else xp.float64


def narrow(xp: Any, dt: Any) -> Any:
    """float32 for half precision (NumPy accumulates float16 there), else ``dt``."""
    return xp.float32 if str(dt).endswith(("float16", "bfloat16")) else dt


def real_dtype(xp: Any, dt: Any) -> Any:
    if kind(dt) != "c":
        return dt
    return xp.float32 if str(dt).endswith("complex64") else xp.float64


def axes_of(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, an int or a tuple, already checked) as the sorted non-negative axes it names."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(int(a) % max(ndim, 1) for a in (axis if isinstance(axis, tuple) else (axis,))))


def count(shape: tuple, axes: tuple[int, ...]) -> int:
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def keep(xp: Any, r: Any, axes: tuple[int, ...], ndim: int) -> Any:
    """A reduction's result with the reduced ``axes`` put back as length-one axes (``keepdims``)."""
    shape = list(r.shape)
    for a in axes:
        shape.insert(a, 1)
    return xp.reshape(r, tuple(shape)) if len(shape) == ndim else r


def into(out: Any, r: Any) -> Any:
    """``r`` written into ``out`` when one is given (an immutable library's arrays refuse it)."""
    if out is None:
        return r
    out[...] = r
    return out
